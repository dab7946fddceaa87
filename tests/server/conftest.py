"""Fixtures for the conformance suite: HTTP clients on the session server and on servers
started with small limits (their own data directories: one chDB path per process)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import require_server_parts
from workbench.server.launcher import LocalServer, start_local_server

pytestmark = pytest.mark.server

LONG_QUERY = "select count() from events a cross join events b where a.properties > b.properties"
"""A self join comparing JSON strings: on 50,000 events it runs into any time limit (well over
60 s), so a test sees it stop only through a KILL or a limit. Tests cancel it when done."""


def client_for(server: LocalServer, key: str | None = None) -> httpx.Client:
    """A client on ``server`` sending ``key`` (default: the server's own key)."""
    headers = {"Authorization": f"Bearer {key or server.api_key}"}
    return httpx.Client(base_url=server.base_url, headers=headers, timeout=60.0)


def query_path(server: LocalServer, suffix: str = "") -> str:
    return f"/api/projects/{server.project_id}/query/{suffix}"


def post_hogql(client: httpx.Client, server: LocalServer, sql: str, **body: Any) -> httpx.Response:
    """POST a HogQLQuery with extra top-level request fields (refresh, client_query_id...)."""
    payload: dict[str, Any] = {"query": {"kind": "HogQLQuery", "query": sql}, **body}
    return client.post(query_path(server), json=payload)


def wait_until(condition: Callable[[], Any], timeout: float = 15.0, step: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(step)


def running_query_ids(client: httpx.Client) -> set[str]:
    """Query ids ClickHouse is executing right now, read from ``system.processes``."""
    response = client.get("/_workbench/processes/")
    assert response.status_code == 200
    return {p["query_id"] for p in response.json()["processes"]}


@pytest.fixture
def api(local_server: LocalServer) -> Iterator[httpx.Client]:
    with client_for(local_server) as client:
        yield client


def _stop_and_report(server: LocalServer) -> None:
    """Stop ``server``; if it died during the tests, fail loudly with its stderr."""
    died = server.process.poll() is not None
    server.stop()
    if died:
        pytest.fail(f"the server exited during the tests:\n{server.stderr_tail()}")


def _start(tmp: Path, events: int, args: list[str]) -> LocalServer:
    require_server_parts()
    return start_local_server(data_dir=tmp, events=events, extra_args=args, timeout=180.0)


@pytest.fixture(scope="module")
def constrained_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """1 running query per project (the next waits 2 s for a slot), 1 s sync time limit, 64 MB
    per query, responses fresh for 1 s; no throttling."""
    server = _start(
        tmp_path_factory.mktemp("constrained"),
        50_000,
        [
            "--no-rate-limits",
            "--max-concurrent-queries",
            "1",
            "--concurrency-wait",
            "2",
            "--max-execution-time",
            "1",
            "--max-memory-usage",
            str(64 * 1024**2),
            "--cache-ttl",
            "1",
        ],
    )
    try:
        yield server
    finally:
        _stop_and_report(server)


@pytest.fixture(scope="module")
def throttled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """PostHog's throttles with tiny rates: 3 HogQL queries per hour, 4 other calls per minute."""
    server = _start(
        tmp_path_factory.mktemp("throttled"),
        2_000,
        ["--hogql-rate", "3/hour", "--burst-rate", "4/minute", "--sustained-rate", "100/hour"],
    )
    try:
        yield server
    finally:
        _stop_and_report(server)
