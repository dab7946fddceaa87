"""HogQL text → executable ClickHouse SQL, the ``hogql`` echo and result column names."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.server.hogql.ast_check import reject_unsupported_nodes
from workbench.server.hogql.database import DEFAULT_POE_MODE, POE_MODES, tables_for_mode
from workbench.server.hogql.dropped_clauses import reject_dropped_clauses
from workbench.server.hogql.errors import HogQLError
from workbench.server.hogql.guards import check_query_shape
from workbench.server.hogql.hogql_printer import print_hogql_query
from workbench.server.hogql.limits import apply_limits, reject_offset
from workbench.server.hogql.parser import parse_select
from workbench.server.hogql.placeholders import fill_placeholders
from workbench.server.hogql.printer import ClickHousePrinter


@dataclass(frozen=True)
class TranslatedQuery:
    """A query ready to run, plus what PostHog's response reports about it."""

    hogql: str
    """Pretty HogQL actually run, with injected LIMIT (PostHog's ``hogql`` response field)."""
    clickhouse: str
    """Executable ClickHouse SQL, constants inlined and escaped; no SETTINGS, no semicolon."""
    clickhouse_display: str
    """The same SQL as PostHog exposes it, string constants as ``%(hogql_val_N)s``."""
    columns: list[str]
    """HogQL column names in result order: alias, last chain element, else printed HogQL."""
    paginate: bool
    """Top-level SELECT had no LIMIT: LIMIT 101 was applied; return 100 with ``hasMore``."""
    table_names: list[str]
    """HogQL tables the query reads, in order of first appearance."""
    timings: list[tuple[str, float]] = field(default_factory=list)
    """Seconds per translation step, keyed like PostHog's ``timings`` (``./parse_select``…)."""
    notices: list[dict[str, Any]] = field(default_factory=list)
    """HogQLMetadata notices ``{message, start, end, fix}`` (character offsets into the query)."""


def translate_hogql(
    query: str,
    *,
    team_id: int,
    values: Mapping[str, object] | None = None,
    personal_api_key: bool = True,
    modifiers: Mapping[str, object] | None = None,
) -> TranslatedQuery:
    """Parse, check and print ``query``; raises HogQLError (never anything else) on failure.

    ``modifiers.personsOnEventsMode`` (one of ``POE_MODES``, default PostHog's) picks how
    ``person_id``/``person.*`` on events resolve; other modifiers do not change the SQL.
    """
    mode = (modifiers or {}).get("personsOnEventsMode") or DEFAULT_POE_MODE
    if mode not in POE_MODES:
        raise HogQLError(f"Unknown personsOnEventsMode: {mode}", code="hogql_error")
    try:
        return _translate(query, team_id, values or {}, personal_api_key, str(mode))
    except HogQLError:
        raise
    except RecursionError:
        raise HogQLError("Query is too deeply nested", code="hogql_error") from None
    except Exception as error:  # a translator bug must still surface as a HogQL error
        raise HogQLError(
            f"Unsupported query: {type(error).__name__}: {error}", code="hogql_error"
        ) from error


def _translate(
    query: str, team_id: int, values: Mapping[str, object], personal_api_key: bool, mode: str
) -> TranslatedQuery:
    if not isinstance(query, str) or not query.strip():
        raise HogQLError("Empty query", code="hogql_syntax_error", start=0, end=0)
    started = time.perf_counter()
    check_query_shape(query)
    tree: dict[str, Any] = parse_select(query)
    parsed = time.perf_counter()
    reject_dropped_clauses(query)
    reject_unsupported_nodes(tree)
    tree = fill_placeholders(tree, values)
    if personal_api_key:
        reject_offset(tree)
    paginate = apply_limits(tree)
    printer = ClickHousePrinter(team_id, tables_for_mode(mode))
    sql, columns = printer.print_query(tree)
    hogql = print_hogql_query(tree, pretty=True)
    printed = time.perf_counter()
    return TranslatedQuery(
        hogql=hogql,
        clickhouse=printer.render(sql, display=False),
        clickhouse_display=printer.render(sql, display=True),
        columns=[name for name, _ in columns],
        paginate=paginate,
        table_names=list(printer.table_names),
        notices=list(printer.notices),
        timings=[
            ("./parse_select", parsed - started),
            ("./print_ast", printed - parsed),
            ("./translate", printed - started),
        ],
    )
