"""Conformance: throttles (429 + Retry-After), the concurrency limit, time and memory limits."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

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


def test_hogql_rate_limit_gives_429_with_retry_after(throttled_server: LocalServer) -> None:
    with client_for(throttled_server) as client:
        for index in range(3):
            assert post_hogql(client, throttled_server, f"select {index}").status_code == 200
        response = post_hogql(client, throttled_server, "select 4")
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    assert response.json() == {
        "type": "throttled_error",
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {retry_after} seconds.",
        "attr": None,
    }


def test_status_polls_use_the_clickhouse_buckets(throttled_server: LocalServer) -> None:
    with client_for(throttled_server) as client:
        codes = [client.get(query_path(throttled_server, "unknown/")).status_code for _ in range(5)]
        # The metadata kind shares these buckets.
        meta = client.post(
            query_path(throttled_server),
            json={"query": {"kind": "HogQLMetadata", "query": "select 1"}},
        )
    assert codes == [404, 404, 404, 404, 429]
    assert meta.status_code == 429 and "Retry-After" in meta.headers


def test_fourth_running_query_gets_429_without_retry_after(
    constrained_server: LocalServer,
) -> None:
    query_id = uuid.uuid4().hex
    with client_for(constrained_server) as client:
        started = post_hogql(
            client, constrained_server, LONG_QUERY, refresh="async", client_query_id=query_id
        )
        assert started.status_code == 202, started.text
        refused = post_hogql(client, constrained_server, LONG_QUERY + " limit 1", refresh="async")
        client.delete(query_path(constrained_server, f"{query_id}/"))
        wait_until(lambda: query_id not in running_query_ids(client), timeout=5)
        after = post_hogql(client, constrained_server, f"select '{query_id}'")
    assert refused.status_code == 429, refused.text
    assert "Retry-After" not in refused.headers
    assert refused.json()["detail"] == (
        "Too many queries are running right now — please try again in a moment."
    )
    assert after.status_code == 200


def test_a_query_over_the_limit_waits_for_a_slot_instead_of_failing(
    constrained_server: LocalServer,
) -> None:
    # PostHog's limiter waits for a slot before its 429; here the wait is 2 s.
    query_id = uuid.uuid4().hex
    with client_for(constrained_server) as client:
        started = post_hogql(
            client, constrained_server, LONG_QUERY, refresh="async", client_query_id=query_id
        )
        assert started.status_code == 202, started.text
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(
                post_hogql, client, constrained_server, f"select 'waited {query_id}'"
            )
            time.sleep(0.5)
            assert not waiting.done()  # queued behind the running query, not refused
            client.delete(query_path(constrained_server, f"{query_id}/"))
            answer = waiting.result(timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"] == [[f"waited {query_id}"]]


def test_runaway_sync_query_hits_the_time_limit(constrained_server: LocalServer) -> None:
    with client_for(constrained_server) as client:
        response = post_hogql(client, constrained_server, LONG_QUERY)
        healthy = post_hogql(client, constrained_server, "select count() from events")
    assert response.status_code == 504, response.text
    assert response.json() == {
        "type": "server_error",
        "code": "error",
        "detail": "Query has hit the max execution time before completing. See our docs for how "
        "to improve your query performance. You may need to materialize.",
        "attr": None,
    }
    assert healthy.status_code == 200 and healthy.json()["results"] == [[50_000]]


def test_memory_hungry_query_gets_513(constrained_server: LocalServer) -> None:
    sql = "select groupArray(concat(a.properties, b.properties)) from events a cross join events b"
    with client_for(constrained_server) as client:
        response = post_hogql(client, constrained_server, sql)
    assert response.status_code == 513, response.text
    body = response.json()
    assert (body["type"], body["code"]) == ("server_error", "clickhouse_memory_limit_exceeded")
    assert body["detail"].startswith("This query ran out of memory before it could finish")


def test_server_answers_others_while_a_runaway_runs(constrained_server: LocalServer) -> None:
    query_id = uuid.uuid4().hex
    with client_for(constrained_server) as client:
        post_hogql(
            client, constrained_server, LONG_QUERY, refresh="async", client_query_id=query_id
        )
        wait_until(lambda: query_id in running_query_ids(client))
        projects = client.get("/api/projects/")
        metadata = client.post(
            query_path(constrained_server),
            json={"query": {"kind": "HogQLMetadata", "query": "select event from events"}},
        )
        client.delete(query_path(constrained_server, f"{query_id}/"))
    assert projects.status_code == 200
    assert metadata.status_code == 200 and metadata.json()["isValid"] is True


def test_async_on_a_stale_cache_answers_it_and_recomputes(
    constrained_server: LocalServer,
) -> None:
    sql = f"select event, count() from events where event != '{uuid.uuid4().hex}' group by event"
    with client_for(constrained_server) as client:
        first = post_hogql(client, constrained_server, sql).json()
        fresh = post_hogql(client, constrained_server, sql, refresh="async")
        time.sleep(1.2)  # the server's --cache-ttl is 1 s: now the cached response is stale
        stale = post_hogql(client, constrained_server, sql, refresh="async")
        assert fresh.status_code == 200 and fresh.json()["is_cached"] is True
        assert stale.status_code == 202
        body = stale.json()
        assert body["is_cached"] is True and body["results"] == first["results"]
        status = body["query_status"]
        assert status["complete"] is False
        done = wait_until(
            lambda: (
                (r := client.get(query_path(constrained_server, f"{status['id']}/"))).status_code
                == 200
                and r
            )
        )
    assert done.json()["query_status"]["results"]["is_cached"] is False
