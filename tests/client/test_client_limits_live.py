"""Refusals from the local server over real HTTP, on a server of our own with tight limits
(the shared ``local_server`` runs without): the rate limit (429 with Retry-After), the
concurrency limit (429 without), a bad key (401), a key without the scope (403)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.client.conftest import until
from workbench.client import (
    ConcurrencyLimited,
    NotAuthenticated,
    OutOfMemory,
    PermissionDenied,
    PollSchedule,
    PostHogClient,
    PostHogError,
    QueryCancelled,
    QueryProgress,
    QueryTimeout,
    RateBudget,
    RateLimited,
)
from workbench.commands.query import exit_code_for
from workbench.connection import ConnectionSettings

pytestmark = pytest.mark.server

HOGQL_PER_HOUR = 10
"""The strict server's HogQL bucket per key: emptied by the rate test, roomy for the others."""

RATE_KEY = "phx_" + "ratelimitedkey0" * 3
"""A second key for the rate test: PostHog's buckets are per key, so tests do not interfere."""

SCOPED_KEY = "phx_" + "insightsonlykey" * 3
"""A key without the ``query:read`` scope."""

SLOW_SQL = (
    "SELECT count() FROM events a CROSS JOIN events b CROSS JOIN (SELECT 1 FROM events LIMIT 10) c"
)
"""4 billion joined rows on 20,000 events: runs for seconds, until cancelled."""


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    pytest.importorskip("chdb")
    pytest.importorskip("uvicorn")
    from workbench.server.launcher import start_local_server

    data_dir: Path = tmp_path_factory.mktemp("strict-server")
    server = start_local_server(
        data_dir=data_dir,
        events=20_000,
        extra_args=[
            "--hogql-rate", f"{HOGQL_PER_HOUR}/hour",
            "--max-concurrent-queries", "1",
            "--concurrency-wait", "0.5",
            "--extra-api-key", f"{RATE_KEY}=*",
            "--extra-api-key", f"{SCOPED_KEY}=insight:read",
            "--max-execution-time", "1",
            "--max-memory-usage", str(20 * 1024 * 1024),
        ],
        timeout=180.0,
    )  # fmt: skip
    try:
        yield server
    finally:
        server.stop()


def client_for(server: object, api_key: str) -> PostHogClient:
    settings = ConnectionSettings(
        host=server.base_url,  # type: ignore[attr-defined]
        project_id=str(server.project_id),  # type: ignore[attr-defined]
        api_key=api_key,
    )
    schedule = PollSchedule(initial=0.05, factor=1.25, cap=0.2, give_up_after=60.0)
    return PostHogClient(settings, budget=RateBudget(), poll_schedule=schedule)


@pytest.fixture
async def strict(strict_server: object) -> AsyncIterator[PostHogClient]:
    async with client_for(strict_server, strict_server.api_key) as client:  # type: ignore[attr-defined]
        yield client


@pytest.fixture
async def rate_client(strict_server: object) -> AsyncIterator[PostHogClient]:
    async with client_for(strict_server, RATE_KEY) as client:
        yield client


async def test_one_query_at_a_time_then_concurrency_limited(strict: PostHogClient) -> None:
    seen: list[QueryProgress] = []
    slow = asyncio.create_task(
        strict.run_query(
            SLOW_SQL.replace("SELECT ", f"SELECT '{uuid.uuid4().hex}', ", 1),
            client_query_id="strict-slow",
            on_progress=seen.append,
        )
    )
    try:
        await until(lambda: seen, attempts=20_000)
        with pytest.raises(ConcurrencyLimited) as info:
            await strict.run_query("SELECT 2", mode="blocking")
        assert info.value.retry_after is None
        assert exit_code_for(info.value) == 4
    finally:
        await strict.cancel("strict-slow")
        with pytest.raises(QueryCancelled):
            await slow


async def test_emptying_the_hogql_bucket_gives_retry_after(rate_client: PostHogClient) -> None:
    strict = rate_client
    for i in range(HOGQL_PER_HOUR):
        await strict.run_query(f"SELECT {i}", mode="blocking", force_refresh=True)
    with pytest.raises(RateLimited) as info:
        await strict.run_query("SELECT 99", mode="blocking", force_refresh=True)
    error = info.value
    assert type(error) is RateLimited
    assert error.retry_after is not None and 0 < error.retry_after <= 3600
    assert "Rate limited by PostHog" in str(error)
    assert strict.budget.remaining("hogql") == 0  # the local mirror knows it too
    assert exit_code_for(error) == 4


@pytest.mark.parametrize(
    ("api_key", "error", "fragment"),
    [
        ("phx_" + "wrong" * 8, NotAuthenticated, "did not accept the API key"),
        (SCOPED_KEY, PermissionDenied, "query:read"),
    ],
)
async def test_auth_refusals(
    strict_server: object, api_key: str, error: type[PostHogError], fragment: str
) -> None:
    async with client_for(strict_server, api_key) as client:
        with pytest.raises(error) as info:
            await client.run_query("SELECT 1", mode="blocking")
    assert fragment in str(info.value) and api_key not in str(info.value)
    assert exit_code_for(info.value) == 3


async def test_blocking_query_over_the_time_limit_is_a_timeout(strict: PostHogClient) -> None:
    with pytest.raises(QueryTimeout) as info:
        await strict.run_query(
            SLOW_SQL.replace("SELECT ", f"SELECT '{uuid.uuid4().hex}', ", 1), mode="blocking"
        )
    assert info.value.status == 504 and exit_code_for(info.value) == 1


async def test_query_over_the_memory_limit_is_out_of_memory(strict: PostHogClient) -> None:
    sql = "SELECT length(groupArray(repeat(event, 10000))) FROM events"  # ~1 GB of strings
    with pytest.raises(OutOfMemory) as info:
        await strict.run_query(sql, mode="blocking")
    assert info.value.status == 513 and "memory" in str(info.value).lower()
