"""Conformance: request routes and the shape of successful responses, over real HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from datetime import datetime

import httpx
import pytest

from tests.server.conftest import post_hogql, query_path
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

RESPONSE_KEYS = {
    "results", "columns", "types", "hogql", "clickhouse", "query", "timings", "error",
    "explain", "metadata", "hasMore", "limit", "offset", "modifiers", "warnings", "is_cached",
    "last_refresh", "next_allowed_client_refresh", "cache_key", "cache_target_age", "timezone",
    "calculation_trigger", "query_metadata", "query_status", "resolved_date_range",
}  # fmt: skip
"""Every key of PostHog's HogQLQueryResponse (unset ones are sent as null)."""


def nonce() -> str:
    """A literal that makes a query text unique, so the response cache cannot answer it."""
    return uuid.uuid4().hex


def test_blocking_query_has_every_posthog_key(api: httpx.Client, local_server: LocalServer) -> None:
    response = post_hogql(
        api,
        local_server,
        f"select event, count() as c, '{nonce()}' as n from events "
        "group by event order by c desc limit 3",
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == RESPONSE_KEYS
    assert body["columns"] == ["event", "c", "n"]
    assert [pair[0] for pair in body["types"]] == ["event", "c", "n"]
    assert body["types"][1][1] == "UInt64"
    assert len(body["results"]) == 3
    counts = [row[1] for row in body["results"]]
    assert counts == sorted(counts, reverse=True) and all(isinstance(c, int) for c in counts)
    assert body["query"] is None and body["timings"] is None and body["query_status"] is None
    assert body["hasMore"] is None and body["limit"] is None and body["offset"] is None
    assert body["is_cached"] is False
    assert body["timezone"] == "UTC"
    assert body["cache_key"].startswith("cache_")
    assert body["last_refresh"].endswith("Z")
    assert "LIMIT 3" in body["hogql"].upper()
    assert body["clickhouse"].upper().startswith("SELECT")
    assert "SETTINGS readonly=2, max_execution_time=60" in body["clickhouse"]


def test_datetimes_are_utc_iso_with_z(api: httpx.Client, local_server: LocalServer) -> None:
    body = post_hogql(
        api, local_server, f"select timestamp, '{nonce()}' from events order by timestamp limit 5"
    ).json()
    assert body["types"][0][1].startswith("DateTime64(6")
    for value, _ in body["results"]:
        assert value.endswith("Z")
        assert datetime.fromisoformat(value).utcoffset() is not None


def test_timings_only_with_the_modifier(api: httpx.Client, local_server: LocalServer) -> None:
    payload = {
        "query": {
            "kind": "HogQLQuery",
            "query": f"select '{nonce()}'",
            "modifiers": {"timings": True},
        }
    }
    body = api.post(query_path(local_server), json=payload).json()
    assert isinstance(body["timings"], list) and body["timings"]
    assert all(set(t) == {"k", "t"} and t["t"] >= 0 for t in body["timings"])
    assert body["modifiers"]["timings"] is True


def test_kind_in_path_current_project_and_environments_alias(
    api: httpx.Client, local_server: LocalServer
) -> None:
    payload = {"query": {"kind": "HogQLQuery", "query": "select 1 as one"}}
    for path in (
        f"/api/projects/{local_server.project_id}/query/HogQLQuery/",
        "/api/projects/@current/query/",
        f"/api/environments/{local_server.project_id}/query/",
        "/api/environments/@current/query/HogQLQuery/",
    ):
        response = api.post(path, json=payload)
        assert response.status_code == 200, path
        assert response.json()["results"] == [[1]]
    mismatch = api.post("/api/projects/@current/query/HogQLMetadata/", json=payload)
    assert mismatch.status_code == 400
    assert mismatch.json()["detail"] == (
        'Query kind mismatch: path kind "HogQLMetadata" does not match body kind "HogQLQuery".'
    )


def test_projects_list_and_current(api: httpx.Client, local_server: LocalServer) -> None:
    listing = api.get("/api/projects/")
    assert listing.status_code == 200
    page = listing.json()
    assert page["count"] == 1 and page["next"] is None and page["previous"] is None
    project = page["results"][0]
    assert project["id"] == local_server.project_id
    assert {"id", "uuid", "organization", "api_token", "name", "timezone"} <= set(project)
    current = api.get("/api/projects/@current/").json()
    assert current["id"] == local_server.project_id and current["timezone"] == "UTC"
    assert api.get(f"/api/projects/{local_server.project_id}/").status_code == 200


def test_non_integer_project_is_not_found(api: httpx.Client) -> None:
    response = api.post("/api/projects/abc/query/", json={})
    assert response.status_code == 404
    assert response.json() == {
        "type": "invalid_request",
        "code": "not_found",
        "detail": "Project not found.",
        "attr": None,
    }


def test_metadata_kind_reports_errors_with_offsets(
    api: httpx.Client, local_server: LocalServer
) -> None:
    good = {
        "query": {"kind": "HogQLMetadata", "language": "hogQL", "query": "select event from events"}
    }
    body = api.post(query_path(local_server), json=good).json()
    assert body["isValid"] is True and body["errors"] == []
    bad = {
        "query": {"kind": "HogQLMetadata", "language": "hogQL", "query": "select nope from events"}
    }
    response = api.post(query_path(local_server), json=bad)
    assert response.status_code == 200
    body = response.json()
    assert body["isValid"] is False
    assert body["errors"][0]["start"] == 7 and body["errors"][0]["end"] == 11


def test_unsupported_kind_is_a_clear_400(api: httpx.Client, local_server: LocalServer) -> None:
    payload = {"query": {"kind": "TrendsQuery", "series": []}}
    response = api.post(query_path(local_server), json=payload)
    assert response.status_code == 400
    assert response.json()["detail"] == "Unsupported query kind: TrendsQuery"


def _curl(local_server: LocalServer, data: str) -> dict[str, object]:
    # The command as PostHog's docs write it, with the host and project filled in.
    completed = subprocess.run(
        [
            "curl",
            "-s",
            "-H",
            "Content-Type: application/json",
            "-H",
            f"Authorization: Bearer {local_server.api_key}",
            f"{local_server.base_url}/api/projects/{local_server.project_id}/query/",
            "-d",
            data,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(completed.stdout)
    return result


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl not installed")
def test_documented_curl_examples_return_rows(local_server: LocalServer) -> None:
    blog = _curl(
        local_server,
        '{\n"query": {\n"kind": "HogQLQuery",\n"query": "select properties.$current_url from '
        "events where properties.$current_url like '%/blog%' limit 100\"\n}\n}",
    )
    rows = blog["results"]
    assert isinstance(rows, list) and 0 < len(rows) <= 100
    assert all("/blog" in row[0] for row in rows)
    assert blog["columns"] == ["$current_url"]
    assert blog["types"][0][1] == "Nullable(String)"
    emails = _curl(
        local_server,
        '{\n"query": {\n"kind": "HogQLQuery",\n"query": "select properties.email from persons '
        'where properties.email is not null"\n}\n}',
    )
    rows = emails["results"]
    assert isinstance(rows, list) and len(rows) == 100  # the injected LIMIT
    assert all(isinstance(row[0], str) and "@" in row[0] for row in rows)
    assert emails["hasMore"] is True


def test_values_fill_placeholders(api: httpx.Client, local_server: LocalServer) -> None:
    payload = {
        "query": {
            "kind": "HogQLQuery",
            "query": "select {answer} as answer, {word} as word",
            "values": {"answer": 42, "word": "it's"},
        }
    }
    body = api.post(query_path(local_server), json=payload).json()
    assert body["results"] == [[42, "it's"]]
