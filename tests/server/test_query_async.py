"""Conformance: async statuses, polling, progress from ClickHouse, and cancel via KILL QUERY."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx
import pytest

from tests.server.conftest import (
    LONG_QUERY,
    client_for,
    post_hogql,
    query_path,
    running_query_ids,
    wait_until,
)
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

STATUS_KEYS = {
    "id", "team_id", "query_async", "complete", "error", "error_message", "results",
    "start_time", "pickup_time", "end_time", "expiration_time", "task_id", "insight_id",
    "dashboard_id", "labels", "query_progress",
}  # fmt: skip


def new_id() -> str:
    return uuid.uuid4().hex


def poll(api: httpx.Client, server: LocalServer, query_id: str, **params: str) -> httpx.Response:
    return api.get(query_path(server, f"{query_id}/"), params=params)


def wait_complete(api: httpx.Client, server: LocalServer, query_id: str) -> httpx.Response:
    def done() -> httpx.Response | None:
        response = poll(api, server, query_id)
        return response if response.status_code != 202 else None

    result: httpx.Response = wait_until(done)
    return result


def test_async_query_answers_202_then_200_with_the_whole_response(
    api: httpx.Client, local_server: LocalServer
) -> None:
    query_id = new_id()
    sql = f"select event, count() from events where event != '{query_id}' group by event"
    started = post_hogql(api, local_server, sql, refresh="async", client_query_id=query_id)
    assert started.status_code == 202
    body = started.json()
    assert set(body) == {"cache_key", "query_status"}
    status = body["query_status"]
    assert set(status) == STATUS_KEYS
    assert (status["id"], status["complete"], status["query_async"]) == (query_id, False, True)
    assert status["start_time"].endswith("Z") and status["expiration_time"].endswith("Z")
    finished = wait_complete(api, local_server, query_id)
    assert finished.status_code == 200
    final = finished.json()["query_status"]
    assert final["complete"] is True and final["error"] is False
    assert final["end_time"].endswith("Z")
    assert final["results"]["columns"] == ["event", "count()"]
    assert final["results"]["results"]


def test_async_repost_of_known_id_returns_old_status(
    api: httpx.Client, local_server: LocalServer
) -> None:
    query_id = new_id()
    sql = f"select '{query_id}'"
    post_hogql(api, local_server, sql, refresh="async", client_query_id=query_id)
    first = wait_complete(api, local_server, query_id).json()["query_status"]
    again = post_hogql(api, local_server, sql + " as x", refresh="async", client_query_id=query_id)
    assert again.status_code == 200
    assert again.json()["query_status"]["start_time"] == first["start_time"]


def test_force_async_and_legacy_async_flag(api: httpx.Client, local_server: LocalServer) -> None:
    forced = post_hogql(api, local_server, f"select '{new_id()}'", refresh="force_async")
    assert forced.status_code == 202 and set(forced.json()) == {"query_status"}
    legacy = post_hogql(api, local_server, f"select '{new_id()}'", **{"async": True})
    assert legacy.status_code == 202
    for started in (forced, legacy):
        query_id = started.json()["query_status"]["id"]
        assert len(query_id) == 32
        assert wait_complete(api, local_server, query_id).status_code == 200


def test_failed_async_query_polls_as_400_with_message(
    api: httpx.Client, local_server: LocalServer
) -> None:
    query_id = new_id()
    post_hogql(api, local_server, "select plus(1, 'a')", refresh="async", client_query_id=query_id)
    failed = wait_complete(api, local_server, query_id)
    assert failed.status_code == 400
    status = failed.json()["query_status"]
    assert status["complete"] is True and status["error"] is True
    assert "plus" in status["error_message"]


def test_unknown_query_id_is_404(api: httpx.Client, local_server: LocalServer) -> None:
    response = poll(api, local_server, "no-such-query")
    assert response.status_code == 404
    assert response.json() == {
        "type": "invalid_request",
        "code": "not_found",
        "detail": f"Query no-such-query not found for team {local_server.project_id}",
        "attr": None,
    }


def test_progress_appears_and_cancel_stops_clickhouse(
    api: httpx.Client, local_server: LocalServer
) -> None:
    query_id = new_id()
    started = post_hogql(api, local_server, LONG_QUERY, refresh="async", client_query_id=query_id)
    assert started.status_code == 202

    def progress() -> dict[str, Any] | None:
        response = poll(api, local_server, query_id, show_progress="true")
        assert response.status_code == 202, response.text
        found: dict[str, Any] | None = response.json()["query_status"]["query_progress"]
        return found if found and found["rows_read"] > 0 else None

    seen = wait_until(progress)
    assert set(seen) == {
        "bytes_read", "rows_read", "estimated_rows_total", "time_elapsed", "active_cpu_time"
    }  # fmt: skip
    assert seen["bytes_read"] > 0
    assert query_id in running_query_ids(api)

    cancelled = api.delete(query_path(local_server, f"{query_id}/"))
    assert cancelled.status_code == 200
    assert cancelled.json() == {"message": "Cancelled query on clickhouse"}
    wait_until(lambda: query_id not in running_query_ids(api), timeout=5)
    assert poll(api, local_server, query_id).status_code == 404


def test_cancel_of_unknown_and_complete_queries(
    api: httpx.Client, local_server: LocalServer
) -> None:
    unknown = api.delete(query_path(local_server, f"{new_id()}/"))
    assert unknown.status_code == 200 and "message" in unknown.json()
    query_id = new_id()
    post_hogql(api, local_server, f"select '{query_id}'", refresh="async", client_query_id=query_id)
    wait_complete(api, local_server, query_id)
    done = api.delete(query_path(local_server, f"{query_id}/"))
    assert done.json() == {"message": "Query already complete"}
    assert poll(api, local_server, query_id).status_code == 200


def test_blocking_query_cancelled_from_another_connection_fails_500(
    local_server: LocalServer,
) -> None:
    query_id = new_id()
    outcome: list[httpx.Response] = []

    def run_blocking() -> None:
        with client_for(local_server) as client:
            outcome.append(post_hogql(client, local_server, LONG_QUERY, client_query_id=query_id))

    worker = threading.Thread(target=run_blocking)
    worker.start()
    with client_for(local_server) as other:
        wait_until(lambda: query_id in running_query_ids(other))
        assert other.delete(query_path(local_server, f"{query_id}/")).status_code == 200
        worker.join(30)
        wait_until(lambda: query_id not in running_query_ids(other), timeout=5)
    assert outcome and outcome[0].status_code == 500
    assert outcome[0].json()["detail"] == "ClickHouse error while executing query."


def test_blocking_query_is_killed_when_the_client_hangs_up(local_server: LocalServer) -> None:
    query_id = new_id()
    with client_for(local_server) as impatient:
        impatient.timeout = httpx.Timeout(60.0, read=1.0)
        with pytest.raises(httpx.ReadTimeout):
            post_hogql(impatient, local_server, LONG_QUERY, client_query_id=query_id)
    with client_for(local_server) as other:
        wait_until(lambda: query_id not in running_query_ids(other), timeout=10)


def test_dequeue_only_forgets_the_status_but_leaves_clickhouse_running(
    api: httpx.Client, local_server: LocalServer
) -> None:
    query_id = new_id()
    post_hogql(api, local_server, LONG_QUERY, refresh="async", client_query_id=query_id)
    try:
        wait_until(lambda: query_id in running_query_ids(api))
        dequeued = api.delete(
            query_path(local_server, f"{query_id}/"), params={"dequeue_only": "true"}
        )
        assert dequeued.json() == {
            "message": "Only tried to dequeue, not cancelling query on clickhouse"
        }
        assert poll(api, local_server, query_id).status_code == 404
        assert query_id in running_query_ids(api)
    finally:
        api.delete(query_path(local_server, f"{query_id}/"))
    wait_until(lambda: query_id not in running_query_ids(api), timeout=5)
