"""Parse PostHog's HogQLQueryResponse and query progress into typed values.

Shapes are checked, not trusted: anything unexpected is a ``ProtocolError`` saying which
key was wrong, never a ``KeyError`` or ``TypeError`` escaping to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from workbench.client.errors import ProtocolError
from workbench.client.limits import RowLimitPlan
from workbench.client.models import QueryProgress, QueryResult

MICROSECONDS = 1_000_000
"""PostHog reports ``active_cpu_time`` in microseconds (ClickHouse's OSCPUVirtualTimeMicroseconds)
and ``time_elapsed`` in whole seconds (``system.processes.elapsed``); we expose seconds."""


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ProtocolError(f"Unexpected response from PostHog: {key!r} is not text.")


def _parse_time(value: object) -> datetime | None:
    """An ISO 8601 time (``Z`` or offset) or ``None``; unparsable values count as absent."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _type_names(types: object, width: int) -> tuple[str, ...]:
    """ClickHouse type names from ``[[name, type], …]`` (or bare type strings)."""
    if types is None:
        return ("",) * width
    if not isinstance(types, list):
        raise ProtocolError("Unexpected response from PostHog: 'types' is not a list.")
    names: list[str] = []
    for item in types:
        if isinstance(item, list | tuple) and len(item) >= 2 and isinstance(item[1], str):
            names.append(item[1])
        elif isinstance(item, str):
            names.append(item)
        else:
            raise ProtocolError("Unexpected response from PostHog: a 'types' entry is malformed.")
    return tuple(names)


def _timings(value: object) -> list[tuple[str, float]] | None:
    if not isinstance(value, list):
        return None
    timings = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("k"), str):
            seconds = item.get("t")
            if isinstance(seconds, int | float) and not isinstance(seconds, bool):
                timings.append((item["k"], float(seconds)))
    return timings


def parse_query_response(
    data: object,
    *,
    client_query_id: str,
    plan: RowLimitPlan,
    elapsed: float,
) -> QueryResult:
    """The ``QueryResult`` of a finished HogQLQuery response, trimmed to the row limit."""
    if not isinstance(data, dict):
        raise ProtocolError("Unexpected response from PostHog: the result is not a JSON object.")
    rows = data.get("results")
    if not isinstance(rows, list):
        raise ProtocolError("Unexpected response from PostHog: 'results' is not a list of rows.")
    columns_value = data.get("columns")
    if columns_value is None:
        columns_value = []
    if not isinstance(columns_value, list) or not all(isinstance(c, str) for c in columns_value):
        raise ProtocolError("Unexpected response from PostHog: 'columns' is not a list of names.")
    columns = tuple(columns_value)
    width = len(columns)
    # C-level passes (map/set), not a Python loop per row: this runs on 50,000-row answers.
    if rows and (set(map(type, rows)) != {list} or set(map(len, rows)) != {width}):
        raise ProtocolError(
            f"Unexpected response from PostHog: a row does not have {width} values."
        )
    types = _type_names(data.get("types"), width)
    if len(types) != width:
        types = (types + ("",) * width)[:width]
    has_more = data.get("hasMore") is True
    kept, truncated = plan.trim(rows, has_more=has_more)
    is_cached = data.get("is_cached") is True
    return QueryResult(
        client_query_id=client_query_id,
        columns=columns,
        types=types,
        rows=kept,
        truncated=truncated,
        limit_added=plan.limit_added,
        row_limit=plan.row_limit,
        is_cached=is_cached,
        last_refresh=_parse_time(data.get("last_refresh")),
        hogql=_optional_text(data, "hogql"),
        clickhouse=_optional_text(data, "clickhouse"),
        timings=_timings(data.get("timings")),
        elapsed=elapsed,
    )


def _number(progress: Mapping[str, Any], key: str) -> float:
    value = progress.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return 0.0


def parse_progress(query_status: Mapping[str, Any]) -> QueryProgress | None:
    """``query_status.query_progress`` as a ``QueryProgress``, or ``None`` when absent."""
    progress = query_status.get("query_progress")
    if not isinstance(progress, dict):
        return None
    return QueryProgress(
        rows_read=int(_number(progress, "rows_read")),
        bytes_read=int(_number(progress, "bytes_read")),
        estimated_rows_total=int(_number(progress, "estimated_rows_total")),
        time_elapsed=_number(progress, "time_elapsed"),
        active_cpu_time=_number(progress, "active_cpu_time") / MICROSECONDS,
    )
