"""PostHog's row-limit and OFFSET rules, applied to the AST before printing.

- Each top-level SELECT arm without LIMIT gets ``LIMIT 100`` (DEFAULT_RETURNED_ROWS).
- A single top-level SELECT without LIMIT is paginated instead: ``LIMIT 101`` is read and
  the server returns 100 rows with ``hasMore`` (HogQLHasMorePaginator).
- A top-level LIMIT above 50,000 is clamped; a non-constant one becomes ``min2(50000, x)``.
- With a personal API key, any OFFSET (also ``LIMIT n BY … OFFSET m``) is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workbench.server.hogql.errors import query_error

DEFAULT_RETURNED_ROWS = 100
"""LIMIT added to each top-level SELECT arm that has none (PostHog's constant)."""
MAX_SELECT_RETURNED_ROWS = 50_000
"""Largest top-level LIMIT PostHog lets through."""
PAGINATOR_LIMIT = DEFAULT_RETURNED_ROWS + 1
"""Rows read for a LIMIT-less query: one more than returned tells whether there are more."""

OFFSET_NOT_ALLOWED_MESSAGE = (
    "OFFSET is not supported on queries made with a personal API key. "
    "For pagination, use keyset pagination on the `timestamp` column, e.g. "
    "`WHERE timestamp > :last_seen_timestamp ORDER BY timestamp LIMIT N`. "
    "For bulk data extraction, use batch exports: https://posthog.com/docs/cdp/batch-exports"
)
"""PostHog's exact refusal (posthog/hogql/user_query_validator.py)."""


def reject_offset(tree: dict[str, Any]) -> None:
    """Raise the personal-API-key OFFSET error at the first OFFSET anywhere in the query."""
    for node in _walk(tree):
        kind = node.get("node")
        if kind in ("SelectQuery", "SelectSetQuery") and node.get("offset") is not None:
            raise query_error(OFFSET_NOT_ALLOWED_MESSAGE, node["offset"])
        if kind == "SelectQuery":
            limit_by = node.get("limit_by") or {}
            if limit_by.get("offset_value") is not None:
                raise query_error(OFFSET_NOT_ALLOWED_MESSAGE, limit_by["offset_value"])


def apply_limits(tree: dict[str, Any]) -> bool:
    """Add/clamp LIMITs on the top-level arms in place; True when the paginator applies."""
    if tree.get("node") == "SelectQuery":
        if tree.get("limit") is None:
            tree["limit"] = _constant(PAGINATOR_LIMIT)
            return True
        _clamp(tree)
        return False
    if tree.get("limit") is not None:
        _clamp(tree)
    for arm in _arms(tree):
        if arm.get("limit") is None:
            arm["limit"] = _constant(DEFAULT_RETURNED_ROWS)
        else:
            _clamp(arm)
    return False


def _clamp(select: dict[str, Any]) -> None:
    limit = select["limit"]
    value = limit.get("value") if limit.get("node") == "Constant" else None
    if isinstance(value, int) and not isinstance(value, bool):
        if value > MAX_SELECT_RETURNED_ROWS:
            select["limit"] = _constant(MAX_SELECT_RETURNED_ROWS)
        return
    select["limit"] = {
        "node": "Call",
        "name": "min2",
        "args": [_constant(MAX_SELECT_RETURNED_ROWS), limit],
    }


def _arms(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if tree.get("node") == "SelectQuery":
        yield tree
        return
    if tree.get("node") == "SelectSetQuery":
        yield from _arms(tree["initial_select_query"])
        for item in tree.get("subsequent_select_queries") or []:
            yield from _arms(item["select_query"])


def _constant(value: int) -> dict[str, Any]:
    return {"node": "Constant", "value": value}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
