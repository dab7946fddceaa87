"""Property: whatever PostHog (or a proxy) sends back, the client raises only typed errors.

Hypothesis feeds at least 1,000 malformed answers (random bytes, HTML, truncated JSON,
valid JSON of the wrong shape, mutated real responses, odd statuses and headers) to every
kind of call, in blocking and async mode. Each call must return its typed value or raise a
``PostHogError``; a ``KeyError``, ``TypeError`` or anything else escaping is a bug.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.client.conftest import FAST_POLLS, no_sleep
from tests.client.fake_posthog import API_KEY, FakePostHog
from workbench.client import (
    DatabaseSchema,
    HogQLMetadata,
    PostHogClient,
    PostHogError,
    QueryResult,
    RateBudget,
)
from workbench.connection import ConnectionSettings

EXAMPLES = 1_200
"""At least 1,000 bodies, as the issue asks; a few more for the strategies' spread."""

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = ["results", "columns", "types", "hasMore", "is_cached", "last_refresh", "hogql",
        "clickhouse", "timings", "query_status", "complete", "error", "error_message",
        "query_progress", "type", "code", "detail", "attr", "extra", "hogql_metadata",
        "errors", "start", "end", "tables", "fields", "suggestions", "label", "id", "name",
        "next", "isValid"]  # fmt: skip
"""Keys the client reads: malformed values under real keys exercise the parsers."""


def real_response() -> dict[str, Any]:
    return FakePostHog().result_for("SELECT event, n FROM events LIMIT 3")


@st.composite
def mutated_response(draw: st.DrawFn) -> dict[str, Any]:
    body: dict[str, Any] = real_response()
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=4)):
        body[key] = draw(json_values)
    return body


STATUS_KEYS = ["id", "complete", "error", "error_message", "results", "query_progress"]
PROGRESS_KEYS = [
    "rows_read",
    "bytes_read",
    "estimated_rows_total",
    "time_elapsed",
    "active_cpu_time",
]


@st.composite
def status_body(draw: st.DrawFn) -> dict[str, Any]:
    status: dict[str, Any] = {"id": "q", "complete": draw(st.booleans())}
    for key in draw(st.lists(st.sampled_from(STATUS_KEYS), max_size=3)):
        status[key] = draw(json_values)
    if draw(st.booleans()):
        progress_keys = st.lists(st.sampled_from(PROGRESS_KEYS), max_size=5)
        status["query_progress"] = {key: draw(json_values) for key in draw(progress_keys)}
    if draw(st.booleans()):
        status["results"] = draw(mutated_response())
    return {"query_status": status}


def encode(value: object) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


malformed = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    json_values.map(encode),
    mutated_response().map(encode),
    st.tuples(mutated_response().map(encode), st.integers(0, 400)).map(lambda t: t[0][: t[1]]),
    st.sampled_from([b"<!DOCTYPE html><html>Sign in</html>", b"", b"   ", b"null", b"[]"]),
)
"""Bodies for any call."""
bodies = {
    "blocking": malformed,
    "async_post": st.one_of(malformed, status_body().map(encode)),
    "async_poll": st.one_of(status_body().map(encode), status_body().map(encode), malformed),
    "metadata": malformed,
    "autocomplete": malformed,
    "schema": malformed,
    "projects": malformed,
    "current": malformed,
    "cancel": malformed,
}
"""Per call: async calls get mostly query-status shaped answers."""
statuses = st.sampled_from(
    [200, 200, 200, 202, 202, 204, 301, 400, 401, 403, 404, 429, 500, 502, 504, 512, 513, 418]
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "content-type": st.sampled_from(["application/json", "text/html", "text/plain", "x/y"]),
        "retry-after": st.sampled_from(
            ["0", "1", "57", "-3", "nan", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"]
        ),
        "location": st.one_of(
            st.sampled_from(["https://eu.posthog.com/api/", "/relative", "http://[::1", "::"]),
            st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
        ),
    },
)
TRANSPORT_FAILURES: list[Exception] = [
    httpx.ConnectError("[Errno 111] Connection refused"),
    httpx.ConnectTimeout("timed out"),
    httpx.ReadTimeout("timed out"),
    httpx.WriteTimeout("timed out"),
    httpx.PoolTimeout("no connection available"),
    httpx.ReadError("[Errno 104] Connection reset by peer"),
    httpx.WriteError("[Errno 32] Broken pipe"),
    httpx.CloseError("close failed"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
    httpx.LocalProtocolError("illegal header"),
    httpx.ProxyError("proxy refused"),
    httpx.UnsupportedProtocol("unknown scheme"),
    httpx.DecodingError("bad gzip"),
]
"""Every kind of httpx failure (raised by the transport instead of answering)."""

calls = st.sampled_from(
    ["blocking", "async_post", "async_poll", "metadata", "autocomplete", "schema", "projects",
     "current", "cancel"]
)  # fmt: skip


def test_malformed_bodies_only_ever_raise_typed_errors() -> None:
    loop = asyncio.new_event_loop()
    queue: list[httpx.Response | Exception] = []
    fake = FakePostHog(polls_to_finish=1_000)

    def handler(request: httpx.Request) -> httpx.Response:
        if not queue:
            return fake.handle(request)
        reply = queue.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    budget = RateBudget()
    client = PostHogClient(
        ConnectionSettings(host="https://posthog.test", project_id="1", api_key=API_KEY),
        transport=httpx.MockTransport(handler),
        budget=budget,
        poll_schedule=FAST_POLLS,
        sleep=no_sleep,
        cancel_timeout=0.5,
    )
    outcomes = {"returned": 0, "raised": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(call=calls, status=statuses, header=headers, data=st.data())
    def check(call: str, status: int, header: dict[str, str], data: st.DataObject) -> None:
        body = data.draw(bodies[call], label="body")
        queue.clear()
        fake.statuses.clear()
        budget.reset()  # a remembered Retry-After would keep later examples off the wire
        response: httpx.Response | Exception = httpx.Response(status, content=body, headers=header)
        if data.draw(st.integers(0, 9), label="transport fails") == 0:
            response = data.draw(st.sampled_from(TRANSPORT_FAILURES), label="failure")
        if call == "async_poll":  # a well-formed 202 first, then the malformed poll answer
            queue.append(httpx.Response(202, json={"query_status": {"id": "q", "complete": False}}))
        queue.extend([response] * 3)  # retries see the same answer
        try:
            loop.run_until_complete(run(client, call))
        except PostHogError as exc:
            assert call != "cancel", "cancel() must never raise"
            assert API_KEY not in str(exc)
            outcomes["raised"] += 1
        else:
            outcomes["returned"] += 1

    try:
        check()
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()
    assert sum(outcomes.values()) >= 1_000
    assert outcomes["raised"] > outcomes["returned"] > 0  # both paths were exercised


async def run(client: PostHogClient, call: str) -> None:
    if call == "blocking":
        assert isinstance(await client.run_query("SELECT 1", mode="blocking"), QueryResult)
    elif call in ("async_post", "async_poll"):
        assert isinstance(await client.run_query("SELECT 1", client_query_id="q"), QueryResult)
    elif call == "metadata":
        assert isinstance(await client.metadata("SELECT 1"), HogQLMetadata)
    elif call == "autocomplete":
        assert isinstance(await client.autocomplete("SELECT ev", 7, 9), list)
    elif call == "current":
        assert (await client.current_project()).id is not None
    elif call == "cancel":
        await client.cancel("q")  # must never raise, whatever comes back
    elif call == "schema":
        assert isinstance(await client.schema(refresh=True), DatabaseSchema)
    else:
        assert isinstance(await client.list_projects(), list)
