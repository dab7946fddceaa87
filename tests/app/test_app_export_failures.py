"""An export-all that fails says why on its sidebar entry: 429 after retries, a lost
connection, a full disk (fake client: no server needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeClient, Script, make_app, make_result
from test_app_export import COLUMNS, ROWS, TYPES, messages, open_dialog, run_query
from textual.widgets import Checkbox, Input

from tests.export.conftest import fill_disk_after
from workbench.app.widgets.sidebar import RunEntry
from workbench.client.budget import RateBudget
from workbench.client.errors import NetworkError, RateLimited
from workbench.client.models import QueryResult
from workbench.runs import RunState


class ExportClient(FakeClient):
    """Shows ``select 1``; the export's count says 3 rows; its pages do what ``page`` does."""

    def __init__(self, page: Callable[[], QueryResult]) -> None:
        super().__init__({"select 1": Script(result=make_result(COLUMNS, TYPES, ROWS))})
        self.budget = RateBudget()
        self.page = page
        self.page_calls = 0

    async def run_query(self, sql: str, **kwargs: Any) -> QueryResult:
        if sql == "select 1":
            return await super().run_query(sql, **kwargs)
        if sql.startswith("SELECT count()"):
            return make_result(["count()"], ["UInt64"], [[3]])
        self.page_calls += 1
        return self.page()


async def failed_line(client: ExportClient, destination: Path) -> str:
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-path", Input).value = str(destination)
        dialog.query_one("#export-all", Checkbox).value = True
        dialog.query_one("#export-key", Input).value = "n"
        await pilot.pause()
        dialog.action_export()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        run = app.context.registry.newest()
        assert run is not None and run.export is not None
        assert run.state is RunState.FAILED, run.state
        entry = app.main_screen.query_one(f"#run-{run.client_query_id}", RunEntry)
        line = str(entry.query_one(".run-progress").render())
        assert any(m.startswith("Export failed: ") for m in messages(app)), messages(app)
        return line


async def test_429_after_the_retries_says_rate_limited(tmp_path: Path) -> None:
    def refuse() -> QueryResult:
        raise RateLimited("Request was throttled.", retry_after=0.0)

    client = ExportClient(refuse)
    line = await failed_line(client, tmp_path / "out.csv")
    assert client.page_calls == 6  # the first try and five retries
    assert line.startswith("Failed after 0 rows: nothing written. Rate limited: "), line


async def test_a_lost_connection_says_so(tmp_path: Path) -> None:
    def drop() -> QueryResult:
        raise NetworkError("the server closed the connection", kind="reset")

    line = await failed_line(ExportClient(drop), tmp_path / "out.csv")
    assert line == (
        "Failed after 0 rows: nothing written. "
        "Network error (reset): the server closed the connection"
    )


async def test_a_full_disk_says_so_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_disk_after(monkeypatch, 10)
    ordered = sorted(ROWS, key=lambda row: row[0])
    client = ExportClient(lambda: make_result(COLUMNS, TYPES, ordered))
    destination = tmp_path / "out.csv"
    line = await failed_line(client, destination)
    assert line == (
        "Failed after 0 rows: nothing written. "
        f"No space left on the device while writing {destination}."
    )
    assert not destination.exists()
