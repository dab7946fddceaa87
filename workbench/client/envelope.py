"""Turn HTTP answers and transport failures into typed ``PostHogError``s.

PostHog wraps every error in ``{type, code, detail, attr, extra?}`` (drf-exceptions-hog);
the status code and ``code`` pick the class. Anything else (HTML pages, junk, cut-off
bodies) becomes a ``ProtocolError``. Server text is scrubbed of the key and shortened.
"""

from __future__ import annotations

import email.utils
import ssl
import time
from collections.abc import Mapping
from typing import Any

import orjson

from workbench.client._httpx import httpx
from workbench.client.errors import (
    ClickHouseError,
    ConcurrencyLimited,
    HogQLError,
    NetworkError,
    NotAuthenticated,
    NotFound,
    OutOfMemory,
    PermissionDenied,
    PostHogError,
    ProtocolError,
    QueryError,
    QueryTimeout,
    QueryTooSlow,
    QuotaExceeded,
    RateLimited,
    ServerError,
)
from workbench.client.gc_pause import BIG_BODY_BYTES, paused_gc

MAX_DETAIL_CHARS = 600
"""Server text longer than this is cut: messages are for people, not for dumping bodies."""

HOGQL_CODES = frozenset(
    {
        "hogql_syntax_error",
        "hogql_query_error",
        "hogql_error",
        "table_access_denied",
        "invalid_property_filter",
        "invalid_input",  # older PostHog: HogQL errors without positions
    }
)
"""400 ``code`` values that mean HogQL rejected the query (rather than ClickHouse)."""

GENERIC_400_CODES = frozenset({"parse_error", "invalid", "validation_error", "required"})
"""400 codes about the request itself, not the query's SQL."""


def scrub(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` removed, cut to ``MAX_DETAIL_CHARS``."""
    if secret:
        text = text.replace(secret, "[key]")
    text = text.strip()
    if len(text) > MAX_DETAIL_CHARS:
        text = text[: MAX_DETAIL_CHARS - 1].rstrip() + "…"
    return text


def looks_like_html(body: bytes, content_type: str) -> bool:
    """True when the body is a web page (proxies, login pages, gateway errors)."""
    if "html" in content_type.lower():
        return True
    head = body[:256].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml"))


def decode_json(body: bytes, *, status: int, content_type: str, secret: str) -> Any:
    """Decode a JSON body with orjson, or raise ``ProtocolError`` saying what came instead."""
    if looks_like_html(body, content_type):
        raise ProtocolError(
            f"Expected JSON from PostHog but got a web page (HTTP {status}). Check that the "
            "host is the PostHog app URL, e.g. https://us.posthog.com.",
            status=status,
        )
    if not body.strip():
        raise ProtocolError(f"PostHog sent an empty response (HTTP {status}).", status=status)
    try:
        with paused_gc(len(body) >= BIG_BODY_BYTES):
            return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ProtocolError(
            f"PostHog sent malformed or truncated JSON (HTTP {status}, {len(body)} bytes): "
            f"{scrub(str(exc), secret)}",
            status=status,
        ) from None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); ``None`` if absent/bad."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN or infinite
        return None
    return max(0.0, seconds)


def _text(value: object) -> str:
    """An envelope field as text: strings as they are, anything else JSON-ish."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return str(value)


def _offset(value: object) -> int | None:
    """A character offset if it is a non-negative int, else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def hogql_error(code: str | None, detail: str, extra: object, *, status: int) -> HogQLError:
    """A ``HogQLError`` with the positions of ``extra.hogql_metadata.errors[0]`` when present."""
    start = end = None
    if isinstance(extra, dict):
        metadata = extra.get("hogql_metadata")
        errors = metadata.get("errors") if isinstance(metadata, dict) else None
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            start, end = _offset(first.get("start")), _offset(first.get("end"))
            if isinstance(first.get("message"), str) and not detail:
                detail = first["message"]
    return HogQLError(detail or "HogQL error.", code=code, start=start, end=end, status=status)


def _redirect_hint(headers: Mapping[str, str], secret: str) -> str:
    """``"; use https://eu.posthog.com as the host."`` from a ``Location`` header, if any."""
    try:
        target = httpx.URL(headers.get("location", ""))
    except (httpx.InvalidURL, TypeError, ValueError):
        return "."
    if not target.scheme or not target.host:
        return "."
    origin = f"{target.scheme}://{target.netloc.decode('ascii', 'replace')}"
    return f"; use {scrub(origin, secret)} as the host."


def error_from_response(
    status: int, headers: Mapping[str, str], body: bytes, *, secret: str, host: str
) -> PostHogError:
    """The typed error for a non-success answer (``status`` outside 200–299)."""
    content_type = headers.get("content-type", "")
    envelope: dict[str, Any] = {}
    if body.strip() and not looks_like_html(body, content_type):
        try:
            decoded = orjson.loads(body)
        except orjson.JSONDecodeError:
            decoded = None
        if isinstance(decoded, dict):
            envelope = decoded
    code_value = envelope.get("code")
    code = code_value if isinstance(code_value, str) else None
    detail = scrub(_text(envelope.get("detail")), secret)
    kind = envelope.get("type")
    reason = httpx.codes.get_reason_phrase(status) or "unknown status"

    if 300 <= status < 400:
        return ProtocolError(
            f"PostHog answered with a redirect (HTTP {status}){_redirect_hint(headers, secret)}",
            status=status,
        )
    if status == 401:
        return NotAuthenticated(
            f"PostHog did not accept the API key: {detail or 'not authenticated'}",
            status=status,
        )
    if status == 402:
        return QuotaExceeded(
            f"The organisation's API query quota is used up: {detail or reason}", status=status
        )
    if status == 403:
        return PermissionDenied(
            f"Permission denied: {detail or 'the key may lack the query:read scope'}",
            status=status,
        )
    if status == 404:
        return NotFound(
            f"Not found on {host}: {(detail or reason).rstrip('.')}. "
            "Check the host and project id.",
            status=status,
        )
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is None:
            return ConcurrencyLimited(
                detail or "Too many queries are running right now; try again in a moment.",
                status=status,
            )
        return RateLimited(
            f"Rate limited by PostHog: {detail or f'retry in {retry_after:.0f} s.'}",
            retry_after=retry_after,
            status=status,
        )
    if status == 504:
        if not envelope:  # a proxy's page: PostHog's gateway gives up on long blocking calls
            return QueryTimeout(
                "The gateway timed out waiting for the query (HTTP 504); run long queries "
                "in async mode (the CLI's --async).",
                status=status,
            )
        return QueryTimeout(detail or "The query hit the maximum execution time.", status=status)
    if status == 512:
        return QueryTooSlow(detail or "The query would take too long to run.", status=status)
    if status == 513:
        return OutOfMemory(detail or "The query ran out of memory.", status=status)
    if status >= 500:
        suffix = f": {detail}" if detail else "."
        return ServerError(f"PostHog server error (HTTP {status} {reason}){suffix}", status=status)
    if status == 400 and envelope:
        extra = envelope.get("extra")
        has_positions = isinstance(extra, dict) and "hogql_metadata" in extra
        about_kind = "query kind" in detail.lower()  # e.g. "Unsupported query kind: X"
        if has_positions or (code is not None and code in HOGQL_CODES and not about_kind):
            return hogql_error(code, detail, extra, status=status)
        if kind == "validation_error" and code and code not in GENERIC_400_CODES | HOGQL_CODES:
            return ClickHouseError(detail or code, code=code, status=status)
        return QueryError(f"PostHog rejected the request: {detail or reason}", status=status)
    if not envelope:
        return ProtocolError(
            f"PostHog answered HTTP {status} {reason} without a JSON error body.", status=status
        )
    return QueryError(f"PostHog rejected the request (HTTP {status}): {detail}", status=status)


def error_from_status(
    http_status: int, query_status: Mapping[str, Any], *, secret: str
) -> PostHogError:
    """The typed error of a failed async query (status GET answered 400 or 500).

    ``error_message`` carries only text, so the class comes from PostHog's wording; a
    HogQL error gets its positions later from a metadata call (see ``lifecycle``).
    """
    message = query_status.get("error_message")
    text = scrub(message, secret) if isinstance(message, str) else ""
    lowered = text.lower()
    if not text:
        return ServerError(
            f"The query failed on the server (HTTP {http_status}) without an error message.",
            status=http_status,
        )
    if "max execution time" in lowered or "timeout exceeded" in lowered:
        return QueryTimeout(text, status=http_status)
    if "estimated query execution time" in lowered:
        return QueryTooSlow(text, status=http_status)
    if "out of memory" in lowered or "memory limit" in lowered:
        return OutOfMemory(text, status=http_status)
    if http_status >= 500:
        return ServerError(f"The query failed on the server: {text}", status=http_status)
    return QueryError(text, status=http_status)


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes/contexts, outermost first (cycle-safe)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def network_error(exc: httpx.RequestError, *, host: str, secret: str) -> PostHogError:
    """The typed error for an httpx transport failure (no usable response)."""
    detail = scrub(str(exc), secret)
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.TimeoutException):
        sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
        what = "waiting for PostHog to answer" if sent else "connecting"
        return NetworkError(f"Timed out {what} ({host}).", kind="timeout", sent=sent)
    if isinstance(exc, httpx.ConnectError):
        if (
            any(isinstance(e, ssl.SSLError) for e in chain)
            or "ssl" in text
            or "certificate" in text
        ):
            return NetworkError(
                f"TLS handshake with {host} failed: {detail}", kind="tls", sent=False
            )
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
            return NetworkError(f"Connection refused by {host}.", kind="refused", sent=False)
        if (
            "name or service not known" in text
            or "nodename nor servname" in text
            or "getaddrinfo" in text
            or "temporary failure in name resolution" in text
            or "no address associated" in text
        ):
            return NetworkError(f"Could not resolve the host name {host}.", kind="dns", sent=False)
        return NetworkError(f"Could not connect to {host}: {detail}", kind="other", sent=False)
    if isinstance(exc, httpx.RemoteProtocolError):
        if "incomplete" in text or "without sending complete message body" in text:
            return ProtocolError(f"The response from {host} was cut short: {detail}")
        if "disconnected" in text or "closed" in text:
            return NetworkError(
                f"{host} closed the connection without answering.", kind="reset", sent=True
            )
        return ProtocolError(f"{host} sent a malformed HTTP response: {detail}")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        was_sent = True if isinstance(exc, httpx.ReadError) else None
        return NetworkError(f"The connection to {host} was reset.", kind="reset", sent=was_sent)
    if isinstance(exc, httpx.DecodingError | httpx.LocalProtocolError):
        return ProtocolError(f"Could not decode the response from {host}: {detail}")
    return NetworkError(f"Network error talking to {host}: {detail}", kind="other")
