"""Conformance: identical HogQL within 5 minutes is answered from the cache."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.server.conftest import post_hogql
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server


def unique_query() -> str:
    return f"select event, count() from events where event != '{uuid.uuid4().hex}' group by event"


def test_blocking_repeats_are_cached_and_force_blocking_recomputes(
    api: httpx.Client, local_server: LocalServer
) -> None:
    sql = unique_query()
    first = post_hogql(api, local_server, sql).json()
    second = post_hogql(api, local_server, sql, refresh="blocking").json()
    assert first["is_cached"] is False
    assert second["is_cached"] is True
    assert second["last_refresh"] == first["last_refresh"]
    assert second["results"] == first["results"]
    forced = post_hogql(api, local_server, sql, refresh="force_blocking").json()
    assert forced["is_cached"] is False
    assert forced["last_refresh"] >= first["last_refresh"]


def test_name_does_not_change_the_cache_key(api: httpx.Client, local_server: LocalServer) -> None:
    sql = unique_query()
    post_hogql(api, local_server, sql, name="first")
    again = post_hogql(api, local_server, sql, name="second").json()
    assert again["is_cached"] is True


def test_force_cache_computes_on_a_miss_like_blocking(
    api: httpx.Client, local_server: LocalServer
) -> None:
    response = post_hogql(api, local_server, unique_query(), refresh="force_cache")
    assert response.status_code == 200
    assert response.json()["is_cached"] is False
    assert response.json()["results"]


def test_async_with_fresh_cache_answers_200_immediately(
    api: httpx.Client, local_server: LocalServer
) -> None:
    sql = unique_query()
    post_hogql(api, local_server, sql)
    response = post_hogql(api, local_server, sql, refresh="async")
    assert response.status_code == 200
    assert response.json()["is_cached"] is True


def test_async_except_on_cache_miss_blocks_on_a_miss(
    api: httpx.Client, local_server: LocalServer
) -> None:
    response = post_hogql(api, local_server, unique_query(), refresh="async_except_on_cache_miss")
    assert response.status_code == 200
    assert response.json()["is_cached"] is False and response.json()["results"]


def test_lazy_async_miss_starts_a_background_query(
    api: httpx.Client, local_server: LocalServer
) -> None:
    response = post_hogql(api, local_server, unique_query(), refresh="lazy_async")
    assert response.status_code == 202
    assert response.json()["query_status"]["complete"] is False
