"""One pooled ``httpx.AsyncClient`` per connection, with PostHog's error mapping and retries.

Retry rules (why: a repeated POST can start a query twice and spend the HogQL budget):
- GETs are repeated on network failures, bodies cut short and 502/503, with jittered
  exponential backoff.
- Other methods are repeated only when the request certainly never left (connect errors).
- A 429 is waited out and repeated only when ``Retry-After`` is short and the call is safe
  (a GET, or a POST the caller marked ``idempotent``); otherwise it is reported.
"""

from __future__ import annotations

import asyncio
import importlib.util
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from workbench import __version__
from workbench.client._httpx import httpx
from workbench.client.budget import RateBudget, RequestKind
from workbench.client.envelope import decode_json, error_from_response, network_error
from workbench.client.errors import NetworkError, PostHogError, ProtocolError, RateLimited
from workbench.connection import ConnectionSettings

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=125.0, write=30.0, pool=30.0)
"""Read timeout above PostHog's ~60 s gateway limit for blocking queries, with headroom."""

MAX_ATTEMPTS = 3
"""Tries per request, the first included, for retryable failures."""

RETRY_BASE_DELAY = 0.25
"""Seconds; the n-th retry waits uniformly in [0, base * 2**n] ("full jitter")."""

MAX_AUTO_RETRY_AFTER = 3.0
"""Seconds: a 429 asking us to wait longer than this is reported instead of waited out."""

RETRYABLE_GET_STATUSES = frozenset({502, 503})
"""Gateway hiccups and "too busy": a GET can simply be asked again."""

HTTP2_AVAILABLE = importlib.util.find_spec("h2") is not None
"""httpx speaks HTTP/2 (over TLS, via ALPN) only when the optional ``h2`` package is there."""

_CONSUMED = httpx.ByteStream(b"")
"""Stands in for a read response's stream. httpx's stream wrapper points back at its response,
a cycle that would keep each body (tens of MB for 50,000 rows) alive until a full collection,
which the client's paused collector makes rarer still (see ``gc_pause``)."""

Sleep = Callable[[float], Awaitable[None]]
RequestObserver = Callable[[str, str, "int | None", float], None]
"""Called after each attempt with method, path (never headers), status or None, seconds."""


@dataclass(frozen=True)
class ApiResponse:
    """A decoded 2xx answer (or an accepted error status, see ``ApiSession.request``)."""

    status: int
    headers: httpx.Headers
    data: Any
    """The decoded JSON body."""
    nbytes: int
    """Size of the body as received, in bytes."""


class ApiSession:
    """Sends requests for one connection; the key travels only in the Authorization header."""

    def __init__(
        self,
        settings: ConnectionSettings,
        *,
        budget: RateBudget,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        on_request: RequestObserver | None = None,
    ) -> None:
        self.settings = settings
        self.budget = budget
        self.host = httpx.URL(settings.host).host or settings.host
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._on_request = on_request
        self._client = httpx.AsyncClient(
            base_url=settings.host,
            headers={
                "Authorization": f"Bearer {settings.api_key}",
                "Accept": "application/json",
                "User-Agent": f"hogql-workbench/{__version__}",
            },
            timeout=timeout,
            http2=HTTP2_AVAILABLE and transport is None,
            transport=transport,
            follow_redirects=False,  # never hand the key to another host
        )

    def __repr__(self) -> str:
        return f"ApiSession(host={self.settings.host!r}, project={self.settings.project_id!r})"

    @property
    def project_path(self) -> str:
        """``/api/projects/<id>``; ``<id>`` may be ``@current``."""
        return f"/api/projects/{self.settings.project_id}"

    async def aclose(self) -> None:
        """Close the pool. Idempotent."""
        await self._client.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        kind: RequestKind | None = None,
        idempotent: bool | None = None,
        accept_error_body: frozenset[int] = frozenset(),
    ) -> ApiResponse:
        """Send one logical request, retrying as the module docstring says.

        ``kind`` selects the rate buckets to count (None: not a query endpoint). Statuses in
        ``accept_error_body`` are returned decoded instead of raised, when their body is a JSON
        object. Raises a ``PostHogError`` subclass for everything else.
        """
        safe = method == "GET" if idempotent is None else idempotent
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._send_once(
                    method, path, json=json, params=params, kind=kind, accept=accept_error_body
                )
            except PostHogError as exc:
                delay = self._retry_delay(exc, attempt=attempt, method=method, safe=safe)
                if delay is None:
                    raise
            await self._sleep(delay)

    def _retry_delay(
        self, exc: PostHogError, *, attempt: int, method: str, safe: bool
    ) -> float | None:
        """Seconds to wait before trying again, or ``None`` to give up and raise ``exc``."""
        if attempt >= MAX_ATTEMPTS:
            return None
        if isinstance(exc, RateLimited):
            if exc.retry_after is None or exc.retry_after > MAX_AUTO_RETRY_AFTER or not safe:
                return None
            return exc.retry_after + self._rng.uniform(0.0, 0.1)
        jitter = self._rng.uniform(0.0, RETRY_BASE_DELAY * 2 ** (attempt - 1))
        if isinstance(exc, NetworkError):
            if method == "GET" or exc.sent is False:
                return jitter
            return None
        if method == "GET" and isinstance(exc, ProtocolError) and exc.status is None:
            return jitter  # a body cut short in transit: asking again is harmless
        if method == "GET" and exc.status in RETRYABLE_GET_STATUSES:
            return jitter
        return None

    async def _send_once(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        params: Mapping[str, str] | None,
        kind: RequestKind | None,
        accept: frozenset[int],
    ) -> ApiResponse:
        secret = self.settings.api_key
        content = None if json is None else orjson.dumps(json)
        headers = {"Content-Type": "application/json"} if content is not None else None
        started = time.perf_counter()
        status: int | None = None
        # PostHog told us to wait (Retry-After): asking again now would only earn a 429. A
        # DELETE is still tried: leaving a query running costs more than one refused request.
        if kind is not None and method != "DELETE" and (wait := self.budget.blocked_for(kind)) > 0:
            raise RateLimited(
                f"Rate limited by PostHog: retry in {wait:.0f} s (from its last Retry-After).",
                retry_after=wait,
            )
        try:
            if kind is not None:
                self.budget.record(kind)
            try:
                response = await self._client.request(
                    method, path, content=content, params=params, headers=headers
                )
            except httpx.RequestError as exc:
                raise network_error(exc, host=self.host, secret=secret) from None
            status, reply_headers, body = response.status_code, response.headers, response.content
            # Freed by reference counting from here on, even when a raised error's traceback
            # keeps this frame alive.
            response.stream = _CONSUMED
            del response
        finally:
            if self._on_request is not None:
                self._on_request(method, path, status, time.perf_counter() - started)
        content_type = reply_headers.get("content-type", "")
        if 200 <= status < 300 or (status in accept and body.lstrip().startswith(b"{")):
            try:
                data = decode_json(body, status=status, content_type=content_type, secret=secret)
            except ProtocolError:
                if status in accept:  # a broken error body: report the status instead
                    raise error_from_response(
                        status, reply_headers, body, secret=secret, host=self.host
                    ) from None
                raise
            if 200 <= status < 300 or isinstance(data, dict):
                return ApiResponse(status, reply_headers, data, len(body))
        error = error_from_response(status, reply_headers, body, secret=secret, host=self.host)
        if isinstance(error, RateLimited) and kind is not None:
            self.budget.throttled(kind, error.retry_after)
        raise error
