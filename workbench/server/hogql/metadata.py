"""``HogQLMetadata``: validity, errors with character offsets, and the tables referenced."""

from __future__ import annotations

from typing import Any

from workbench.server.hogql.errors import HogQLError

_NOT_MATERIALIZED = " This property is not materialized 🐢."
"""PostHog's debug suffix for a property notice; the stand-in materialises no property."""


def hogql_metadata(query: str, *, team_id: int, debug: bool = False) -> dict[str, object]:
    """PostHog's ``HogQLMetadataResponse`` for ``query`` (always a body, never raises).

    ``debug`` (the request's ``debug``) adds PostHog's materialisation remark to property
    notices, as its property-type swapper does in debug mode.
    """
    from workbench.server.hogql.translate import translate_hogql

    if not isinstance(query, str):
        query = ""
    errors: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    table_names: list[str] = []
    try:
        translated = translate_hogql(query, team_id=team_id, personal_api_key=False)
        table_names = translated.table_names
        notices = translated.notices
        if debug:
            notices = [{**n, "message": n["message"] + _NOT_MATERIALIZED} for n in notices]
    except HogQLError as error:
        message = error.message
        at_end = error.start is not None and error.start >= len(query.rstrip())
        if error.code == "hogql_syntax_error" and at_end:
            message = "Unexpected end of query"  # PostHog's wording for an unfinished query
        errors.append({"message": message, "start": error.start, "end": error.end, "fix": None})
        table_names = referenced_tables(query)
    return {
        "query": query,
        "isValid": not errors,
        "errors": errors,
        # PostHog's HogQL (select) path adds no warnings: its metadata warnings come from Hog
        # programs (unknown globals); a near-miss function name is part of the error message.
        "warnings": [],
        "notices": notices,
        "table_names": table_names,
        "ch_table_names": list(table_names) or None,
        "isUsingIndices": None,
    }


def referenced_tables(query: str) -> list[str]:
    """Schema tables named in FROM/JOIN of a query that parses (even if it does not resolve)."""
    from workbench.server.hogql.database import TABLES
    from workbench.server.hogql.guards import check_query_shape
    from workbench.server.hogql.parser import parse_select

    try:
        check_query_shape(query)
        tree = parse_select(query)
    except HogQLError:
        return []
    names: list[str] = []
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            table = node.get("table") if node.get("node") == "JoinExpr" else None
            if isinstance(table, dict) and table.get("node") == "Field":
                name = ".".join(str(part) for part in table.get("chain") or [])
                if name in TABLES and name not in names:
                    names.append(name)
            stack.extend(reversed(list(node.values())))
    return names
