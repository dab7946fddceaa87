"""The launcher: ready line, data reuse between runs, clean and idempotent stop."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_server_parts
from tests.server.conftest import LONG_QUERY, running_query_ids, wait_until
from workbench.server.launcher import READY_LINE, LocalServerError, start_local_server
from workbench.server.runtime import BUILD_STAGE, ready_line

pytestmark = pytest.mark.server


def test_ready_line_round_trips_through_the_launcher_pattern() -> None:
    line = ready_line("http://127.0.0.1:41234", 7, "phx_abc")
    match = READY_LINE.match(line)
    assert match is not None
    assert (match.group("url"), match.group("project")) == ("http://127.0.0.1:41234", "7")


def test_second_start_reuses_data_and_stop_is_idempotent(tmp_path: Path) -> None:
    require_server_parts()
    stages: list[tuple[str, float]] = []
    first = start_local_server(
        data_dir=tmp_path,
        events=2_000,
        project_id=5,
        on_progress=lambda s, f: stages.append((s, f)),
    )
    with first:
        assert first.project_id == 5 and first.base_url.startswith("http://127.0.0.1:")
        response = httpx.get(
            f"{first.base_url}/api/projects/@current/",
            headers={"Authorization": f"Bearer {first.api_key}"},
        )
        assert response.json()["id"] == 5
        counted = httpx.post(
            f"{first.base_url}/api/projects/5/query/",
            headers={"Authorization": f"Bearer {first.api_key}"},
            json={"query": {"kind": "HogQLQuery", "query": "select count() from events"}},
        )
        assert counted.json()["results"] == [[2_000]]  # the data belongs to project 5
    assert first.process.poll() is not None
    first.stop()  # idempotent
    assert any(stage == BUILD_STAGE for stage, _ in stages)

    stages.clear()
    with start_local_server(
        data_dir=tmp_path,
        events=2_000,
        project_id=5,
        on_progress=lambda s, f: stages.append((s, f)),
    ) as second:
        assert second.base_url != ""
    assert not any(stage == BUILD_STAGE for stage, _ in stages)


def test_failed_start_raises_with_the_servers_message(tmp_path: Path) -> None:
    with pytest.raises(LocalServerError, match="rate"):
        start_local_server(data_dir=tmp_path, events=10, extra_args=["--hogql-rate", "lots"])


def test_stop_during_a_running_query_exits_gracefully(tmp_path: Path) -> None:
    require_server_parts()
    server = start_local_server(data_dir=tmp_path, events=50_000)
    outcome: list[int] = []

    def run_long_query() -> None:
        try:
            response = httpx.post(
                f"{server.base_url}/api/projects/1/query/",
                headers={"Authorization": f"Bearer {server.api_key}"},
                json={"query": {"kind": "HogQLQuery", "query": LONG_QUERY}},
                timeout=60,
            )
            outcome.append(response.status_code)
        except httpx.HTTPError:
            outcome.append(-1)

    worker = threading.Thread(target=run_long_query)
    worker.start()
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.api_key}"}
    ) as client:
        wait_until(lambda: running_query_ids(client))
    server.stop()
    worker.join(30)
    # Graceful: the running query was killed and its request answered before the exit
    # (uvicorn re-raises SIGTERM after its shutdown, hence -15 rather than 0; SIGKILL is -9).
    assert outcome == [500]
    assert server.process.returncode in (0, -15)
