"""The app records every run in query history, against the local server over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.local_app import wait_for
from tests.app.test_app_server import LONG_QUERY, SIZE, server_app
from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.history import HistoryStore
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server


async def test_runs_are_recorded_when_submitted_and_updated_when_they_end(
    local_server: LocalServer, tmp_path: Path
) -> None:
    # Its own text: another test's identical query would make this one a cache hit.
    good = "select event, count() as recorded from events group by event order by recorded"
    bad = "select nosuchfunction(1) from events"
    app = server_app(local_server, f"{good};\n{bad};\n{LONG_QUERY};\n")
    store = HistoryStore(tmp_path / "history.sqlite3")
    app.context.record_history(store, host="test-host", project_id="1")
    async with app.run_test(size=SIZE) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        registry = app.context.registry
        for row in range(2):
            editor.cursor_location = (row, 2)
            await pilot.press("f5")
            await wait_for(pilot, lambda: not registry.active())
        editor.cursor_location = (2, 2)
        await pilot.press("f5")
        # Recorded the moment it was submitted, long before it could end.
        assert store.recent()[0].state == "running"
        await app.main_screen.run_action("cancel_selected")
        await wait_for(pilot, lambda: not registry.active())
    cancelled, failed, done = store.recent()
    assert (done.sql, done.state, done.host, done.project_id) == (good, "done", "test-host", "1")
    assert done.row_count is not None and done.row_count >= 3
    assert done.columns == ("event", "recorded")
    assert (failed.sql, failed.state) == (bad, "failed")
    assert failed.error_message and "nosuchfunction" in failed.error_message
    assert (cancelled.sql, cancelled.state) == (LONG_QUERY, "cancelled")
    assert not files_holding(tmp_path, local_server.api_key)


def files_holding(folder: Path, secret: str) -> list[Path]:
    """Files of the history database (the WAL and shared memory too) containing ``secret``."""
    return [p for p in folder.glob("history.sqlite3*") if secret.encode() in p.read_bytes()]


async def test_f8_and_ctrl_r_open_the_browser_and_enter_loads_the_sql_into_a_new_tab(
    local_server: LocalServer, tmp_path: Path
) -> None:
    from workbench.app.screens.history_browser import HistoryBrowser

    app = server_app(local_server, "select 1")
    store = HistoryStore(tmp_path / "history.sqlite3")
    app.context.record_history(store, host="test-host", project_id="1")
    store.record_submitted("select 'from history' as origin", host="test-host", project_id="1")
    async with app.run_test(size=SIZE) as pilot:
        tabs = app.main_screen.editor_tabs
        for key in ("f8", "ctrl+r"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, HistoryBrowser))
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HistoryBrowser))
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryBrowser))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, HistoryBrowser))
        assert tabs.current_editor.text == "select 'from history' as origin"
        assert app.context.registry.newest() is None  # enter loads; it does not run


async def test_the_launched_app_opens_history_after_the_first_frame_and_records_runs(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.app.launch import build_context
    from workbench.app.workbench_app import WorkbenchApp
    from workbench.connection import ConnectionSettings

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    settings = ConnectionSettings(
        host=local_server.base_url,
        project_id=str(local_server.project_id),
        api_key=local_server.api_key,
    )
    context = build_context(settings, host_label="test", history_host="launched-host")
    assert context.history is None  # nothing opened before the first frame
    sql = "select 'launched' as origin"
    context.initial_buffers = SavedBuffers([SavedBuffer(title="q", text=sql)])
    app = WorkbenchApp(context)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: context.history is not None)
        await pilot.press("f5")
        await wait_for(pilot, lambda: len(context.registry) == 1 and not context.registry.active())
    with HistoryStore() as store:
        (entry,) = store.recent()
    assert (entry.sql, entry.state, entry.host) == (sql, "done", "launched-host")
