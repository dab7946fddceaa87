"""The history browser inside the real app: a choice opens a new tab, or opens and runs it."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any

from fakes import FakeClient, make_app
from textual.pilot import Pilot

from workbench.app.history_actions import apply_history_choice, history_browser_for
from workbench.app.screens.history_browser import HistoryBrowser
from workbench.app.workbench_app import WorkbenchApp
from workbench.history import HistoryStore

HOST = "http://127.0.0.1:8000"
PAST_SQL = "select 42 as answer from events"


async def open_browser(pilot: Pilot[Any], app: WorkbenchApp) -> HistoryBrowser:
    """Push the browser the way the main screen's F8 does and wait for its first rows."""
    browser = history_browser_for(app.context)
    assert browser is not None
    app.push_screen(browser, partial(apply_history_choice, app.main_screen))
    deadline = time.monotonic() + 5
    await pilot.pause()
    while browser.busy and time.monotonic() < deadline:
        await pilot.pause(0.02)
    await pilot.pause()
    return browser


def app_with_history(store: HistoryStore, client: FakeClient) -> WorkbenchApp:
    app = make_app(client)
    app.context.record_history(store, host=HOST, project_id="1")
    entry_id = store.record_submitted(PAST_SQL, host=HOST, project_id="1")
    store.record_finished(entry_id, state="done", row_count=1)
    return app


async def test_enter_opens_the_sql_in_a_new_tab(tmp_path: Path) -> None:
    client = FakeClient()
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        app = app_with_history(store, client)
        async with app.run_test(size=(140, 40)) as pilot:
            tabs_before = len(app.main_screen.editor_tabs.editors)
            browser = await open_browser(pilot, app)
            assert [e.sql for e in browser.history_list.entries] == [PAST_SQL]
            await pilot.press("enter")
            await pilot.pause()
            tabs = app.main_screen.editor_tabs
            assert len(tabs.editors) == tabs_before + 1
            assert tabs.current_editor.text == PAST_SQL
            assert client.submitted == []


async def test_ctrl_j_opens_and_runs_it_and_the_run_is_recorded(tmp_path: Path) -> None:
    client = FakeClient()
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        app = app_with_history(store, client)
        async with app.run_test(size=(140, 40)) as pilot:
            await open_browser(pilot, app)
            await pilot.press("ctrl+j")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.main_screen.editor_tabs.current_editor.text == PAST_SQL
            assert [sql for _, sql in client.submitted] == [PAST_SQL]
            (entry,) = store.search("answer")
            assert entry.run_count == 2  # the re-run folded into the past entry


def test_no_browser_when_history_is_off() -> None:
    app = make_app(FakeClient())
    assert app.context.history is None
    assert history_browser_for(app.context) is None
