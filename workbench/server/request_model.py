"""Validate a ``QueryRequest`` body the way PostHog's pydantic models do (strictly)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from workbench.server.errors import parse_error, validation_error

RefreshMode = Literal[
    "blocking",
    "async",
    "lazy_async",
    "async_except_on_cache_miss",
    "force_blocking",
    "force_async",
]
"""Refresh modes after normalisation (``force_cache`` and ``true`` are mapped away)."""

_REFRESH_VALUES = frozenset(
    {
        "blocking",
        "async",
        "lazy_async",
        "async_except_on_cache_miss",
        "force_blocking",
        "force_async",
        "force_cache",
    }
)
"""Every ``refresh`` string PostHog's schema accepts."""
_REQUEST_KEYS = frozenset(
    {
        "query",
        "refresh",
        "async",
        "client_query_id",
        "filters_override",
        "variables_override",
        "name",
        "limit_context",
        "personal_api_key",
    }
)
"""Top-level keys of ``QueryRequest``; others are rejected (``extra=forbid``)."""
_HOGQL_QUERY_KEYS = frozenset(
    {
        "kind",
        "query",
        "values",
        "filters",
        "variables",
        "modifiers",
        "name",
        "tags",
        "connectionId",
        "sendRawQuery",
        "explain",
        "version",
        "response",
    }
)
"""Keys of a ``HogQLQuery`` node; others are rejected."""
MAX_NAME_LENGTH = 128
"""PostHog caps ``name`` (the query-log tag) at 128 characters."""

KNOWN_KINDS = frozenset(
    {
        "HogQLQuery",
        "HogQLMetadata",
        "HogQLAutocomplete",
        "DatabaseSchemaQuery",
        "EventsQuery",
        "ActorsQuery",
        "PersonsNode",
        "TrendsQuery",
        "FunnelsQuery",
        "RetentionQuery",
        "PathsQuery",
        "StickinessQuery",
        "LifecycleQuery",
        "SessionsTimelineQuery",
        "WebOverviewQuery",
        "WebStatsTableQuery",
        "ErrorTrackingQuery",
        "ExperimentQuery",
        "RecordingsQuery",
        "SessionAttributionExplorerQuery",
        "InsightActorsQuery",
    }
)
"""Kinds PostHog's schema knows; others fail validation like an unknown discriminator."""


@dataclass(frozen=True)
class QueryRequest:
    """A validated request: ``refresh`` already normalised (``force_cache`` → ``blocking``)."""

    query: dict[str, Any]
    kind: str
    refresh: RefreshMode
    client_query_id: str | None
    name: str | None


def _refresh_mode(body: Mapping[str, Any]) -> RefreshMode:
    raw = body.get("refresh")
    if raw is True:
        mode: str = "force_blocking"
    elif raw is None or raw is False:
        mode = "blocking"
    elif isinstance(raw, str) and raw in _REFRESH_VALUES:
        mode = "blocking" if raw == "force_cache" else raw
    else:
        raise parse_error(f"Input should be one of {sorted(_REFRESH_VALUES)} [loc=('refresh',)]")
    legacy_async = body.get("async")
    if legacy_async is not None and not isinstance(legacy_async, bool):
        raise parse_error("Input should be a valid boolean [loc=('async',)]")
    if legacy_async:
        mode = "async"
    return mode  # type: ignore[return-value]


def parse_query_request(body: object, *, path_kind: str | None = None) -> QueryRequest:
    """Validate a decoded JSON body; 400 ``parse_error`` / ``validation_error`` on problems."""
    if not isinstance(body, dict):
        raise parse_error("Input should be a valid dictionary [type=dict_type]")
    unknown = sorted(set(body) - _REQUEST_KEYS)
    if unknown:
        raise parse_error(f"Extra inputs are not permitted [loc=({unknown[0]!r},)]")
    if "query" not in body:
        raise parse_error("Field required [type=missing, loc=('query',)]")
    query = body["query"]
    if not isinstance(query, dict):
        raise validation_error("Query must be a JSON object.", attr="query")
    kind = query.get("kind")
    if not isinstance(kind, str) or kind not in KNOWN_KINDS:
        raise parse_error(f"Input tag {kind!r} found using 'kind' does not match any of the kinds")
    if path_kind is not None and path_kind != kind:
        raise validation_error(
            f'Query kind mismatch: path kind "{path_kind}" does not match body kind "{kind}".'
        )
    if kind == "HogQLQuery":
        _check_hogql_query(query)
    client_query_id = body.get("client_query_id")
    if client_query_id is not None and (
        not isinstance(client_query_id, str) or not client_query_id
    ):
        raise parse_error("Input should be a valid string [loc=('client_query_id',)]")
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME_LENGTH):
        raise parse_error(
            f"String should have at most {MAX_NAME_LENGTH} characters [loc=('name',)]"
        )
    return QueryRequest(query, kind, _refresh_mode(body), client_query_id, name)


def _check_hogql_query(query: Mapping[str, Any]) -> None:
    unknown = sorted(set(query) - _HOGQL_QUERY_KEYS)
    if unknown:
        raise parse_error(f"Extra inputs are not permitted [loc=('query', {unknown[0]!r})]")
    if not isinstance(query.get("query"), str):
        raise parse_error("Input should be a valid string [loc=('query', 'query')]")
    for key in ("values", "modifiers", "filters", "variables"):
        if query.get(key) is not None and not isinstance(query[key], dict):
            raise parse_error(f"Input should be a valid dictionary [loc=('query', {key!r})]")
