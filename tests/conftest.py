"""Shared fixtures: ``local_server``, one chDB-backed Query API server per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.server.launcher import LocalServer, start_local_server

FIXTURE_EVENTS = 50_000
"""Events in the session's demo data: builds in about a second, big enough to be realistic."""
INSIGHT_ONLY_KEY = "phx_test_insight_read_only_key_0000000000"
"""A key the session server accepts with scope ``insight:read`` only (403 on queries)."""
OTHER_PROJECT_KEY = "phx_test_key_for_project_99_00000000000000"
"""A key the session server accepts with ``query:read`` for project 99 only."""


@pytest.fixture(scope="session", autouse=True)
def isolated_workbench_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every subprocess it starts) keeps its files in a temporary home.

    Without this, a test that opens the app would write history and buffers into the
    developer's real data directory.
    """
    home = tmp_path_factory.mktemp("workbench-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_HOME", str(home))
        yield home


def require_server_parts() -> None:
    """Skip unless the demo extra and the server's translator and data builder are present."""
    pytest.importorskip("chdb")
    pytest.importorskip("uvicorn")
    pytest.importorskip("workbench.server.demo_data")
    hogql = pytest.importorskip("workbench.server.hogql")
    if not hasattr(hogql, "translate_hogql"):
        pytest.skip("the HogQL translator is not available")


@pytest.fixture(scope="session")
def local_server_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session server's ClickHouse data directory (one database path per process)."""
    return tmp_path_factory.mktemp("local-server-data")


@pytest.fixture(scope="session")
def local_server(local_server_data_dir: Path) -> Iterator[LocalServer]:
    """A running ``workbench serve`` on 127.0.0.1 with about 50,000 demo events.

    Skips when the ``demo`` extra (chDB, the HogQL parser, uvicorn) is not installed.
    Tests must not exhaust its limits; start another server for limit tests.
    """
    require_server_parts()
    server = start_local_server(
        data_dir=local_server_data_dir,
        events=FIXTURE_EVENTS,
        # Generous limits: the whole suite shares this server and its rate buckets.
        extra_args=[
            "--no-rate-limits",
            "--max-concurrent-queries",
            "8",
            "--pool-size",
            "4",
            # Bounds a runaway left by a failing test on this shared 2-core machine.
            "--async-max-execution-time",
            "120",
            "--extra-api-key",
            f"{INSIGHT_ONLY_KEY}=insight:read",
            "--extra-api-key",
            f"{OTHER_PROJECT_KEY}=query:read@99",
        ],
        timeout=180.0,
    )
    try:
        yield server
    finally:
        died = server.process.poll() is not None
        server.stop()
        if died:
            pytest.fail(f"the local server exited during the tests:\n{server.stderr_tail()}")
