"""A seeded stream of random keys, the way a hurried user hits them: the app never crashes.

Keys come from the app's own key table plus editing keys and text; only quitting is left
out. Whatever screen a key opens, later keys (escape among them) act on it. The run ends
with the app alive, back on its main screen after escapes, and every run settled.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fakes import FakeClient, Script, make_app, make_result

from workbench.app.keys import MAIN_KEYS

TEXT_KEYS = [*"select count() from events where x = 'a';", "enter", "backspace", "tab"]
MOVE_KEYS = ["up", "down", "left", "right", "home", "end", "pageup", "pagedown", "escape"]


def app_keys() -> list[str]:
    keys = {k for action in MAIN_KEYS for k in action.keys.split(",")}
    return sorted(keys - {"ctrl+q"})


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keys_never_crash_the_app(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # ctrl+s and export write what was typed as a relative path
    rng = random.Random(seed)
    result = make_result(["n", "label"], ["UInt8", "String"], [[1, "a"], [2, "[b]"]])
    client = FakeClient({"select 1": Script(result=result)})
    app = make_app(client, text="select 1;\nselect 2;\n")
    keys = app_keys()
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            pool = rng.choice([keys, TEXT_KEYS, MOVE_KEYS])
            await pilot.press(rng.choice(pool))
            if rng.random() < 0.1:
                await pilot.pause()
        for _ in range(6):  # back out of whatever is open
            await pilot.press("escape")
            await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.is_running
        assert app.screen is app.main_screen
        assert all(run.state.is_final for run in app.context.registry)
