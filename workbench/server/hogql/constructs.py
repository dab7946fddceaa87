"""Less common HogQL constructs: array slices, ``COLUMNS('regex')``, ``IN COHORT``.

Each follows PostHog's ClickHouse printer and resolver:
- ``arr[a:b]`` → ``arraySlice(arr, a, plus(minus(b, a), 1))`` (both ends inclusive),
  ``arr[a:]`` → ``arraySlice(arr, a)``, a missing start is 1 (``printer/clickhouse.py``).
- ``COLUMNS('re')`` in a SELECT list expands to every ``SELECT *`` field of the tables in
  scope whose name the regex finds (``resolver.py``, ``_columns_expr_exprs``; PostHog uses
  re2, this Python ``re``); no match is "No columns matched the COLUMNS('re') expression".
- ``x IN COHORT 3`` / ``IN COHORT 'name'`` looks the cohort up (``functions/cohort.py``). The
  demo project has no cohorts, so the answer is always PostHog's not-found error on the
  cohort argument.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.server.hogql.calls import CallPrinter
from workbench.server.hogql.errors import query_error
from workbench.server.hogql.literals import Printed
from workbench.server.hogql.scope import Scope


class ConstructPrinter(CallPrinter):
    """Array slices, COLUMNS() outside a SELECT list, cohort lookups."""

    scope: Scope

    def _print_ArraySlice(self, node: dict[str, Any]) -> Printed:
        array = self.expr(node["array"])
        start_node, end_node = node.get("start_expr"), node.get("end_expr")
        start = self.sql(start_node) if start_node is not None else "1"
        if end_node is None:
            return Printed(f"arraySlice({array.sql}, {start})", array.nullable)
        end = self.sql(end_node)
        return Printed(
            f"arraySlice({array.sql}, {start}, plus(minus({end}, {start}), 1))", array.nullable
        )

    def _print_ColumnsExpr(self, node: dict[str, Any]) -> Printed:
        raise query_error("COLUMNS() can only be used as a column of a SELECT", node)

    def columns_matching(self, node: dict[str, Any]) -> list[list[str | int]]:
        """Chains of the fields ``COLUMNS('re')`` selects, in table then field order."""
        regex = str(node.get("regex") or "")
        try:
            pattern = re.compile(regex)
        except re.error as error:
            raise query_error(f"COLUMNS() has an invalid regex pattern: {error}", node) from None
        chains: list[list[str | int]] = []
        for source in self.scope.sources.values():
            for name in source.field_names():
                if pattern.search(name):
                    chains.append([source.alias, name] if source.alias else [name])
        if not chains:
            raise query_error(f"No columns matched the COLUMNS('{regex}') expression", node)
        return chains


def cohort_error(node: dict[str, Any]) -> Exception:
    """PostHog's error for ``IN COHORT x`` when no cohort matches (the demo has none)."""
    arg = node.get("right") or {}
    value = arg.get("value") if arg.get("node") == "Constant" else None
    if arg.get("node") != "Constant":
        return query_error("cohort() takes only constant arguments", arg)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return query_error(f"Could not find cohort with ID {value}", arg)
    if isinstance(value, str):
        return query_error(f"Could not find a cohort with the name '{value}'", arg)
    return query_error("cohort() takes exactly one string or integer argument", arg)
