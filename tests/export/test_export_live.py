"""Export-all against the local server: 200,000 rows in keyset pages, ties, NULL keys, resume.

The module starts its own server with 250,000 events (the session fixture has 50,000).
Every export selects ``cityHash64(uuid) AS h``, so the file's rows can be checked against
the server's ``count()``, ``uniqExact(uuid)`` and ``sum(h)`` of the same query: a lost or a
duplicated row changes the count or the sum.
"""

from __future__ import annotations

import asyncio
import csv
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest

from tests.conftest import require_server_parts
from tests.export.conftest import fill_disk_after
from workbench.cli import main
from workbench.client import HogQLError, PollSchedule, PostHogClient, RateBudget
from workbench.client.budget import BucketRule
from workbench.connection import ConnectionSettings
from workbench.export import ExportError, ExportJob, ExportProgress
from workbench.export.formats import Format
from workbench.export.state import ExportState, state_path
from workbench.server.launcher import LocalServer, start_local_server

pytestmark = pytest.mark.server

EVENTS = 250_000
"""Enough for a 200,000-row export in four full pages and a short one."""

UNLIMITED = {
    "hogql": BucketRule(100_000, 3600.0),
    "burst": BucketRule(100_000, 60.0),
    "sustained": BucketRule(100_000, 3600.0),
}
"""The server runs without rate limits; the local budget must not make the tests wait."""

POLLS = PollSchedule(initial=0.01, factor=1.5, cap=0.1, give_up_after=120.0)
"""Quick polls: pages on the local server take tens of milliseconds."""

UINT64 = 2**64


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    require_server_parts()
    with tempfile.TemporaryDirectory() as data_dir:
        launched = start_local_server(
            events=EVENTS, extra_args=["--no-rate-limits"], data_dir=Path(data_dir), timeout=180.0
        )
        with launched:
            yield launched


@pytest.fixture
async def client(server: LocalServer) -> AsyncIterator[PostHogClient]:
    settings = ConnectionSettings(
        host=server.base_url, project_id=str(server.project_id), api_key=server.api_key
    )
    async with PostHogClient(
        settings, budget=RateBudget(rules=UNLIMITED), poll_schedule=POLLS
    ) as live:
        yield live


async def expected(client: PostHogClient, sql: str) -> tuple[int, int, int]:
    """The server's (rows, distinct uuids, sum of h mod 2^64) for ``sql``."""
    result = await client.run_query(
        f"SELECT count(), uniqExact(uuid), sum(h) FROM ({sql}) AS s", mode="blocking"
    )
    count, distinct, total = result.rows[0]
    return int(count), int(distinct), int(total) % UINT64


def read_rows(path: Path, fmt: Format) -> list[dict[str, Any]]:
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    if fmt == "jsonl":
        return [orjson.loads(line) for line in path.read_bytes().splitlines()]
    if fmt == "json":
        rows: list[dict[str, Any]] = orjson.loads(path.read_bytes())
        return rows
    return pq.read_table(path).to_pylist()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def checksum(rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    return len(rows), len({str(r["uuid"]) for r in rows}), sum(int(r["h"]) for r in rows) % UINT64


async def first_day(client: PostHogClient) -> str:
    """A HogQL time literal one day after the first event: a few thousand events before it."""
    result = await client.run_query(
        "SELECT toString(min(timestamp) + INTERVAL 1 DAY) FROM events", mode="blocking"
    )
    return f"toDateTime('{result.rows[0][0]}')"


async def test_exports_200_000_rows_in_keyset_pages(client: PostHogClient, tmp_path: Path) -> None:
    sql = "SELECT uuid, timestamp, event, cityHash64(uuid) AS h FROM events ORDER BY timestamp LIMIT 200000"
    reports: list[ExportProgress] = []
    path = tmp_path / "all.csv"
    summary = await ExportJob(client, sql, path, fmt="csv", on_progress=reports.append).run()
    rows = read_rows(path, "csv")
    assert checksum(rows) == await expected(client, sql)
    assert summary.rows == len(rows) == 200_000
    assert summary.pages >= 4  # the cap is 50,000 rows a query
    assert [r["timestamp"] for r in rows] == sorted(r["timestamp"] for r in rows)
    assert reports[0].stage == "counting" and reports[-1].stage == "done"
    assert any(r.total_rows == 200_000 and r.eta is not None for r in reports)
    assert [r.rows for r in reports] == sorted(r.rows for r in reports)
    assert listing(tmp_path) == ["all.csv"]  # no staging file, no sidecar


@pytest.mark.parametrize("page_size", [1000, 100])
async def test_ties_at_page_boundaries_are_neither_lost_nor_doubled(
    client: PostHogClient, tmp_path: Path, page_size: int
) -> None:
    """``hour`` repeats hundreds of times: groups straddle 1,000-row pages and overfill 100-row ones."""
    sql = (
        "SELECT uuid, toStartOfHour(timestamp) AS hour, cityHash64(uuid) AS h FROM events "
        f"WHERE timestamp < {await first_day(client)}"
    )
    groups = await client.run_query(
        f"SELECT max(c) FROM (SELECT hour, count() AS c FROM ({sql}) GROUP BY hour)",
        mode="blocking",
    )
    assert groups.rows[0][0] > page_size // 10  # hours do repeat across boundaries
    if page_size == 100:
        assert groups.rows[0][0] > page_size  # some groups fill whole pages
    path = tmp_path / "hours.jsonl"
    await ExportJob(client, sql, path, fmt="jsonl", key="hour", page_size=page_size).run()
    rows = read_rows(path, "jsonl")
    assert checksum(rows) == await expected(client, sql)
    assert [r["hour"] for r in rows] == sorted(r["hour"] for r in rows)


async def test_a_tiebreaker_pages_through_large_tie_groups(
    client: PostHogClient, tmp_path: Path
) -> None:
    """``event`` has a handful of values, thousands of rows each: ``(event, uuid)`` pages."""
    sql = (
        "SELECT uuid, event, cityHash64(uuid) AS h FROM events "
        f"WHERE timestamp < {await first_day(client)}"
    )
    path = tmp_path / "events.json"
    await ExportJob(
        client, sql, path, fmt="json", key="event", tiebreak="uuid", page_size=700
    ).run()
    rows = read_rows(path, "json")
    assert checksum(rows) == await expected(client, sql)
    # ClickHouse orders UUIDs by their 64-bit halves, not as text: only the key is checked.
    assert [r["event"] for r in rows] == sorted(r["event"] for r in rows)


async def test_rows_with_a_null_key_are_exported_too(client: PostHogClient, tmp_path: Path) -> None:
    sql = (
        "SELECT uuid, if(event = '$pageview', NULL, timestamp) AS t, cityHash64(uuid) AS h "
        f"FROM events WHERE timestamp < {await first_day(client)}"
    )
    path = tmp_path / "nulls.csv"
    await ExportJob(client, sql, path, key="t", tiebreak="uuid", page_size=1000).run()
    rows = read_rows(path, "csv")
    assert checksum(rows) == await expected(client, sql)
    assert rows[-1]["t"] == "" and rows[0]["t"] != ""  # NULL keys come last


async def test_resume_after_cancellation_continues_from_the_last_page(
    client: PostHogClient, tmp_path: Path
) -> None:
    sql = "SELECT uuid, timestamp, cityHash64(uuid) AS h FROM events ORDER BY timestamp LIMIT 20000"
    path = tmp_path / "part.parquet"
    task: asyncio.Task[Any] | None = None

    def cancel_after_two_pages(progress: ExportProgress) -> None:
        # Cancelled once the third page's query is on its way: the client cancels it.
        if progress.pages == 2 and progress.query_id is not None and task is not None:
            asyncio.get_running_loop().call_soon(task.cancel)

    job = ExportJob(
        client, sql, path, fmt="parquet", page_size=5000, on_progress=cancel_after_two_pages
    )
    task = asyncio.ensure_future(job.run())
    with pytest.raises(asyncio.CancelledError):
        await task
    saved = ExportState.load(state_path(path))
    # Each page holds back its trailing tie group (here one row) for the next page.
    assert saved is not None and 9_900 < saved.rows_written <= 10_000 and saved.phase == "keyed"
    assert job.staging_path.stat().st_size == saved.committed_bytes
    assert not path.exists() and client.running_queries == frozenset()

    first_reports: list[ExportProgress] = []
    resumed = ExportJob(
        client,
        sql,
        path,
        fmt="parquet",
        page_size=5000,
        resume=True,
        on_progress=first_reports.append,
    )
    summary = await resumed.run()
    assert first_reports[0].rows == saved.rows_written  # went on, did not start over
    rows = read_rows(path, "parquet")
    assert summary.rows == 20_000 and checksum(rows) == await expected(client, sql)


async def test_a_full_disk_keeps_the_pages_written_and_resumes(
    client: PostHogClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = "SELECT uuid, timestamp, cityHash64(uuid) AS h FROM events ORDER BY timestamp LIMIT 20000"
    path = tmp_path / "disk.csv"
    with monkeypatch.context() as patched:
        fill_disk_after(patched, 500_000)  # about 1.5 of the 5,000-row pages
        with pytest.raises(ExportError, match="No space left") as caught:
            await ExportJob(client, sql, path, page_size=5000).run()
    assert str(path) in str(caught.value) and client.settings.api_key not in str(caught.value)
    saved = ExportState.load(state_path(path))
    assert saved is not None and 4_900 < saved.rows_written <= 5_000
    assert (tmp_path / ".disk.csv.part").stat().st_size == saved.committed_bytes
    assert client.settings.api_key.encode() not in state_path(path).read_bytes()

    await ExportJob(client, sql, path, page_size=5000, resume=True).run()
    assert checksum(read_rows(path, "csv")) == await expected(client, sql)


async def test_an_error_in_the_query_itself_is_not_blamed_on_the_key(
    client: PostHogClient, tmp_path: Path
) -> None:
    with pytest.raises(HogQLError) as caught:
        await ExportJob(client, "SELECT nope FROM events", tmp_path / "x.csv").run()
    assert "nope" in str(caught.value) and "paging on" not in str(caught.value)


async def test_a_missing_key_column_fails_before_writing(
    client: PostHogClient, tmp_path: Path
) -> None:
    path = tmp_path / "nokey.csv"
    with pytest.raises(ExportError, match="'timestamp': each must be a column"):
        await ExportJob(client, "SELECT event FROM events", path, count_total=False).run()
    assert not path.exists()


def test_cli_exports_to_parquet_and_keeps_the_key_private(
    server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("POSTHOG_HOST", "POSTHOG_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", server.api_key)
    path = tmp_path / "cli.parquet"
    sql = "SELECT uuid, timestamp, cityHash64(uuid) AS h FROM events ORDER BY timestamp LIMIT 60000"
    args = ["export", sql, "--output", str(path), "--page-size", "25000"]
    code = main([*args, "--host", server.base_url, "--project", str(server.project_id)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == "" and "60,000 rows in 3 pages" in err and server.api_key not in err
    table = pq.read_table(path)
    assert table.num_rows == 60_000 and table.schema.field("timestamp").type.unit == "us"

    code = main(["export", sql, "--output", str(tmp_path / "no" / "x.csv")])  # no connection
    assert code == 2 and "is not a folder" in capsys.readouterr().err


def test_cli_says_how_to_resume_and_resumes(
    server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", server.api_key)
    path = tmp_path / "cli.jsonl"
    sql = "SELECT uuid, timestamp, cityHash64(uuid) AS h FROM events ORDER BY timestamp LIMIT 12000"
    connection = ["--host", server.base_url, "--project", str(server.project_id)]
    args = ["export", sql, "-o", str(path), "--page-size", "5000", *connection]
    with monkeypatch.context() as patched:
        fill_disk_after(patched, 600_000)  # the first 5,000 rows fit
        assert main(args) == 2
    err = capsys.readouterr().err
    assert "No space left" in err and "rows are saved" in err and "--resume" in err
    assert main([*args, "--resume"]) == 0
    assert "rows in" in capsys.readouterr().err
    rows = read_rows(path, "jsonl")
    assert len(rows) == 12_000 and len({r["uuid"] for r in rows}) == 12_000
