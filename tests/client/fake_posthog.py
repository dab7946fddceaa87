"""An in-memory PostHog Query API double for the client's unit tests.

``FakePostHog.handle`` answers ``httpx.Request``s the way the contract
(``posthog-query-api.md``) says PostHog does: envelopes, 202 + status polls, DELETE that
forgets the status, blocking-mode cache, LIMIT 100 + hasMore without a LIMIT. It serves
through ``httpx.MockTransport`` (``transport()``) or over real loopback HTTP
(``serve_in_thread``). Tests queue faults with ``respond_next``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import orjson

from tests.client.fake_autocomplete import fake_autocomplete

API_KEY = "phx_" + "testkeyTESTKEY0123456789" * 2
"""The only key the fake accepts."""

LIMIT_AT_END = re.compile(r"\bLIMIT\s+(\d+)\s*;?\s*$", re.IGNORECASE)

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def envelope(status: int, code: str | None, detail: str, **extra: Any) -> httpx.Response:
    """A drf-exceptions-hog error response."""
    kind = {401: "authentication_error", 403: "authentication_error", 429: "throttled_error"}
    body: dict[str, Any] = {
        "type": kind.get(status, "validation_error" if status == 400 else "server_error"),
        "code": code,
        "detail": detail,
        "attr": None,
    }
    if extra:
        body["extra"] = extra
    return httpx.Response(status, json=body)


@dataclass
class FakeQuery:
    """An async query's status on the fake server."""

    id: str
    sql: str
    polls_left: int
    response: dict[str, Any] | None = None
    error: tuple[int, str | None] | None = None


@dataclass
class FakePostHog:
    """State and behaviour of the fake server; every field may be changed by a test."""

    project_id: int = 1
    columns: list[str] = field(default_factory=lambda: ["event", "n"])
    types: list[list[str]] = field(default_factory=lambda: [["event", "String"], ["n", "UInt64"]])
    total_rows: int = 5
    polls_to_finish: int = 2
    post_delay: float = 0.0
    """Seconds a blocking POST takes (awaited, so the request can be cancelled)."""
    async_error: tuple[int, str | None] | None = None
    """Make async queries fail in their status poll with (HTTP status, error_message)."""
    requests: list[httpx.Request] = field(default_factory=list)
    statuses: dict[str, FakeQuery] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    cache: dict[str, dict[str, Any]] = field(default_factory=dict)
    queued: list[Reply] = field(default_factory=list)
    slow_posts_started: int = 0
    slow_post_ids: list[str] = field(default_factory=list)
    hang: bool = False
    """Never answer (requests are recorded, then wait an hour)."""
    properties: list[tuple[str, str]] = field(
        default_factory=lambda: [("$browser", "String"), ("$current_url", "String")]
    )
    """Event property definitions ``(name, property_type)`` autocomplete offers."""

    # ----------------------------------------------------------------- test helpers
    def respond_next(self, *replies: Reply) -> None:
        """Answer the next requests with these (responses, exceptions to raise, or callables)."""
        self.queued.extend(replies)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_async)

    def sent(self, method: str, fragment: str = "") -> list[httpx.Request]:
        """Requests seen with ``method`` whose path contains ``fragment``."""
        return [r for r in self.requests if r.method == method and fragment in r.url.path]

    def posted_sql(self) -> list[str]:
        return [
            orjson.loads(r.content)["query"].get("query", "") for r in self.sent("POST", "/query/")
        ]

    def rows(self, count: int) -> list[list[Any]]:
        return [[f"event_{i}", i] for i in range(count)]

    # ----------------------------------------------------------------- handlers
    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        if self.hang:
            self.requests.append(request)
            await asyncio.sleep(3600)
        if self.post_delay and request.method == "POST" and not self.queued:
            body = orjson.loads(request.content)
            if body.get("refresh", "blocking") in {"blocking", "force_blocking"}:
                self.slow_posts_started += 1
                self.slow_post_ids.append(body.get("client_query_id"))
                await asyncio.sleep(self.post_delay)
        return self.handle(request)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.queued:
            reply = self.queued.pop(0)
            if isinstance(reply, Exception):
                raise reply
            if callable(reply) and not isinstance(reply, httpx.Response):
                return reply(request)
            return reply
        return self.default(request)

    def default(self, request: httpx.Request) -> httpx.Response:
        """The normal answer, ignoring queued replies (for callables in ``respond_next``)."""
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return envelope(
                401,
                "authentication_failed",
                "Personal API key found in request Authorization header is invalid.",
            )
        path = request.url.path
        base = f"/api/projects/{self.project_id}"
        if path in ("/api/projects/", "/api/projects/@current/", f"{base}/"):
            return self.projects(path)
        if not path.startswith(base + "/query/") and not path.startswith("/api/projects/@current/"):
            return envelope(404, "not_found", "Project not found.")
        rest = path.split("/query/", 1)[1].strip("/")
        if request.method == "POST" and not rest:
            return self.create(orjson.loads(request.content))
        if request.method == "GET" and rest:
            return self.retrieve(rest)
        if request.method == "DELETE" and rest:
            return self.destroy(rest)
        return envelope(405, "method_not_allowed", "Method not allowed.")

    def projects(self, path: str) -> httpx.Response:
        project = {"id": self.project_id, "name": "Demo", "timezone": "UTC", "organization": "o1"}
        if path == "/api/projects/":
            return httpx.Response(
                200, json={"count": 1, "next": None, "previous": None, "results": [project]}
            )
        return httpx.Response(200, json=project)

    def result_for(self, sql: str) -> dict[str, Any]:
        match = LIMIT_AT_END.search(sql)
        limit = min(int(match.group(1)), 50_000) if match else 101  # 100 + the paginator's probe
        rows = self.rows(min(limit, self.total_rows))
        has_more = None
        if match is None:
            has_more, rows = len(rows) > 100, rows[:100]
        return {
            "results": rows,
            "columns": list(self.columns),
            "types": [list(t) for t in self.types],
            "hogql": sql if match else f"{sql}\nLIMIT 101",
            "clickhouse": "SELECT ... SETTINGS readonly=2",
            "query": None,
            "timings": [{"k": "./parse_select", "t": 0.0012}],
            "hasMore": has_more,
            "limit": None if match else 100,
            "offset": None if match else 0,
            "is_cached": False,
            "last_refresh": "2026-11-29T07:00:00.123456Z",
            "query_status": None,
        }

    def create(self, body: dict[str, Any]) -> httpx.Response:
        query = body["query"]
        kind = query["kind"]
        if kind == "HogQLMetadata":
            return httpx.Response(200, json=self.metadata(query["query"]))
        if kind == "HogQLAutocomplete":
            answer = fake_autocomplete(
                query["query"], query["startPosition"], query["endPosition"], self.properties
            )
            return httpx.Response(200, json=answer)
        if kind == "DatabaseSchemaQuery":
            return httpx.Response(200, json=SCHEMA)
        sql: str = query["query"]
        refresh = body.get("refresh", "blocking")
        query_id = body.get("client_query_id") or "server-made-id"
        if refresh in {"async", "force_async"}:
            known = self.statuses.get(query_id)
            if known is None or refresh == "force_async":
                error = self.async_error
                if "nope" in sql:  # async HogQL errors surface in the status poll
                    error = (400, "Unable to resolve field: nope")
                known = self.statuses[query_id] = FakeQuery(
                    query_id, sql, self.polls_to_finish, error=error
                )
            return self.status_response(known, advance=False)
        if "nope" in sql:
            start = sql.index("nope")
            return envelope(
                400,
                "hogql_query_error",
                "Unable to resolve field: nope\nTables referenced: events",
                hogql_metadata={
                    "errors": [
                        {
                            "message": "Unable to resolve field: nope",
                            "start": start,
                            "end": start + 4,
                        }
                    ]
                },
            )
        if refresh == "blocking" and sql in self.cache:
            return httpx.Response(200, json={**self.cache[sql], "is_cached": True})
        result = self.result_for(sql)
        self.cache[sql] = result
        return httpx.Response(200, json=result)

    def status_json(self, query: FakeQuery) -> dict[str, Any]:
        complete = query.polls_left <= 0
        done_rows = 1000 * (self.polls_to_finish - query.polls_left)
        return {
            "id": query.id,
            "team_id": self.project_id,
            "query_async": True,
            "complete": complete,
            "error": complete and query.error is not None,
            "error_message": query.error[1] if complete and query.error else None,
            "results": query.response if complete and query.error is None else None,
            "start_time": "2026-11-29T07:00:00.000001Z",
            "end_time": None,
            "query_progress": None
            if complete
            else {
                "rows_read": done_rows,
                "bytes_read": done_rows * 100,
                "estimated_rows_total": 1000 * self.polls_to_finish,
                "time_elapsed": self.polls_to_finish - query.polls_left,  # seconds
                "active_cpu_time": 100_000,  # microseconds
            },
        }

    def status_response(self, query: FakeQuery, *, advance: bool) -> httpx.Response:
        if advance and query.polls_left > 0:
            query.polls_left -= 1
        if query.polls_left <= 0 and query.response is None and query.error is None:
            query.response = self.result_for(query.sql)
        body = {"query_status": self.status_json(query)}
        if query.polls_left > 0:
            return httpx.Response(202, json=body)
        if query.error is not None:
            return httpx.Response(query.error[0], json=body)
        return httpx.Response(200, json=body)

    def retrieve(self, query_id: str) -> httpx.Response:
        query = self.statuses.get(query_id)
        if query is None:
            return envelope(
                404, "not_found", f"Query {query_id} not found for team {self.project_id}"
            )
        return self.status_response(query, advance=True)

    def destroy(self, query_id: str) -> httpx.Response:
        self.deleted.append(query_id)
        query = self.statuses.pop(query_id, None)
        if query is not None and query.polls_left <= 0:
            self.statuses[query_id] = query
            return httpx.Response(200, json={"message": "Query already complete"})
        return httpx.Response(200, json={"message": "Cancelled query on clickhouse"})

    def metadata(self, sql: str) -> dict[str, Any]:
        errors = []
        if "nope" in sql:
            start = sql.index("nope")
            errors.append(
                {"message": "Unable to resolve field: nope", "start": start, "end": start + 4}
            )
        return {
            "query": sql,
            "isValid": not errors,
            "errors": errors,
            "warnings": [],
            "notices": [],
            "table_names": ["events"],
            "ch_table_names": None,
        }


SCHEMA = {
    "tables": {
        "events": {
            "type": "posthog",
            "id": "events",
            "name": "events",
            "fields": {
                "event": {
                    "name": "event",
                    "hogql_value": "event",
                    "type": "string",
                    "schema_valid": True,
                },
                "pdi": {
                    "name": "pdi",
                    "hogql_value": "pdi",
                    "type": "lazy_table",
                    "schema_valid": True,
                    "table": "person_distinct_ids",
                    "fields": ["distinct_id", "person_id"],
                },
                "person_id": {
                    "name": "person_id",
                    "hogql_value": "person_id",
                    "type": "field_traverser",
                    "schema_valid": True,
                    "chain": ["pdi", "person_id"],
                },
            },
        }
    },
    "joins": [],
}
"""A trimmed DatabaseSchemaQuery answer (contract §6)."""


@contextlib.contextmanager
def serve_in_thread(fake: FakePostHog) -> Iterator[str]:
    """Serve ``fake`` over real HTTP on 127.0.0.1; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('host')}{self.path}",
                headers=dict(self.headers.items()),
                content=body,
            )
            try:
                response = asyncio.run(fake.handle_async(request))
            except Exception:
                self.close_connection = True
                return
            payload = response.content
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in {"content-length", "transfer-encoding"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _serve

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
