"""Fault suite: every error kind maps to the right exception, message and CLI exit code.

Answers are injected through ``httpx.MockTransport``; the network faults that need real
sockets are in ``test_network_faults.py``.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.client.fake_posthog import API_KEY, FakePostHog, envelope
from workbench.client import (
    ClickHouseError,
    ConcurrencyLimited,
    HogQLError,
    NetworkError,
    NotAuthenticated,
    NotFound,
    OutOfMemory,
    PermissionDenied,
    PostHogClient,
    PostHogError,
    ProtocolError,
    QueryError,
    QueryTimeout,
    QueryTooSlow,
    QuotaExceeded,
    RateLimited,
    ServerError,
)
from workbench.commands.query import exit_code_for


def html(status: int) -> httpx.Response:
    page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
    return httpx.Response(status, content=page, headers={"content-type": "text/html"})


def chained(outer: httpx.RequestError, cause: BaseException) -> httpx.RequestError:
    """``outer`` raised from ``cause``, as httpcore wraps socket errors."""
    outer.__cause__ = cause
    return outer


@dataclass(frozen=True)
class Fault:
    reply: httpx.Response | Exception
    error: type[PostHogError]
    message: str
    exit_code: int
    attrs: tuple[tuple[str, Any], ...] = ()


FAULTS: dict[str, Fault] = {
    "401 invalid key": Fault(
        envelope(401, "authentication_failed", "Personal API key found in request Authorization header is invalid."),
        NotAuthenticated, "did not accept the API key: Personal API key", 3,
    ),
    "403 missing scope": Fault(
        envelope(403, "permission_denied", "API key missing required scope 'query:read'"),
        PermissionDenied, "Permission denied: API key missing required scope 'query:read'", 3,
    ),
    "404 project": Fault(
        envelope(404, "not_found", "Project not found."), NotFound,
        "Not found on posthog.test: Project not found. Check the host and project id.", 2,
    ),
    "400 HogQL with positions": Fault(
        envelope(400, "hogql_syntax_error", "Syntax error at line 1, column 7",
                 hogql_metadata={"errors": [{"message": "m", "start": 7, "end": 9}]}),
        HogQLError, "Syntax error at line 1, column 7", 1,
        (("code", "hogql_syntax_error"), ("start", 7), ("end", 9)),
    ),
    "400 old HogQL without positions": Fault(
        envelope(400, "invalid_input", "Unable to resolve field: x"),
        HogQLError, "Unable to resolve field: x", 1, (("start", None), ("end", None)),
    ),
    "400 unsupported kind": Fault(
        envelope(400, "invalid_input", "Unsupported query kind: DatabaseSchemaQuery"),
        QueryError, "PostHog rejected the request: Unsupported query kind", 1,
    ),
    "400 ClickHouse user error": Fault(
        envelope(400, "unknown_function", "Unknown function fooBar"),
        ClickHouseError, "Unknown function fooBar", 1, (("code", "unknown_function"),),
    ),
    "402 quota": Fault(
        envelope(402, "api_queries_quota_exceeded", "Quota exceeded"),
        QuotaExceeded, "quota is used up", 4,
    ),
    "429 with Retry-After": Fault(
        httpx.Response(429, headers={"Retry-After": "57"}, json={
            "type": "throttled_error", "code": "throttled",
            "detail": "Request was throttled. Expected available in 57 seconds.", "attr": None}),
        RateLimited, "Rate limited by PostHog: Request was throttled", 4, (("retry_after", 57.0),),
    ),
    "429 concurrency": Fault(
        envelope(429, "throttled", "Too many queries are running right now — please try again in a moment."),
        ConcurrencyLimited, "Too many queries are running right now", 4, (("retry_after", None),),
    ),
    "504 timeout": Fault(
        envelope(504, "error", "Query has hit the max execution time before completing."),
        QueryTimeout, "max execution time", 1,
    ),
    "504 gateway page": Fault(html(504), QueryTimeout, "run long queries in async mode", 1),
    "512 too slow": Fault(
        envelope(512, None, "Estimated query execution time (600 seconds) is too long."),
        QueryTooSlow, "Estimated query execution time", 1,
    ),
    "513 out of memory": Fault(
        envelope(513, "clickhouse_memory_limit_exceeded", "This query ran out of memory before it could finish."),
        OutOfMemory, "ran out of memory", 1,
    ),
    "500 server error": Fault(
        envelope(500, "error", "ClickHouse error while executing query."),
        ServerError, "PostHog server error (HTTP 500 Internal Server Error): ClickHouse error", 5,
    ),
    "503 busy": Fault(
        envelope(503, None, "Queries are a little too busy right now."),
        ServerError, "HTTP 503", 5,
    ),
    "502 HTML gateway page": Fault(html(502), ServerError, "PostHog server error (HTTP 502 Bad Gateway).", 5),
    "200 HTML page": Fault(html(200), ProtocolError, "got a web page (HTTP 200)", 5),
    "200 truncated JSON": Fault(
        httpx.Response(200, content=b'{"results": [[1, 2], [3'), ProtocolError, "malformed or truncated JSON", 5,
    ),
    "200 empty body": Fault(httpx.Response(200, content=b""), ProtocolError, "empty response", 5),
    "200 wrong shape": Fault(
        httpx.Response(200, json={"results": "nope", "columns": ["a"]}),
        ProtocolError, "'results' is not a list", 5,
    ),
    "200 ragged rows": Fault(
        httpx.Response(200, json={"results": [[1], [1, 2]], "columns": ["a"]}),
        ProtocolError, "a row does not have 1 values", 5,
    ),
    "301 redirect": Fault(
        httpx.Response(301, headers={"Location": "https://eu.posthog.com/api/projects/1/query/"}),
        ProtocolError, "redirect (HTTP 301); use https://eu.posthog.com as the host.", 5,
    ),
    "405 unexpected status": Fault(
        httpx.Response(405, text="Method Not Allowed"), ProtocolError, "HTTP 405", 5,
    ),
    "network refused": Fault(
        chained(httpx.ConnectError("All connection attempts failed"), ConnectionRefusedError(111, "Connection refused")),
        NetworkError, "Connection refused by posthog.test", 5, (("kind", "refused"),),
    ),
    "network dns": Fault(
        chained(httpx.ConnectError("[Errno -2] Name or service not known"), socket.gaierror(-2, "Name or service not known")),
        NetworkError, "Could not resolve the host name posthog.test", 5, (("kind", "dns"),),
    ),
    "network tls": Fault(
        chained(httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), ssl.SSLCertVerificationError("certificate verify failed")),
        NetworkError, "TLS handshake with posthog.test failed", 5, (("kind", "tls"),),
    ),
    "network read timeout": Fault(
        httpx.ReadTimeout("The read operation timed out"),
        NetworkError, "Timed out waiting for PostHog to answer", 5, (("kind", "timeout"),),
    ),
    "network connect timeout": Fault(
        httpx.ConnectTimeout("timed out"), NetworkError, "Timed out connecting", 5, (("kind", "timeout"),),
    ),
    "network reset": Fault(
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        NetworkError, "was reset", 5, (("kind", "reset"),),
    ),
    "network closed": Fault(
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        NetworkError, "closed the connection without answering", 5, (("kind", "reset"),),
    ),
    "network cut body": Fault(
        httpx.RemoteProtocolError("peer closed connection without sending complete message body: incomplete chunked read"),
        ProtocolError, "was cut short", 5,
    ),
}  # fmt: skip
"""Each fault's injected answer and the expected class, message fragment and exit code."""


@pytest.mark.parametrize("name", list(FAULTS))
async def test_fault_maps_to_typed_error_message_and_exit_code(
    name: str, client: PostHogClient, fake: FakePostHog
) -> None:
    fault = FAULTS[name]
    fake.respond_next(*[fault.reply] * 3)  # connect errors are retried: fail every attempt
    with pytest.raises(fault.error) as info:
        await client.run_query("SELECT 1", mode="blocking")
    error = info.value
    assert type(error) is fault.error
    assert fault.message in str(error)
    assert len(str(error)) < 700
    assert API_KEY not in str(error) + repr(error)
    for attr, value in fault.attrs:
        assert getattr(error, attr) == value
    assert exit_code_for(error) == fault.exit_code


def test_every_error_class_of_the_architecture_is_covered() -> None:
    covered = {fault.error for fault in FAULTS.values()}
    expected = {
        NotAuthenticated, PermissionDenied, NotFound, HogQLError, ClickHouseError,
        RateLimited, ConcurrencyLimited, QueryTimeout, QueryTooSlow, OutOfMemory,
        ServerError, NetworkError, ProtocolError, QuotaExceeded,
    }  # fmt: skip
    assert expected <= covered
    kinds = {dict(f.attrs).get("kind") for f in FAULTS.values() if f.error is NetworkError}
    assert {"refused", "reset", "timeout", "dns", "tls"} <= kinds


async def test_key_echoed_by_a_hostile_server_is_scrubbed(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(envelope(403, "permission_denied", f"bad key {API_KEY} for you"))
    with pytest.raises(PermissionDenied) as info:
        await client.run_query("SELECT 1", mode="blocking")
    assert API_KEY not in str(info.value)
    assert "[key]" in str(info.value)


async def test_key_only_in_the_authorization_header(
    client: PostHogClient, fake: FakePostHog
) -> None:
    await client.run_query("SELECT 1", mode="blocking")
    request = fake.requests[0]
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in str(request.url) and API_KEY.encode() not in request.content
    assert API_KEY not in repr(client) and API_KEY not in repr(client.settings)


async def test_short_retry_after_on_a_get_is_waited_out(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(
        httpx.Response(429, headers={"Retry-After": "1"}, json={"detail": "slow down"})
    )
    projects = await client.list_projects()
    assert [p.id for p in projects] == [1]
    assert len(fake.sent("GET", "/api/projects/")) == 2


async def test_long_retry_after_is_reported_and_empties_the_bucket(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(httpx.Response(429, headers={"Retry-After": "57"}, json={"detail": "wait"}))
    with pytest.raises(RateLimited) as info:
        await client.metadata("SELECT 1")
    assert info.value.retry_after == 57
    assert len(fake.requests) == 1
    assert client.budget.remaining("burst") == 0


async def test_short_retry_after_on_a_hogql_post_is_not_repeated(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(httpx.Response(429, headers={"Retry-After": "1"}, json={"detail": "wait"}))
    with pytest.raises(RateLimited):
        await client.run_query("SELECT 1", mode="blocking")
    assert len(fake.sent("POST")) == 1


async def test_server_errors_on_a_post_are_not_retried(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(html(502))
    with pytest.raises(ServerError):
        await client.run_query("SELECT 1", mode="blocking")
    assert len(fake.sent("POST")) == 1


async def test_get_gives_up_after_three_attempts(client: PostHogClient, fake: FakePostHog) -> None:
    fake.respond_next(*[httpx.ReadError("reset")] * 5)
    with pytest.raises(NetworkError):
        await client.list_projects()
    assert len(fake.requests) == 3


async def test_real_transport_offers_http2_and_never_follows_redirects(make_client) -> None:  # type: ignore[no-untyped-def]
    from workbench.connection import ConnectionSettings

    settings = ConnectionSettings(host="https://us.posthog.com", project_id="1", api_key=API_KEY)
    client = make_client(settings=settings, transport=None)
    http = client._session._client
    assert http._transport._pool._http2 is True  # h2 is installed: ALPN offers HTTP/2
    assert http.follow_redirects is False  # a redirect must not carry the key elsewhere


async def test_a_get_whose_body_was_cut_short_is_asked_again(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(
        httpx.RemoteProtocolError("peer closed connection without sending complete message body")
    )
    assert [p.id for p in await client.list_projects()] == [1]
    assert len(fake.requests) == 2


async def test_retry_after_is_remembered_for_later_calls(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(httpx.Response(429, headers={"Retry-After": "57"}, json={"detail": "wait"}))
    with pytest.raises(RateLimited):
        await client.run_query("SELECT 1", mode="blocking")
    with pytest.raises(RateLimited) as info:
        await client.run_query("SELECT 2", mode="blocking")
    assert len(fake.sent("POST")) == 1  # the second was refused here, not by PostHog
    assert info.value.retry_after is not None and 50 < info.value.retry_after <= 57
    assert "from its last Retry-After" in str(info.value)
    assert exit_code_for(info.value) == 4
    await client.metadata("SELECT 1")  # other buckets are not blocked
    await client.cancel("anything")  # and a cancel is always tried
    assert fake.deleted == ["anything"]
