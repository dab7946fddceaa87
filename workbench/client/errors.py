"""Typed errors of the PostHog client.

Every failure the client reports is a ``PostHogError`` whose ``str()`` is one or two short
sentences a person can act on. No error ever carries the API key: messages built from
server text pass through ``scrub`` first (see ``workbench.client.envelope``).
"""

from __future__ import annotations


class PostHogError(Exception):
    """Base class: something went wrong talking to PostHog. ``str()`` is the human message."""

    status: int | None
    """HTTP status that produced the error, or ``None`` when there was no response."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class NotAuthenticated(PostHogError):
    """401: the key is missing, invalid or revoked."""


class PermissionDenied(PostHogError):
    """403: the key lacks the ``query:read`` scope or has no access to the project."""


class NotFound(PostHogError):
    """404: no such project (or endpoint); check the host and project id."""


class QuotaExceeded(PostHogError):
    """402: the organisation's API query quota is used up."""


class QueryError(PostHogError):
    """The query itself failed: fix the SQL or narrow it. Parent of the query-caused errors."""


class HogQLError(QueryError):
    """400 from HogQL: syntax or resolution error, with character offsets when PostHog sent them.

    ``start`` and ``end`` are offsets into the SQL that was sent (the client only ever appends
    to the caller's text, so they are valid offsets into the caller's SQL too).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        start: int | None = None,
        end: int | None = None,
        status: int | None = 400,
    ) -> None:
        super().__init__(message, status=status)
        self.code = code
        self.start = start
        self.end = end


class ClickHouseError(QueryError):
    """400 from ClickHouse with a user-safe code such as ``unknown_function``."""

    def __init__(self, message: str, *, code: str | None = None, status: int | None = 400) -> None:
        super().__init__(message, status=status)
        self.code = code


class QueryTimeout(QueryError):
    """504: the query hit ClickHouse's maximum execution time (or we stopped waiting)."""


class QueryTooSlow(QueryError):
    """512: PostHog estimated the query would take too long and did not run it."""


class OutOfMemory(QueryError):
    """513: the query (or the cluster) ran out of memory."""


class QueryCancelled(PostHogError):
    """The query was cancelled, by us or elsewhere, or its status vanished from the server."""


class RateLimited(PostHogError):
    """429 with ``Retry-After``: a rate bucket is empty; ``retry_after`` is in seconds."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = 429
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ConcurrencyLimited(RateLimited):
    """429 without ``Retry-After``: too many queries are running for this team right now."""


class ServerError(PostHogError):
    """A 5xx that is not a query timeout, too-slow or out-of-memory answer."""


class NetworkError(PostHogError):
    """No usable HTTP response. ``kind``: refused, reset, timeout, dns, tls or other."""

    def __init__(self, message: str, *, kind: str, sent: bool | None = None) -> None:
        super().__init__(message, status=None)
        self.kind = kind
        self.sent = sent
        """False when the request certainly never reached the server (safe to repeat)."""


class ProtocolError(PostHogError):
    """A response we cannot use: malformed or truncated JSON, HTML, or an unexpected shape."""


__all__ = [
    "ClickHouseError",
    "ConcurrencyLimited",
    "HogQLError",
    "NetworkError",
    "NotAuthenticated",
    "NotFound",
    "OutOfMemory",
    "PermissionDenied",
    "PostHogError",
    "ProtocolError",
    "QueryCancelled",
    "QueryError",
    "QueryTimeout",
    "QueryTooSlow",
    "QuotaExceeded",
    "RateLimited",
    "ServerError",
]
