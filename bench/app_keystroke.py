"""Keystroke → frame in the editor: a 20-line buffer against a 2,000-line one.

Headless app at 160×45 over a fake client (no network: this measures the editor). Each key
is timed from ``pilot.press`` to the first compositor frame after it: Textual's private
``App._display`` is wrapped (it runs headless too, with the compositor update). Keys are
typed in the middle of the buffer with the viewport there, so the windowed highlighter works
on the rows a user would see.

Usage: ``.venv/bin/python bench/app_keystroke.py [--keys 40] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "app"))

from fakes import FakeClient, make_app

from workbench.app.widgets.editor import HogQLEditor

QUERY_LINES = [
    "select properties.$current_url as url,",
    "       count() as views, -- per page",
    "       uniq(person_id) as visitors",
    "from events",
    "where event = '$pageview' and timestamp > now() - interval 7 day",
    "group by url order by views desc limit 20;",
]
"""A realistic statement, repeated to fill the buffer."""


def buffer_of(lines: int) -> str:
    return "\n".join(QUERY_LINES[i % len(QUERY_LINES)] for i in range(lines)) + "\n"


async def measure(lines: int, keys: int) -> list[float]:
    """Milliseconds from each key press to the next frame."""
    app = make_app(FakeClient(), text=buffer_of(lines))
    frames: list[float] = []
    frame_seen = asyncio.Event()
    original = app._display

    def display(*args: Any, **kwargs: Any) -> Any:
        frames.append(time.perf_counter())
        frame_seen.set()
        return original(*args, **kwargs)

    app._display = display  # type: ignore[method-assign]
    timings: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        editor = app.main_screen.query_one(HogQLEditor)
        editor.cursor_blink = False
        editor.cursor_location = (lines // 2, 10)
        editor.scroll_cursor_visible(center=True)
        await pilot.pause(0.3)
        for index in range(keys):
            before = len(frames)
            frame_seen.clear()
            start = time.perf_counter()
            await pilot.press("x" if index % 2 == 0 else "backspace")
            await frame_seen.wait()
            timings.append((frames[before] - start) * 1000)
            await pilot.pause(0.05)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description="editor keystroke → frame latency")
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    medians: dict[int, list[float]] = {}
    for _ in range(options.repeat):
        for lines in (20, 2000):
            timings = asyncio.run(measure(lines, options.keys))
            medians.setdefault(lines, []).append(statistics.median(timings))
            p90 = statistics.quantiles(timings, n=10)[-1]
            print(
                f"{lines:>5} lines: median {statistics.median(timings):6.1f} ms  p90 {p90:6.1f} ms"
            )
    small = statistics.median(medians[20])
    large = statistics.median(medians[2000])
    print(
        f"median of medians: 20 lines {small:.1f} ms, 2,000 lines {large:.1f} ms, ratio {large / small:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
