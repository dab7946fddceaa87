"""The history browser over 100,000 entries: does typing stay responsive?

Headless (Pilot). Types a query one key at a time and measures:
- ``search (thread)``: ``HistoryStore.search`` in the worker thread (off the UI loop),
- ``show rows (UI)``: filling the list with up to 200 rows and the preview, on the UI loop,
- ``key → rows``: press to the newest search's rows on screen (includes the 80 ms debounce),
- ``loop gap``: gaps of a 5 ms timer on the UI loop while typing (a blocked loop shows up
  as a long gap).
Also: opening the browser → first rows. Prints a Markdown table (ms).
Run: ``nice .venv/bin/python bench/history_browser.py [ENTRIES]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from history_common import build_history, summary
from textual.app import App

from workbench.app.screens.history_browser import HistoryBrowser
from workbench.history import HistoryStore

TYPED = "select count from events where properties"
"""What the user types (every key is a keystroke; searches are debounced)."""

TICK_SECONDS = 0.005
"""The stall probe's interval: a gap much longer than this means the loop was blocked."""


class Host(App[None]):
    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.browser = HistoryBrowser(store, project_id=1, host="https://us.posthog.com")
        self.ticks: list[float] = []

    def on_mount(self) -> None:
        self.push_screen(self.browser)
        self.set_interval(TICK_SECONDS, lambda: self.ticks.append(time.perf_counter()))


async def wait_shown(app: Host, pilot: Any) -> None:
    while app.browser.busy:
        await pilot.pause(0.001)


def timing(samples: list[float], fn: Any) -> Any:
    """``fn`` that appends its duration (ms) to ``samples``."""

    def timed_call(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            samples.append((time.perf_counter() - t0) * 1000)

    return timed_call


async def measure(store: HistoryStore) -> None:
    searches: list[float] = []
    shows: list[float] = []
    store.search = timing(searches, store.search)  # type: ignore[method-assign]
    app = Host(store)
    app.browser._show_results = timing(shows, app.browser._show_results)  # type: ignore[method-assign]
    opened = time.perf_counter()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_shown(app, pilot)
        await pilot.pause()
        first_rows = (time.perf_counter() - opened) * 1000
        to_rows: list[float] = []
        app.ticks.clear()
        searches.clear()
        shows.clear()
        for character in TYPED:
            t0 = time.perf_counter()
            await pilot.press(character)
            await wait_shown(app, pilot)
            to_rows.append((time.perf_counter() - t0) * 1000)
        gaps = [(b - a) * 1000 for a, b in zip(app.ticks, app.ticks[1:], strict=False)]
        print(f"| open → first rows | {first_rows:.1f} | | | 1 |")
        print(summary("search (thread), limit 200", searches))
        print(summary("show rows + preview (UI loop)", shows))
        print(summary("key → rows shown (incl. 80 ms debounce)", to_rows))
        print(summary(f"loop gap while typing (timer every {TICK_SECONDS * 1000:.0f} ms)", gaps))
        shown = len(app.browser.history_list.entries)
        print(f"\nrows listed at the end: {shown}; median gap {statistics.median(gaps):.1f} ms")


def main(entries: int) -> None:
    import asyncio

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        t0 = time.perf_counter()
        build_history(path, entries)
        print(f"built {entries:,} entries in {time.perf_counter() - t0:.1f} s\n")
        print("| measurement | median | p95 | max | n |\n|---|---|---|---|---|")
        with HistoryStore(path) as store:
            asyncio.run(measure(store))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
