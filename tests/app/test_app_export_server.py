"""Export-all from the app against the local server: a sidebar entry with progress, F9 stops
the page query on the server, a stopped export leaves a partial file and resume state, and
resuming from the app gives the same rows as a direct export.

Every export selects ``cityHash64(uuid) AS h``, so a file can be checked against the
server's ``count()`` and ``sum(h)``: a lost or a duplicated row changes one of them.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Label

from tests.app.local_app import local_app, wait_for
from workbench.app import export_actions
from workbench.app.export_text import export_progress_line
from workbench.app.screens.export_dialog import ExportDialog
from workbench.app.screens.resume_dialog import ResumeDialog
from workbench.app.widgets.sidebar import RunEntry
from workbench.app.workbench_app import WorkbenchApp
from workbench.client import PollSchedule, PostHogClient, RateBudget
from workbench.client.budget import BucketRule
from workbench.connection import ConnectionSettings
from workbench.export import ExportJob
from workbench.export.files import staging_path
from workbench.export.state import ExportState, state_path
from workbench.runs import QueryRun, RunState
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

SIZE = (140, 45)
SQL = "select uuid, cityHash64(uuid) as h, timestamp from events"
PAGE_ROWS = 5_000
POLLS = PollSchedule(initial=0.01, factor=1.5, cap=0.1, give_up_after=120.0)
UNLIMITED = {
    "hogql": BucketRule(100_000, 3600.0),
    "burst": BucketRule(100_000, 60.0),
    "sustained": BucketRule(100_000, 3600.0),
}
FOUR_QUERIES = {**UNLIMITED, "hogql": BucketRule(4, 3600.0)}
"""The shown query, the count and two pages, then an hour's wait for the budget: a stop at
a known place."""

SLOW_PAGE_SQL = (
    "select a.timestamp as timestamp, cityHash64(a.uuid, b.uuid) as h "
    "from events as a cross join events as b"
)
"""2.5 billion pairs to order before the first page: a page query that runs until cancelled."""


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_actions, "EXPORT_PAGE_ROWS", PAGE_ROWS)


def settings_of(server: LocalServer) -> ConnectionSettings:
    return ConnectionSettings(
        host=server.base_url, project_id=str(server.project_id), api_key=server.api_key
    )


def app_for(server: LocalServer, rules: dict[str, BucketRule]) -> WorkbenchApp:
    return local_app(server, SQL, budget=RateBudget(rules=dict(rules)), poll_schedule=POLLS)  # type: ignore[arg-type]


async def show_result(app: WorkbenchApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f5")
    registry = app.context.registry
    await wait_for(pilot, lambda: (r := registry.newest()) is not None and r.state.is_final)
    run = registry.newest()
    assert run is not None and run.state in (RunState.DONE, RunState.CACHED), run and run.error


async def start_export_all(app: WorkbenchApp, pilot: Pilot[Any], destination: Path) -> None:
    await pilot.press("alt+e")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#export-path", Input).value = str(destination)
    dialog.query_one("#export-all", Checkbox).value = True
    await pilot.pause()
    dialog.action_export()
    await pilot.pause()


def export_run(app: WorkbenchApp) -> QueryRun:
    run = app.context.registry.newest()
    assert run is not None and run.export is not None
    return run


async def start_until_budget_wait(
    app: WorkbenchApp, pilot: Pilot[Any], destination: Path
) -> QueryRun:
    """Start an export-all on a spent budget; the run once it waits for the budget."""
    await show_result(app, pilot)
    await start_export_all(app, pilot, destination)
    run = export_run(app)
    await wait_for(pilot, lambda: "for the query budget" in entry_lines(app, run)[1])
    return run


async def cancel_from_the_list(app: WorkbenchApp, pilot: Pilot[Any], run: QueryRun) -> None:
    """Select ``run`` in the queries list, press F9 and wait until it ends."""
    await pilot.press("ctrl+g")
    app.main_screen.sidebar.highlight(run.client_query_id)
    await pilot.press("f9")
    await wait_for(pilot, lambda: run.state.is_final)


def lift_the_budget(app: WorkbenchApp) -> None:
    """Give the app's client an unlimited budget from now on."""
    client = app.context.session.current
    assert client is not None
    client.budget.rules.update(UNLIMITED)  # type: ignore[attr-defined]


def entry_lines(app: WorkbenchApp, run: QueryRun) -> tuple[str, str]:
    entry = app.main_screen.query_one(f"#run-{run.client_query_id}", RunEntry)
    return str(entry.query_one(".run-sql").render()), str(entry.query_one(".run-progress").render())


async def server_totals(server: LocalServer, sql: str) -> tuple[int, int]:
    async with PostHogClient(settings_of(server)) as client:
        result = await client.run_query(f"select count(), sum(h) from ({sql}) as s", row_limit=1)
    count, total = result.rows[0]
    return int(count), int(total)


def file_totals(path: Path) -> tuple[int, int, str]:
    """Rows, sum of h (mod 2^64 as ClickHouse sums UInt64) and a digest of the sorted lines."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = sum(int(row["h"]) for row in rows) % 2**64
    lines = sorted(",".join(row.values()) for row in rows)
    return len(rows), total, hashlib.sha256("\n".join(lines).encode()).hexdigest()


async def test_the_sidebar_shows_the_export_and_its_final_state(
    local_server: LocalServer, tmp_path: Path
) -> None:
    app = app_for(local_server, UNLIMITED)
    destination = tmp_path / "out.csv"
    async with app.run_test(size=SIZE) as pilot:
        await show_result(app, pilot)
        # Every progress report's line, as the entry draws it (sampling the screen could miss
        # them all on a fast machine).
        seen: set[str] = set()
        registry = app.context.registry
        record_progress = registry.record_export_progress

        def recorded(client_query_id: str, progress: Any) -> QueryRun:
            updated = record_progress(client_query_id, progress)
            seen.add(export_progress_line(updated, time.monotonic()))
            return updated

        registry.record_export_progress = recorded  # type: ignore[method-assign]
        await start_export_all(app, pilot, destination)
        run = export_run(app)
        assert run.sql == SQL
        await wait_for(pilot, lambda: run.state.is_final)
        assert run.state is RunState.DONE, run.error
        title, outcome = entry_lines(app, run)
        assert title == "export → out.csv"
        assert outcome.startswith("Exported 50,000 rows to out.csv in ")
        # While it ran, the entry said how far it was against the counted total.
        assert any(" / 50,000 rows · " in line for line in seen), seen
    count, total = await server_totals(local_server, SQL)
    rows, summed, _ = file_totals(destination)
    assert (rows, summed) == (count, total % 2**64)


async def test_f9_stops_the_page_query_on_the_server(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_actions, "EXPORT_COUNT_TOTAL", False)  # the page is in flight
    app = local_app(local_server, SLOW_PAGE_SQL, poll_schedule=POLLS)
    destination = tmp_path / "slow.csv"
    url = f"{local_server.base_url}/api/projects/{local_server.project_id}/query/"
    headers = {"Authorization": f"Bearer {local_server.api_key}"}
    async with app.run_test(size=SIZE) as pilot, httpx.AsyncClient(headers=headers) as http:
        # The grid's rows come quickly (the client adds a LIMIT and nothing is ordered);
        # a keyset page must order all 2.5 billion pairs first.
        await show_result(app, pilot)
        await start_export_all(app, pilot, destination)
        run = export_run(app)
        assert run.export is not None
        await wait_for(pilot, lambda: run.export is not None and run.export.page_query_id)
        page_query = run.export.page_query_id
        assert page_query is not None
        status = await http.get(url + page_query + "/")
        assert status.status_code == 202  # running on the server

        await pilot.press("ctrl+g")
        app.main_screen.sidebar.highlight(run.client_query_id)
        await pilot.press("f9")
        await wait_for(pilot, lambda: run.state.is_final)
        await app.workers.wait_for_complete()
        assert run.state is RunState.CANCELLED
        status = await http.get(url + page_query + "/")
        assert status.status_code == 404  # gone: killed, not left running
        assert entry_lines(app, run)[1] == "Cancelled after 0 rows: nothing written"
    assert not destination.exists()


async def test_f9_outside_the_list_stops_the_export_not_the_finished_result(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The grid still shows the finished query the export started from: F9 from the editor
    # must reach the export, the only thing running.
    monkeypatch.setattr(export_actions, "EXPORT_COUNT_TOTAL", False)
    app = local_app(local_server, SLOW_PAGE_SQL, poll_schedule=POLLS)
    async with app.run_test(size=SIZE) as pilot:
        await show_result(app, pilot)
        shown = app.main_screen.results.shown_run_id
        await start_export_all(app, pilot, tmp_path / "slow.csv")
        run = export_run(app)
        await wait_for(pilot, lambda: run.export is not None and run.export.page_query_id)
        app.main_screen.editor_tabs.current_editor.focus()
        await pilot.pause()
        assert app.main_screen.results.shown_run_id == shown != run.client_query_id
        await pilot.press("f9")
        await wait_for(pilot, lambda: run.state.is_final)
        await app.workers.wait_for_complete()
        assert run.state is RunState.CANCELLED


async def test_a_stopped_export_resumes_from_the_dialog_and_matches_a_direct_export(
    local_server: LocalServer, tmp_path: Path
) -> None:
    app = app_for(local_server, FOUR_QUERIES)
    destination = tmp_path / "out.csv"
    async with app.run_test(size=SIZE) as pilot:
        run = await start_until_budget_wait(app, pilot, destination)
        waiting = r"[\d,]+ / 50,000 rows · 2 pages · waiting \d+ s for the query budget"
        assert re.fullmatch(waiting, entry_lines(app, run)[1]), entry_lines(app, run)

        await cancel_from_the_list(app, pilot, run)
        assert run.state is RunState.CANCELLED
        saved = ExportState.load(state_path(destination))
        # Two pages of about 5,000 (a page ends before a tie that would cross its end).
        assert saved is not None and 9_000 < (done := saved.rows_written) <= 10_000
        assert entry_lines(app, run)[1] == f"Cancelled after {done:,} rows: alt+r resumes"
        assert not destination.exists()
        assert file_totals(staging_path(destination))[0] == done  # the partial file

        # The same export again: the dialog offers to resume from the saved key.
        lift_the_budget(app)
        await start_export_all(app, pilot, destination)
        offer = app.screen
        assert isinstance(offer, ResumeDialog)
        text = str(offer.query_one("#resume-offer", Label).render())
        assert f"interrupted after {done:,} rows" in text
        assert f"Resume from row {done + 1:,} (timestamp " in text
        await pilot.click("#resume-yes")
        await pilot.pause()
        resumed = export_run(app)
        assert resumed is not run and resumed.export is not None
        assert resumed.export.resumed_from == done
        await wait_for(pilot, lambda: resumed.state.is_final)
        assert resumed.state is RunState.DONE, resumed.error
        assert entry_lines(app, resumed)[0] == "export → out.csv (resumed)"
    assert not state_path(destination).exists()

    direct = tmp_path / "direct.csv"
    async with PostHogClient(
        settings_of(local_server), budget=RateBudget(rules=UNLIMITED), poll_schedule=POLLS
    ) as client:
        await ExportJob(client, SQL, direct, page_size=PAGE_ROWS).run()
    count, total = await server_totals(local_server, SQL)
    assert file_totals(destination) == file_totals(direct)
    assert file_totals(destination)[:2] == (count, total % 2**64)


async def test_alt_r_resumes_the_selected_stopped_export(
    local_server: LocalServer, tmp_path: Path
) -> None:
    app = app_for(local_server, FOUR_QUERIES)
    destination = tmp_path / "again.csv"
    async with app.run_test(size=SIZE) as pilot:
        run = await start_until_budget_wait(app, pilot, destination)
        await cancel_from_the_list(app, pilot, run)
        assert run.export is not None and run.export.resumable
        lift_the_budget(app)
        await pilot.press("alt+r")
        await pilot.pause()
        resumed = export_run(app)
        assert resumed is not run and not run.export.resumable  # the new run owns the state
        await wait_for(pilot, lambda: resumed.state.is_final)
        assert resumed.state is RunState.DONE, resumed.error
        # The stopped entry says where its rows went, not "nothing written".
        assert re.fullmatch(
            r"Cancelled after [\d,]+ rows: resumed by a later run", entry_lines(app, run)[1]
        ), entry_lines(app, run)
    count, total = await server_totals(local_server, SQL)
    assert file_totals(destination)[:2] == (count, total % 2**64)


async def test_two_exports_and_a_query_run_at_once(
    local_server: LocalServer, tmp_path: Path
) -> None:
    from workbench.app.screens.export_dialog import ExportChoice

    app = app_for(local_server, UNLIMITED)
    first, second = tmp_path / "first.csv", tmp_path / "second.jsonl"
    async with app.run_test(size=SIZE) as pilot:
        await show_result(app, pilot)
        screen = app.main_screen
        # Started back to back (as two quick dialogs would): neither waits for the other.
        for path, fmt in ((first, "csv"), (second, "jsonl")):
            choice = ExportChoice(path, fmt, export_all=True)  # type: ignore[arg-type]
            export_actions.start_export_all(screen, SQL, choice, resume=False)
        await pilot.press("f5")  # and the query again
        registry = app.context.registry
        runs = list(registry)[-3:]
        assert [run.is_export for run in runs] == [True, True, False]
        entries = screen.sidebar.list_view.query(RunEntry)
        assert {e.client_query_id for e in entries} >= {r.client_query_id for r in runs}
        await wait_for(pilot, lambda: all(run.state.is_final for run in runs))
        assert [run.state for run in runs[:2]] == [RunState.DONE, RunState.DONE], [
            run.error for run in runs
        ]
        assert runs[2].state in (RunState.DONE, RunState.CACHED)
    count, total = await server_totals(local_server, SQL)
    assert file_totals(first)[:2] == (count, total % 2**64)
    assert len(second.read_text().splitlines()) == count


async def test_the_entry_resume_button_resumes_with_the_mouse(
    local_server: LocalServer, tmp_path: Path
) -> None:
    app = app_for(local_server, FOUR_QUERIES)
    destination = tmp_path / "clicked.parquet"
    async with app.run_test(size=SIZE) as pilot:
        run = await start_until_budget_wait(app, pilot, destination)
        assert await pilot.click(f"#cancel-{run.client_query_id}")
        await wait_for(pilot, lambda: run.state.is_final)
        lift_the_budget(app)
        await pilot.pause()
        assert await pilot.click(f"#resume-{run.client_query_id}")
        await pilot.pause()
        resumed = export_run(app)
        assert resumed is not run
        await wait_for(pilot, lambda: resumed.state.is_final)
        assert resumed.state is RunState.DONE, resumed.error
    table = pq.read_table(destination)
    count, total = await server_totals(local_server, SQL)
    summed = sum(table.column("h").to_pylist()) % 2**64
    assert (table.num_rows, summed) == (count, total % 2**64)
