"""Conformance: error envelopes, HogQL and ClickHouse errors, never HTML or tracebacks."""

from __future__ import annotations

import httpx
import pytest

from tests.server.conftest import post_hogql, query_path
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

ENVELOPE_KEYS = {"type", "code", "detail", "attr"}


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, object] = response.json()
    assert ENVELOPE_KEYS <= set(body) <= ENVELOPE_KEYS | {"extra"}
    assert body["code"] == code
    return body


@pytest.mark.parametrize(
    "content", [b"{not json", b"", b"[1, 2]", b'{"refresh": "blocking"}', b'"text"']
)
def test_malformed_bodies_are_400_parse_error(
    api: httpx.Client, local_server: LocalServer, content: bytes
) -> None:
    response = api.post(
        query_path(local_server), content=content, headers={"Content-Type": "application/json"}
    )
    body = assert_envelope(response, 400, "parse_error")
    assert body["type"] == "invalid_request"
    assert str(body["detail"]).startswith("JSON parse error - ")


def test_syntax_error_has_positions(api: httpx.Client, local_server: LocalServer) -> None:
    sql = "select event, count() from events where group by event"
    body = assert_envelope(post_hogql(api, local_server, sql), 400, "hogql_syntax_error")
    assert body["type"] == "validation_error"
    metadata = body["extra"]["hogql_metadata"]  # type: ignore[index]
    assert metadata["isValid"] is False and metadata["query"] == sql
    error = metadata["errors"][0]
    assert isinstance(error["start"], int) and isinstance(error["end"], int)
    assert 0 <= error["start"] <= error["end"] <= len(sql)


def test_resolution_error_has_positions(api: httpx.Client, local_server: LocalServer) -> None:
    body = assert_envelope(
        post_hogql(api, local_server, "select nope from events"), 400, "hogql_query_error"
    )
    error = body["extra"]["hogql_metadata"]["errors"][0]  # type: ignore[index]
    assert (error["start"], error["end"]) == (7, 11)
    assert "nope" in str(body["detail"])


def test_clickhouse_user_error_is_400_with_its_name(
    api: httpx.Client, local_server: LocalServer
) -> None:
    response = post_hogql(api, local_server, "select plus(1, 'a')")
    body = assert_envelope(response, 400, "illegal_type_of_argument")
    assert body["type"] == "validation_error"
    assert "Stack trace" not in str(body["detail"]) and "readonly" not in str(body["detail"])


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nowhere", 404, "not_found"),
        ("GET", "/api/projects/1/query/", 405, "method_not_allowed"),
        ("PUT", "/api/projects/1/query/abc/", 405, "method_not_allowed"),
        ("POST", "/api/projects/", 405, "method_not_allowed"),
    ],
)
def test_other_routes_answer_json(
    api: httpx.Client, method: str, path: str, status: int, code: str
) -> None:
    response = api.request(method, path)
    assert_envelope(response, status, code)
    assert "<html" not in response.text.lower() and "Traceback" not in response.text


def test_check_auth_for_async(api: httpx.Client, local_server: LocalServer) -> None:
    response = api.post(query_path(local_server, "check_auth_for_async/"), json={})
    assert response.status_code == 200 and response.json() == {"user": "ok"}


@pytest.mark.parametrize(
    "sql",
    [
        "select file('/etc/passwd')",
        "select * from file('/etc/passwd', 'LineAsString')",
        "select * from url('http://127.0.0.1:1/', 'LineAsString')",
        "insert into events (event) values ('x')",
        "drop table events",
    ],
)
def test_nothing_reaches_files_urls_or_writes(
    api: httpx.Client, local_server: LocalServer, sql: str
) -> None:
    response = post_hogql(api, local_server, sql)
    assert response.status_code == 400
    assert response.json()["code"] in ("hogql_syntax_error", "hogql_query_error")
    assert "root:" not in response.text


def test_query_that_is_not_an_object_is_a_validation_error(
    api: httpx.Client, local_server: LocalServer
) -> None:
    response = api.post(query_path(local_server), json={"query": "select 1"})
    body = assert_envelope(response, 400, "invalid_input")
    assert body["type"] == "validation_error"
