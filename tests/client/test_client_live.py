"""The client against the local PostHog stand-in over real HTTP (``local_server`` fixture).

Covers the lifecycle end to end: blocking and async queries, progress, cancel at each stage,
cached results, HogQL errors with positions, the LIMIT policy. Skips when the ``demo`` extra
is not installed (the fixture skips).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import httpx
import pyarrow as pa
import pytest

from tests.client.conftest import until
from workbench.client import (
    ClickHouseError,
    HogQLError,
    PollSchedule,
    PostHogClient,
    QueryCancelled,
    QueryError,
    QueryProgress,
    RateBudget,
)
from workbench.connection import ConnectionSettings
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

SLOW_SQL = "SELECT count() FROM events a CROSS JOIN events b"
"""2.5 billion joined rows on the 50,000-event fixture: runs for seconds, until cancelled."""

LIVE_POLLS = PollSchedule(initial=0.05, factor=1.25, cap=0.2, give_up_after=120.0)
"""Faster than PostHog's schedule so the tests see progress without waiting long."""


def unique(sql: str) -> str:
    """``sql`` with a unique literal, so PostHog's 5-minute cache cannot answer it."""
    return sql.replace("SELECT ", f"SELECT '{uuid.uuid4().hex}' AS tag, ", 1)


@pytest.fixture
async def live(local_server: LocalServer) -> AsyncIterator[PostHogClient]:
    settings = ConnectionSettings(
        host=local_server.base_url,
        project_id=str(local_server.project_id),
        api_key=local_server.api_key,
    )
    async with PostHogClient(
        settings, budget=RateBudget(), poll_schedule=LIVE_POLLS, cancel_timeout=5.0
    ) as client:
        yield client


async def status_code_of(server: LocalServer, query_id: str) -> int:
    """HTTP status of ``GET /query/:id/`` (404 once a query is cancelled and forgotten)."""
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.api_key}"}
    ) as raw:
        response = await raw.get(f"/api/projects/{server.project_id}/query/{query_id}/")
    return response.status_code


async def test_blocking_query(live: PostHogClient) -> None:
    result = await live.run_query(
        "SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC", mode="blocking"
    )
    assert result.columns == ("event", "c")
    assert result.types[1] == "UInt64"
    assert result.row_count > 1 and not result.truncated and result.limit_added
    assert result.hogql is not None and "LIMIT 1001" in result.hogql
    assert sum(row[1] for row in result.rows) == 50_000


async def test_async_query_reports_progress(live: PostHogClient) -> None:
    seen: list[QueryProgress] = []
    sql = "SELECT count() FROM events a CROSS JOIN (SELECT uuid FROM events LIMIT 4000) b"
    result = await live.run_query(unique(sql), on_progress=seen.append)
    assert result.rows[0][1] == 50_000 * 4000
    assert seen, "no progress arrived while the query ran"
    assert all(p.rows_read >= 0 and p.bytes_read >= 0 for p in seen)


async def test_cancel_while_running_async(live: PostHogClient, local_server: LocalServer) -> None:
    seen: list[QueryProgress] = []
    task = asyncio.create_task(
        live.run_query(unique(SLOW_SQL), client_query_id="live-cancel-1", on_progress=seen.append)
    )
    await until(lambda: seen, attempts=20_000)
    await live.cancel("live-cancel-1")
    with pytest.raises(QueryCancelled):
        await task
    assert await status_code_of(local_server, "live-cancel-1") == 404
    await live.cancel("live-cancel-1")  # already gone: still fine


async def test_cancel_during_a_blocking_post(
    live: PostHogClient, local_server: LocalServer
) -> None:
    task = asyncio.create_task(
        live.run_query(unique(SLOW_SQL), client_query_id="live-cancel-2", mode="blocking")
    )
    await asyncio.sleep(0.3)  # let the POST reach the server and start the query
    await live.cancel("live-cancel-2")
    with pytest.raises(QueryCancelled):
        await task
    # The server is free again: a new query runs at once.
    result = await live.run_query("SELECT 1", mode="blocking")
    assert result.rows == [[1]]


async def test_cancelling_the_task_cancels_on_the_server(
    live: PostHogClient, local_server: LocalServer
) -> None:
    seen: list[QueryProgress] = []
    task = asyncio.create_task(
        live.run_query(unique(SLOW_SQL), client_query_id="live-cancel-3", on_progress=seen.append)
    )
    await until(lambda: seen, attempts=20_000)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await status_code_of(local_server, "live-cancel-3") == 404


async def test_cancel_after_finish_and_of_unknown_ids(live: PostHogClient) -> None:
    result = await live.run_query(unique("SELECT 1"), client_query_id="live-done")
    await live.cancel("live-done")
    await live.cancel("live-done")
    await live.cancel("never-existed")
    assert result.row_count == 1


async def test_second_blocking_run_is_cached(live: PostHogClient) -> None:
    sql = unique("SELECT count() FROM events")
    first = await live.run_query(sql, mode="blocking")
    second = await live.run_query(sql, mode="blocking")
    forced = await live.run_query(sql, mode="blocking", force_refresh=True)
    assert (first.is_cached, second.is_cached, forced.is_cached) == (False, True, False)
    assert first.rows == second.rows


@pytest.mark.parametrize("mode", ["blocking", "async"])
async def test_hogql_error_has_positions(live: PostHogClient, mode: str) -> None:
    sql = "SELECT event,\n  nope FROM events"
    with pytest.raises(HogQLError) as info:
        await live.run_query(sql, mode=mode)  # type: ignore[arg-type]
    error = info.value
    assert error.start is not None and error.end is not None
    assert sql[error.start : error.end] == "nope"
    assert "nope" in str(error)


async def test_limit_added_and_truncation_reported(live: PostHogClient) -> None:
    result = await live.run_query("SELECT uuid FROM events", mode="blocking", row_limit=10)
    assert (result.row_count, result.truncated, result.limit_added) == (10, True, True)
    assert result.hogql is not None and "LIMIT 11" in result.hogql


async def test_users_limit_is_respected(live: PostHogClient) -> None:
    result = await live.run_query("SELECT uuid FROM events LIMIT 5", mode="blocking")
    assert (result.row_count, result.truncated, result.limit_added) == (5, False, False)


async def test_columnar_form_of_a_real_result(live: PostHogClient) -> None:
    result = await live.run_query(
        "SELECT uuid, event, timestamp, properties.$browser FROM events", mode="blocking"
    )
    table = result.to_arrow()
    assert table.num_rows == 1000 and result.truncated
    assert pa.types.is_timestamp(table.schema.field("timestamp").type)


async def test_catalog_calls(live: PostHogClient, local_server: LocalServer) -> None:
    project = await live.current_project()
    assert project.id == local_server.project_id
    assert project.id in [p.id for p in await live.list_projects()]
    metadata = await live.metadata("select evnt from events")
    assert not metadata.is_valid and (metadata.errors[0].start, metadata.errors[0].end) == (7, 11)
    try:
        schema = await live.schema()
    except QueryError as exc:  # the stand-in may not serve DatabaseSchemaQuery yet
        assert "Unsupported query kind" in str(exc)
        assert type(exc) is QueryError
        return
    assert "events" in schema.tables
    assert await live.schema() is schema


async def test_autocomplete_or_a_typed_unsupported_error(live: PostHogClient) -> None:
    try:
        suggestions = await live.autocomplete("SELECT ev FROM events", 7, 9)
    except QueryError as exc:  # the stand-in may not serve HogQLAutocomplete
        assert type(exc) is QueryError and "Unsupported query kind" in str(exc)
        return
    assert "event" in [s.label for s in suggestions]


def test_cli_against_the_local_server(local_server: LocalServer) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTHOG_")}
    env["POSTHOG_PERSONAL_API_KEY"] = local_server.api_key
    base = [sys.executable, "-m", "workbench", "query", "--host", local_server.base_url]
    base += ["--project", str(local_server.project_id)]
    ok = subprocess.run(
        [*base, "--format", "csv", "--limit", "3", "SELECT event FROM events"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert len(ok.stdout.splitlines()) == 4  # header + 3 rows
    assert "more exist" in ok.stderr
    bad = subprocess.run(
        [*base, "SELECT nope FROM events"], capture_output=True, text=True, env=env, timeout=60
    )
    assert bad.returncode == 1 and "^^^^" in bad.stderr
    assert local_server.api_key not in ok.stdout + ok.stderr + bad.stdout + bad.stderr


@pytest.mark.parametrize("mode", ["blocking", "async"])
async def test_clickhouse_error_is_typed(live: PostHogClient, mode: str) -> None:
    with pytest.raises(ClickHouseError) as info:
        await live.run_query(unique("SELECT plus(1, 'a')"), mode=mode)  # type: ignore[arg-type]
    assert "Illegal types" in str(info.value) and "plus" in str(info.value)
    if mode == "blocking":  # async failures carry only text: no code
        assert info.value.code == "illegal_type_of_argument"
