"""The "Done when" scenarios, driven with Pilot against the local server over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from textual.coordinate import Coordinate
from textual.widgets import Static

from tests.app.local_app import local_app, wait_for
from workbench.app.widgets.results import ResultsPane
from workbench.app.widgets.sidebar import RunEntry
from workbench.app.workbench_app import WorkbenchApp
from workbench.runs import RunState
from workbench.server.launcher import LocalServer, start_local_server

pytestmark = pytest.mark.server

SIZE = (140, 45)

LONG_QUERY = "select sum(cityHash64(a.uuid, b.uuid)) from events as a cross join events as b"
"""2.5 billion pairs on the 50,000-event fixture: runs until cancelled."""


def server_app(server: LocalServer, text: str = "") -> WorkbenchApp:
    return local_app(server, text)


def results(app: WorkbenchApp) -> ResultsPane:
    return app.main_screen.query_one(ResultsPane)


def message_text(app: WorkbenchApp) -> str:
    return str(results(app).query_one("#results-message", Static).render())


async def test_type_a_query_run_it_and_see_the_rows(local_server: LocalServer) -> None:
    app = server_app(local_server)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"select event, count() as n from events group by event order by n desc")
        await pilot.press("f5")
        registry = app.context.registry
        await wait_for(pilot, lambda: len(registry) == 1 and not registry.active())
        run = registry.newest()
        assert run is not None and run.state is RunState.DONE, run and run.error
        grid = results(app).grid
        assert grid is not None and grid.row_count >= 3
        assert grid.get_cell_at(Coordinate(0, 0)) == "$pageview"
        info = str(results(app).query_one("#results-info").render())
        assert info.startswith(f"{grid.row_count} rows  ·  fresh, computed just now  ·  ")


async def test_a_long_query_shows_progress_and_cancel_stops_it_on_the_server(
    local_server: LocalServer,
) -> None:
    app = server_app(local_server, LONG_QUERY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        registry = app.context.registry
        await wait_for(pilot, lambda: any(r.progress is not None for r in registry))
        run = registry.newest()
        assert run is not None and run.state is RunState.RUNNING
        entry = app.main_screen.query_one(f"#run-{run.client_query_id}", RunEntry)
        shown_before = str(entry.query_one(".run-state").render())
        assert "rows" in str(entry.query_one(".run-progress").render())
        # Progress moves: the server's reports advance (on this small fixture ClickHouse reads
        # all rows in one block, so it is its elapsed time that grows) and the entry ticks.
        reported: set[float] = set()

        def progress_moved() -> bool:
            if run.progress is not None:
                reported.add(run.progress.time_elapsed)
            return len(reported) >= 2

        await wait_for(pilot, progress_moved)
        await wait_for(pilot, lambda: str(entry.query_one(".run-state").render()) != shown_before)

        assert await pilot.click(f"#cancel-{run.client_query_id}")
        await wait_for(pilot, lambda: run.state.is_final)
        await app.workers.wait_for_complete()
        assert run.state is RunState.CANCELLED
        assert "cancelled" in str(entry.query_one(".run-state").render())
        assert "Cancelled" in message_text(app)

        # The server's query is gone: its status no longer exists.
        url = f"{local_server.base_url}/api/projects/{local_server.project_id}/query/"
        headers = {"Authorization": f"Bearer {local_server.api_key}"}
        async with httpx.AsyncClient() as http:
            status = await http.get(url + run.client_query_id + "/", headers=headers)
        assert status.status_code == 404


async def test_three_at_once_then_switch_between_their_results(local_server: LocalServer) -> None:
    # Each hashes 50,000 × 2,000 pairs (about a second), so all three overlap on the server.
    queries = [
        f"select '{label}' as which, sum(cityHash64(a.uuid, b.uuid)) from events as a "
        "cross join (select uuid from events limit 2000) as b"
        for label in ("first", "second", "third")
    ]
    app = server_app(local_server, ";\n".join(queries) + ";\n")
    async with app.run_test(size=SIZE) as pilot:
        registry = app.context.registry
        submitted_at_first_finish: list[int] = []
        registry.add_finish_listener(lambda run: submitted_at_first_finish.append(len(registry)))
        editor = app.main_screen.editor_tabs.current_editor
        for row in range(3):
            editor.cursor_location = (row, 2)
            await pilot.press("f5")
        await wait_for(pilot, lambda: not registry.active())
        runs = list(registry)
        assert [run.state for run in runs] == [RunState.DONE] * 3
        assert submitted_at_first_finish[0] == 3  # all three were running at once
        assert results(app).shown_run_id == runs[2].client_query_id  # the newest shows
        for run, label in zip(runs, ["first", "second", "third"], strict=True):
            assert await pilot.click(f"#run-{run.client_query_id}")
            await pilot.pause()
            grid = results(app).grid
            assert grid is not None
            assert grid.get_cell_at(Coordinate(0, 0)) == label


async def test_a_hogql_error_underlines_the_right_span(local_server: LocalServer) -> None:
    app = server_app(local_server, "select 1;\n\nselect event, nosuchfunction(1) from events;\n")
    async with app.run_test(size=SIZE) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        editor.cursor_location = (2, 3)
        await pilot.press("f5")
        registry = app.context.registry
        await wait_for(pilot, lambda: not registry.active() and len(registry) == 1)
        assert "Unsupported function call 'nosuchfunction(...)'" in message_text(app)
        assert "line 1, column 15" in message_text(app)
        assert editor.error_span is not None
        start, end = editor.error_span
        assert editor.text[start:end] == "nosuchfunction(1)"


async def test_markup_and_an_ansi_escape_from_the_server_are_shown_literally(
    local_server: LocalServer,
) -> None:
    sql = "select '[bold]x[/]' as markup, concat('a', unhex('1b'), '[31mred') as ansi"
    app = server_app(local_server, sql)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        registry = app.context.registry
        await wait_for(pilot, lambda: not registry.active() and len(registry) == 1)
        grid = results(app).grid
        assert grid is not None
        assert grid.get_cell_at(Coordinate(0, 0)) == "[bold]x[/]"
        assert grid.get_cell_at(Coordinate(0, 1)) == "a\\x1b[31mred"
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "[bold]x[/]" in screen and "a\\x1b[31mred" in screen
        assert "\x1b" not in screen


@pytest.fixture
def throttled_server(tmp_path: Path) -> Iterator[LocalServer]:
    """A second server allowing two HogQL queries per hour (the shared one has no limits)."""
    pytest.importorskip("chdb")
    server = start_local_server(
        data_dir=tmp_path, events=2_000, extra_args=["--hogql-rate", "2/hour"], timeout=180
    )
    try:
        yield server
    finally:
        server.stop()


async def test_a_429_shows_the_retry_time_and_the_budget(throttled_server: LocalServer) -> None:
    app = server_app(throttled_server, "select 1")
    async with app.run_test(size=SIZE) as pilot:
        registry = app.context.registry
        for expected in (1, 2, 3):
            await pilot.press("f5")
            await wait_for(pilot, lambda n=expected: len(registry) == n and not registry.active())
        run = registry.newest()
        assert run is not None and run.state is RunState.FAILED
        text = message_text(app)
        assert text.startswith("Rate limited:")
        assert "Retry in " in text
        assert "budget 0/120 queries/h" in text
