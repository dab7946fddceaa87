"""The one exception the translator raises, shaped like PostHog's HogQL errors."""

from __future__ import annotations

from typing import Any, Literal

HogQLErrorCode = Literal["hogql_syntax_error", "hogql_query_error", "hogql_error"]


class HogQLError(Exception):
    """A HogQL syntax, resolution or policy error with character offsets into the query.

    ``code`` is PostHog's ``code_name``: ``hogql_syntax_error`` for the parser,
    ``hogql_query_error`` for resolution and policy (unknown field, function, table, OFFSET),
    ``hogql_error`` for anything else. ``start``/``end`` are offsets or None when unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        code: HogQLErrorCode = "hogql_query_error",
        start: int | None = None,
        end: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: HogQLErrorCode = code
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return (
            f"HogQLError({self.message!r}, code={self.code!r}, start={self.start}, end={self.end})"
        )


def query_error(message: str, node: dict[str, Any] | None = None) -> HogQLError:
    """A ``hogql_query_error`` positioned on an AST node (when it carries positions)."""
    start, end = node_span(node)
    return HogQLError(message, code="hogql_query_error", start=start, end=end)


def node_span(node: dict[str, Any] | None) -> tuple[int | None, int | None]:
    """Character offsets ``(start, end)`` of a JSON AST node, or ``(None, None)``."""
    if not node:
        return None, None
    start, end = node.get("start"), node.get("end")
    return (
        start.get("offset") if isinstance(start, dict) else None,
        end.get("offset") if isinstance(end, dict) else None,
    )
