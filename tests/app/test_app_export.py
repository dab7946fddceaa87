"""alt+e: export the shown result to a file or the clipboard, and export every row."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from fakes import FakeClient, Script, make_app, make_result
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from workbench.app.screens.export_dialog import ExportDialog
from workbench.app.widgets.sidebar import RunEntry
from workbench.app.workbench_app import WorkbenchApp
from workbench.client.budget import RateBudget
from workbench.client.models import QueryResult
from workbench.runs import RunState
from workbench.server.launcher import LocalServer

AT = "2026-11-29T11:57:00Z"
ROWS: list[list[Any]] = [
    [3, "[bold]x[/]", None, AT],
    [1, "tab\there", 2.5, AT],
    [2, "beta", -1.0, AT],
]
COLUMNS = ["n", "label", "score", "at"]
TYPES = ["UInt8", "String", "Nullable(Float64)", "DateTime64(6, 'UTC')"]


def fake_app() -> WorkbenchApp:
    result = make_result(COLUMNS, TYPES, ROWS)
    return make_app(FakeClient({"select 1": Script(result=result)}))


async def run_query(app: WorkbenchApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f5")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_dialog(app: WorkbenchApp, pilot: Pilot[Any]) -> ExportDialog:
    await pilot.press("alt+e")
    await pilot.pause()
    assert isinstance(app.screen, ExportDialog)
    return app.screen


async def export_to(app: WorkbenchApp, pilot: Pilot[Any], destination: Path) -> None:
    dialog = await open_dialog(app, pilot)
    dialog.query_one("#export-path", Input).value = str(destination)
    await pilot.pause()
    dialog.action_export()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def messages(app: WorkbenchApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_no_result_shown_gives_a_notice() -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("alt+e")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert any("No result is shown" in m for m in messages(app))


async def test_export_to_csv_and_parquet_reads_back(tmp_path: Path) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        csv_path = tmp_path / "out.csv"
        await export_to(app, pilot, csv_path)
        with csv_path.open(newline="") as handle:
            read = list(csv.reader(handle))
        assert read == [
            COLUMNS,
            ["3", "[bold]x[/]", "", AT],
            ["1", "tab\there", "2.5", AT],
            ["2", "beta", "-1.0", AT],
        ]
        assert any(f"Wrote 3 rows to {csv_path}" in m for m in messages(app))

        parquet_path = tmp_path / "out.parquet"
        await export_to(app, pilot, parquet_path)
        table = pq.read_table(parquet_path)
        assert table.column_names == COLUMNS
        row = table.to_pylist()[1]
        assert (row["n"], row["label"], row["score"]) == (1, "tab\there", 2.5)
        assert row["at"].isoformat() == "2026-11-29T11:57:00+00:00"
        assert table.column("score").to_pylist() == [None, 2.5, -1.0]


async def test_format_follows_the_file_ending() -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = "~/x.jsonl"
        await pilot.pause()
        assert dialog.format_select.value == "jsonl"
        dialog.format_select.value = "parquet"
        await pilot.pause()
        assert dialog.query_one("#export-path", Input).value == "~/x.parquet"
        await pilot.press("escape")


async def test_clipboard_gets_tsv() -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-clipboard", Checkbox).value = True
        dialog.action_export()
        await pilot.pause()
        assert app.clipboard.splitlines() == [
            "n\tlabel\tscore\tat",
            f"3\t[bold]x[/]\t\t{AT}",
            f"1\ttab\\there\t2.5\t{AT}",
            f"2\tbeta\t-1.0\t{AT}",
        ]


async def test_clipboard_refuses_a_too_large_result() -> None:
    big = [["x" * 1000]] * 2000
    result = make_result(["s"], ["String"], big)
    app = make_app(FakeClient({"select 1": Script(result=result)}))
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-clipboard", Checkbox).value = True
        dialog.action_export()
        await pilot.pause()
        assert app.clipboard == ""
        assert any("too much for the clipboard" in m for m in messages(app))


async def test_unwritable_destination_says_so(tmp_path: Path) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        destination = tmp_path / "missing-dir" / "out.csv"
        await export_to(app, pilot, destination)
        assert not destination.exists()
        assert any(m.startswith("Nothing written:") for m in messages(app))


class HangingClient(FakeClient):
    """Answers ``select 1``; every other query (the export's) waits until cancelled."""

    def __init__(self) -> None:
        result = make_result(COLUMNS, TYPES, ROWS)
        super().__init__({"select 1": Script(result=result)})
        self.budget = RateBudget()
        self.export_started = asyncio.Event()
        self.export_cancelled = False

    async def run_query(self, sql: str, **kwargs: Any) -> QueryResult:
        if sql == "select 1":
            return await super().run_query(sql, **kwargs)
        self.export_started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.export_cancelled = True
            raise
        raise AssertionError("unreachable")


async def test_f9_cancels_a_running_export_all_in_the_sidebar(tmp_path: Path) -> None:
    client = HangingClient()
    app = make_app(client)
    destination = tmp_path / "all.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = str(destination)
        dialog.query_one("#export-all", Checkbox).value = True
        await pilot.pause()
        dialog.action_export()
        await asyncio.wait_for(client.export_started.wait(), 5)
        await pilot.pause()
        run = app.context.registry.newest()
        assert run is not None and run.export is not None
        entry = app.main_screen.query_one(f"#run-{run.client_query_id}", RunEntry)
        assert str(entry.query_one(".run-sql").render()) == "export → all.csv"
        page_query = run.export.page_query_id
        assert page_query is not None
        await pilot.press("ctrl+g")
        app.main_screen.sidebar.highlight(run.client_query_id)
        await pilot.press("f9")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert client.export_cancelled
        assert run.state is RunState.CANCELLED
        assert page_query in client.cancelled  # DELETE for the page query in flight
        assert not destination.exists()
        outcome = str(entry.query_one(".run-progress").render())
        assert outcome == "Cancelled after 0 rows: nothing written"
        assert not run.export.resumable
        assert "Cancelled after 0 rows" in " ".join(messages(app))
        await pilot.press("enter")  # the entry's details in the results area
        await pilot.pause()
        shown = str(app.main_screen.query_one("#results-message", Static).render())
        assert shown.startswith("Cancelled after 0 rows: nothing written\n\nFile: ")
        assert f"File: {destination}\nFormat: csv; paging on timestamp" in shown


async def test_export_all_from_the_local_server(local_server: LocalServer, tmp_path: Path) -> None:
    from test_app_server import server_app

    from workbench.client import PostHogClient
    from workbench.connection import ConnectionSettings

    sql = "select event, timestamp from events where event = '$pageview'"
    app = server_app(local_server, sql)
    destination = tmp_path / "all.jsonl"
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        for _ in range(200):
            if app.main_screen.results.shown_run_id is not None:
                run = app.main_screen.registry.find(app.main_screen.results.shown_run_id)
                if run is not None and run.result is not None:
                    break
            await pilot.pause(0.05)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = str(destination)
        await pilot.pause()
        assert dialog.format_select.value == "jsonl"
        dialog.query_one("#export-all", Checkbox).value = True
        dialog.action_export()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("Exported ") for m in messages(app)), messages(app)

    settings = ConnectionSettings(
        host=local_server.base_url,
        project_id=str(local_server.project_id),
        api_key=local_server.api_key,
    )
    async with PostHogClient(settings) as client:
        counted = await client.run_query(f"select count() from ({sql})", row_limit=1)
    lines = destination.read_text().splitlines()
    assert len(lines) == int(counted.rows[0][0]) > 0
    assert json.loads(lines[0])["event"] == "$pageview"


async def test_a_second_export_to_a_busy_destination_is_refused(tmp_path: Path) -> None:
    client = HangingClient()
    app = make_app(client)
    destination = tmp_path / "all.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        for _ in range(2):
            dialog = await open_dialog(app, pilot)
            dialog.query_one("#export-path", Input).value = str(destination)
            dialog.query_one("#export-all", Checkbox).value = True
            await pilot.pause()
            dialog.action_export()
            await pilot.pause()
        exports = [run for run in app.context.registry if run.export is not None]
        assert len(exports) == 1
        assert any(f"An export to {destination} is already running." in m for m in messages(app))
        app.main_screen.cancel_run(exports[0].client_query_id)
        for _ in range(100):
            if exports[0].state.is_final:
                break
            await pilot.pause(0.01)
        assert exports[0].state is RunState.CANCELLED
