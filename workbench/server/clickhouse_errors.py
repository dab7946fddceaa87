"""Map ClickHouse failures onto PostHog's HTTP errors (``wrap_clickhouse_query_error``)."""

from __future__ import annotations

import re

from workbench.server.engine import ClickHouseError
from workbench.server.errors import ApiError, server_error, validation_error

GENERIC_CLICKHOUSE_ERROR = "ClickHouse error while executing query."
"""PostHog's detail for internal ClickHouse errors (the raw message stays hidden)."""

TIMEOUT_DETAIL = (
    "Query has hit the max execution time before completing. See our docs for how to improve "
    "your query performance. You may need to materialize."
)
"""PostHog's 504 detail for TIMEOUT_EXCEEDED."""

MEMORY_DETAIL = (
    "This query ran out of memory before it could finish, usually because it's scanning too "
    "much data. Try a shorter date range or narrower filters, or see our docs for more ways to "
    "speed it up: https://posthog.com/docs/product-analytics/troubleshooting"
    "#how-do-i-speed-up-my-insights-and-queries"
)
"""PostHog's 513 detail for a per-query MEMORY_LIMIT_EXCEEDED."""

USER_SAFE_ERRORS = frozenset(
    {
        "ILLEGAL_TYPE_OF_ARGUMENT",
        "NO_COMMON_TYPE",
        "NOT_AN_AGGREGATE",
        "UNKNOWN_FUNCTION",
        "TYPE_MISMATCH",
        "ILLEGAL_AGGREGATION",
        "NUMBER_OF_ARGUMENTS_DOESNT_MATCH",
        "TOO_MANY_BYTES",
        "CANNOT_PARSE_UUID",
        "CANNOT_PARSE_BOOL",
        "INVALID_JOIN_ON_EXPRESSION",
        "UNKNOWN_TABLE",
        "CANNOT_PARSE_TEXT",
        "CANNOT_PARSE_NUMBER",
        "CANNOT_PARSE_DATE",
        "CANNOT_PARSE_DATETIME",
        "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
        "CANNOT_CONVERT_TYPE",
        "ILLEGAL_DIVISION",
        "BAD_ARGUMENTS",
        "ARGUMENT_OUT_OF_BOUND",
        "ILLEGAL_COLUMN",
        "SIZES_OF_ARRAYS_DONT_MATCH",
        "TOO_LARGE_ARRAY_SIZE",
        "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
        "INCORRECT_DATA",
        "DECIMAL_OVERFLOW",
        "CANNOT_COMPILE_REGEXP",
        "TOO_LARGE_STRING_SIZE",
        "ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER",
        "AMBIGUOUS_COLUMN_NAME",
        "UNKNOWN_AGGREGATE_FUNCTION",
    }
)
"""ClickHouse errors PostHog exposes as 400 ``validation_error`` with their own message."""

_STACK_TRACE = re.compile(r"\s*Stack trace:.*", re.S)
"""ClickHouse's stack trace suffix, never shown to users."""
_OUR_SETTINGS = re.compile(r"\s*SETTINGS readonly = 2(?:, \w+ = (?:\d+|'[^']*'))*")
"""The SETTINGS clause the server appends, as ClickHouse echoes it in messages: not the user's."""


def api_error_for(error: ClickHouseError) -> ApiError:
    """The HTTP error PostHog answers for this ClickHouse failure."""
    if error.name == "TIMEOUT_EXCEEDED":
        return ApiError(504, "server_error", "error", TIMEOUT_DETAIL)
    if error.name == "MEMORY_LIMIT_EXCEEDED":
        return ApiError(513, "server_error", "clickhouse_memory_limit_exceeded", MEMORY_DETAIL)
    if error.name == "TOO_SLOW":
        match = re.search(
            r"Estimated query execution time \(.* seconds\) is too long\.", error.message
        )
        estimate = match.group(0) if match else "Estimated query execution time is too long."
        return ApiError(
            512,
            "server_error",
            "error",
            f"{estimate} Try reducing its scope by changing the time range.",
        )
    if error.name in ("TOO_MANY_SIMULTANEOUS_QUERIES", "CANNOT_SCHEDULE_TASK"):
        return ApiError(
            503,
            "server_error",
            "error",
            "Queries are a little too busy right now. We're working to free up resources. "
            "Please try again later.",
        )
    if error.name in USER_SAFE_ERRORS:
        message = _OUR_SETTINGS.sub("", _STACK_TRACE.sub("", error.message)).strip()
        return validation_error(message, code=error.name.lower())
    return server_error(GENERIC_CLICKHOUSE_ERROR)


def is_exposed(error: ApiError) -> bool:
    """Whether an async status may carry this error's message (400) or must hide it (500)."""
    return error.status < 500 or error.status in (504, 512, 513)
