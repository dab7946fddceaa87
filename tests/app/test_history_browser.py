"""The history browser over a real ``HistoryStore`` in a temporary folder, driven by Pilot.

A small host app pushes the screen and keeps what it dismisses with; the clock is frozen so
relative times (and the snapshot) never change.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from workbench.app.screens.history_browser import HistoryBrowser, HistoryChoice
from workbench.app.screens.history_dialogs import ConfirmDelete, NameEntryPrompt
from workbench.app.screens.history_search import LIST_LIMIT
from workbench.app.widgets.history_list import HistoryList
from workbench.history import FinalState, HistoryStore

NOW = datetime(2026, 9, 21, 12, 0, tzinfo=UTC)
"""The frozen wall clock of every test."""

HOST = "https://us.posthog.com"

COUNT_SQL = "select count() from events"
FAILED_SQL = "selec event from events"
CANCELLED_SQL = "select sleep(3) from numbers(10)"
MARKUP_SQL = "select '[bold]x[/]' as markup, '\x1b[31mred' as ansi from events"
OTHER_PROJECT_SQL = "select 'other project' from persons"
OLD_SQL = "select 'ten days old' from persons"
SIZE = (120, 36)


def record(
    store: HistoryStore,
    sql: str,
    seconds_ago: float,
    *,
    state: FinalState = "done",
    rows: int | None = 10,
    error: str | None = None,
    project: int = 1,
    sample: Sequence[Sequence[Any]] | None = None,
) -> int:
    entry_id = store.record_submitted(
        sql, host=HOST, project_id=project, started_at=NOW - timedelta(seconds=seconds_ago)
    )
    store.record_finished(
        entry_id,
        state=state,
        ended_at=NOW - timedelta(seconds=seconds_ago - 0.5),
        duration=0.5,
        row_count=rows if state == "done" else None,
        error_code="syntax" if error else None,
        error_message=error,
        columns=("n", "label") if sample else (),
        rows=sample,
    )
    return entry_id


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    """Seven runs in six entries (three identical runs fold into one), newest last here."""
    with HistoryStore(tmp_path / "history.sqlite3", clock=NOW.timestamp) as opened:
        record(opened, OLD_SQL, 10 * 86_400)
        for seconds_ago in (9_000, 8_000, 7_200):
            record(opened, COUNT_SQL, seconds_ago, rows=1, sample=[[42, "[red]x"]])
        record(opened, FAILED_SQL, 3_000, state="failed", error="Syntax error at [bold]here[/]")
        record(opened, CANCELLED_SQL, 600, state="cancelled")
        record(opened, OTHER_PROJECT_SQL, 120, project=2)
        record(opened, MARKUP_SQL, 60, rows=1234)
        yield opened


class Host(App[None]):
    """Pushes the browser at start and keeps every result it dismisses with."""

    def __init__(self, store: HistoryStore, *, saved: bool = False) -> None:
        super().__init__()
        self.browser = HistoryBrowser(
            store, project_id=1, host=HOST, clock=lambda: NOW, saved=saved
        )
        self.choices: list[HistoryChoice | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.browser, self.choices.append)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the debounce fired, searches and saves finished and the screen redrew."""
    app = pilot.app
    assert isinstance(app, Host)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        if not app.browser.busy:
            break
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def listed(app: Host) -> list[str]:
    return [entry.sql for entry in app.browser.query_one(HistoryList).entries]


async def test_lists_newest_first_with_folded_runs(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The project-2 run is hidden: "this project" is the default.
        assert listed(app) == [MARKUP_SQL, CANCELLED_SQL, FAILED_SQL, COUNT_SQL, OLD_SQL]
        text = screen_text(app)
        assert "×3 select count() from events" in text
        assert "1 min ago" in text and "1,234 rows" in text and "10 d ago" in text


async def test_filter_searches_as_you_type(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"count")
        await settle(pilot)
        assert listed(app) == [COUNT_SQL]
        await pilot.press(*" zzz")
        await settle(pilot)
        assert listed(app) == []
        assert "No matching history." in screen_text(app)


async def test_new_text_puts_the_cursor_on_the_newest_match(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")  # the failed run, third row
        history_list = app.browser.query_one(HistoryList)
        assert history_list.highlighted == 2
        await pilot.press(*"from")  # typed ahead into the filter; the failed run still matches
        await settle(pilot)
        assert FAILED_SQL in listed(app) and history_list.highlighted == 0


async def test_a_stale_search_that_ends_late_is_dropped(store: HistoryStore) -> None:
    """The search for "sleep" is held back until after the search for "persons" is shown."""
    original = store.search

    def slow_for_sleep(text: str = "", **kwargs: Any) -> Any:
        if text == "sleep":
            time.sleep(0.4)
        return original(text, **kwargs)

    store.search = slow_for_sleep  # type: ignore[method-assign]
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.browser.filter_input.value = "sleep"
        await pilot.pause(0.15)  # debounced search for "sleep" is now running
        app.browser.filter_input.value = "persons"
        await settle(pilot)
        await pilot.pause(0.5)  # the "sleep" search finishes now
        await settle(pilot)
        assert listed(app) == [OLD_SQL]


async def test_state_date_and_project_filters(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # done
        await settle(pilot)
        assert listed(app) == [MARKUP_SQL, COUNT_SQL, OLD_SQL]
        await pilot.press("f2")  # failed
        await settle(pilot)
        assert listed(app) == [FAILED_SQL]
        assert "state: failed" in screen_text(app)
        await pilot.press("f2", "f2")  # cancelled, then all again
        await settle(pilot)
        assert len(listed(app)) == 5
        await pilot.press("f3", "f3")  # today, then 7 days
        await settle(pilot)
        assert OLD_SQL not in listed(app) and len(listed(app)) == 4
        await pilot.press("f4")  # all projects
        await settle(pilot)
        assert OTHER_PROJECT_SQL in listed(app)
        await pilot.click("#filter-project")  # the filter buttons cycle when clicked
        await settle(pilot)
        assert OTHER_PROJECT_SQL not in listed(app)


async def test_enter_dismisses_to_open_the_sql(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"failed ")  # no match yet: enter does nothing
        await settle(pilot)
        await pilot.press("enter")
        assert app.choices == []
        await pilot.press(*(["backspace"] * 7), *"selec")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # from the list, second match
        await pilot.pause()
        entry = store.search("selec", project=1)[1]
        assert app.choices == [HistoryChoice("open", entry.sql, entry.id, None)]


@pytest.mark.parametrize("key", ["ctrl+j", "ctrl+enter"])
async def test_ctrl_enter_dismisses_to_rerun(store: HistoryStore, key: str) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"count")
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        (choice,) = app.choices
        assert choice is not None and (choice.action, choice.sql) == ("run", COUNT_SQL)


@pytest.mark.parametrize("key", ["escape", "f8", "ctrl+r"])
async def test_escape_and_the_opening_keys_close_with_none(store: HistoryStore, key: str) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.choices == [None]


async def test_star_toggles_and_shows_in_saved(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # list focused, second entry: the cancelled run
        await pilot.press("s")
        await settle(pilot)
        (saved,) = store.saved()
        assert saved.sql == CANCELLED_SQL and saved.starred
        assert "★ select sleep(3)" in screen_text(app)
        assert "Starred: it is in Saved" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert listed(app) == [CANCELLED_SQL]
        await pilot.press("ctrl+s")  # unstar from the Saved view
        await settle(pilot)
        assert store.saved() == [] and listed(app) == []
        await pilot.click("#view-history")  # the view tabs work with the mouse too
        await settle(pilot)
        assert len(listed(app)) == 5 and "★" not in screen_text(app)


async def test_it_can_open_on_the_saved_view(store: HistoryStore) -> None:
    store.set_name(store.search("ten days")[0].id, "old one")
    app = Host(store, saved=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert listed(app) == [OLD_SQL]
        assert "1 saved query" in screen_text(app)


async def test_name_an_entry(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"count")
        await settle(pilot)
        await pilot.press("down", "n")
        await pilot.pause()
        assert isinstance(app.screen, NameEntryPrompt)
        await pilot.press(*"weekly total", "enter")
        await settle(pilot)
        (saved,) = store.saved()
        assert saved.name == "weekly total" and saved.run_count == 3
        assert "×3 weekly total · select count()" in screen_text(app)


async def test_delete_asks_first(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"count")
        await settle(pilot)
        entry_id = app.browser.query_one(HistoryList).entries[0].id
        await pilot.press("down", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert store.get(entry_id) is not None
        await pilot.press("delete", "y")
        await settle(pilot)
        assert store.get(entry_id) is None and store.runs_of(entry_id) == []
        assert listed(app) == []
        assert "0 entries · Deleted 3 run(s)" in screen_text(app)


async def test_starring_an_entry_deleted_elsewhere_says_so(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        newest = app.browser.query_one(HistoryList).entries[0]
        store.delete(newest.id)  # e.g. another instance sharing the file
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "That entry no longer exists" in screen_text(app)
        assert store.saved() == [] and MARKUP_SQL not in listed(app)


async def test_after_a_delete_the_cursor_rests_on_the_next_entry(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "delete", "y")  # the cancelled run, second row
        await settle(pilot)
        history_list = app.browser.query_one(HistoryList)
        assert listed(app) == [MARKUP_SQL, FAILED_SQL, COUNT_SQL, OLD_SQL]
        assert history_list.highlighted_entry is not None
        assert history_list.highlighted_entry.sql == FAILED_SQL


async def test_sql_and_errors_are_shown_literally(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the markup query is the newest: listed and previewed
        text = screen_text(app)
        assert "'[bold]x[/]' as markup, '\\x1b[31mred' as ansi" in text
        assert "\x1b[31m" not in text
        await pilot.press("f2", "f2")  # failed runs only
        await settle(pilot)
        assert "[syntax] Syntax error at [bold]here[/]" in screen_text(app)


async def test_preview_shows_sample_rows(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"count")
        await settle(pilot)
        text = screen_text(app)
        assert "×3 runs since" in text
        assert "Sample: 1 row stored · n, label" in text and "42 │ [red]x" in text


async def test_mouse_click_highlights_and_double_click_opens(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(HistoryList, offset=(5, 2))  # third row: the failed run
        await pilot.pause()
        assert app.choices == []
        assert app.browser.query_one(HistoryList).highlighted == 2
        assert "Syntax error" in screen_text(app)
        await pilot.click(HistoryList, offset=(5, 2), times=2)
        await pilot.pause()
        (choice,) = app.choices
        assert choice is not None and (choice.action, choice.sql) == ("open", FAILED_SQL)


async def test_typing_in_the_list_goes_to_the_filter(store: HistoryStore) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", *"coun")
        await settle(pilot)
        assert app.browser.filter_input.value == "coun"
        assert listed(app) == [COUNT_SQL]
        await pilot.press("down")
        assert app.focused is app.browser.query_one(HistoryList)
        await pilot.press("up")  # on the first row: back to the filter
        assert app.focused is app.browser.filter_input


async def test_store_warnings_are_shown(store: HistoryStore) -> None:
    store.degraded_reason = "recording a run failed on /x (disk full)"
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⚠ recording a run failed on /x (disk full)" in screen_text(app)


async def test_a_long_history_lists_the_newest_only() -> None:
    with HistoryStore(in_memory_only=True, clock=NOW.timestamp) as big:
        for index in range(LIST_LIMIT + 50):
            big.record_submitted(f"select {index}", host=HOST, project_id=1)
        app = Host(big)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            shown = listed(app)
            assert len(shown) == LIST_LIMIT and shown[0] == f"select {LIST_LIMIT + 49}"
            assert f"(the newest {LIST_LIMIT}: type to narrow)" in screen_text(app)


def test_snapshot_history_browser(snap_compare: Any, store: HistoryStore) -> None:
    store.set_starred(store.search("count")[0].id)
    store.set_name(store.search("sleep")[0].id, "slow one")

    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "down", "down")  # the folded count entry

        await settle(pilot)

    assert snap_compare(Host(store), terminal_size=SIZE, run_before=before)
