"""Conformance: LIMIT injection, hasMore pagination, the 50,000-row clamp, the OFFSET rule."""

from __future__ import annotations

import httpx
import pytest

from tests.server.conftest import post_hogql
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

OFFSET_MESSAGE = "OFFSET is not supported on queries made with a personal API key."


def test_limitless_query_returns_100_rows_and_has_more(
    api: httpx.Client, local_server: LocalServer
) -> None:
    body = post_hogql(api, local_server, "select uuid from events").json()
    assert len(body["results"]) == 100
    assert (body["hasMore"], body["limit"], body["offset"]) == (True, 100, 0)
    assert "LIMIT" in body["hogql"].upper()


def test_small_limitless_result_has_no_more(api: httpx.Client, local_server: LocalServer) -> None:
    body = post_hogql(api, local_server, "select distinct event from events").json()
    assert 0 < len(body["results"]) < 100
    assert (body["hasMore"], body["limit"], body["offset"]) == (False, 100, 0)


def test_explicit_limit_is_respected_without_paginator(
    api: httpx.Client, local_server: LocalServer
) -> None:
    body = post_hogql(api, local_server, "select uuid from events limit 7").json()
    assert len(body["results"]) == 7
    assert body["hasMore"] is None and body["limit"] is None


def test_every_limitless_union_arm_gets_limit_100(
    api: httpx.Client, local_server: LocalServer
) -> None:
    union = post_hogql(
        api, local_server, "select uuid from events union all select uuid from events"
    ).json()
    assert len(union["results"]) == 200
    mixed = post_hogql(
        api, local_server, "select uuid from events limit 3 union all select uuid from events"
    ).json()
    assert len(mixed["results"]) == 103


def test_subqueries_are_not_limited(api: httpx.Client, local_server: LocalServer) -> None:
    total = post_hogql(api, local_server, "select count() from events").json()["results"]
    sub = post_hogql(api, local_server, "select count() from (select uuid from events)").json()
    assert sub["results"] == total
    assert total[0][0] > 100


def test_top_level_limit_is_clamped_to_50000(api: httpx.Client, local_server: LocalServer) -> None:
    body = post_hogql(
        api, local_server, "select a.event from events a cross join events b limit 60000"
    ).json()
    assert len(body["results"]) == 50_000
    assert body["hasMore"] is None


def test_offset_is_refused_for_personal_api_keys(
    api: httpx.Client, local_server: LocalServer
) -> None:
    response = post_hogql(api, local_server, "select uuid from events limit 10 offset 5")
    assert response.status_code == 400
    body = response.json()
    assert (body["type"], body["code"]) == ("validation_error", "hogql_query_error")
    assert body["detail"].startswith(OFFSET_MESSAGE)
