"""Printing a resolved HogQL SELECT (or UNION) as ClickHouse SQL.

Every schema table read gets ``equals(<alias>.team_id, N)``: in WHERE for the FROM table,
and joined tables are read through ``(SELECT * FROM t WHERE team filter)`` so the guard
holds for LEFT/RIGHT/FULL/USING/CROSS joins alike. String constants are collected and
printed as tokens, rendered either escaped inline (executable) or as ``%(hogql_val_N)s``
(PostHog's displayed form).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from workbench.server.hogql.database import Table
from workbench.server.hogql.errors import query_error
from workbench.server.hogql.expressions import ExpressionPrinter
from workbench.server.hogql.hogql_printer import print_hogql_expr
from workbench.server.hogql.joins import Columns, JoinPrinter, subquery_columns
from workbench.server.hogql.literals import Printed, clickhouse_identifier, escape_string
from workbench.server.hogql.scope import Scope, resolve_chain

_TOKEN = re.compile("\x00(\\d+)\x00")
_SET_OPERATORS = {
    "UNION ALL": "UNION ALL",
    "UNION DISTINCT": "UNION DISTINCT",
    "UNION": "UNION DISTINCT",
    "INTERSECT": "INTERSECT",
    "INTERSECT DISTINCT": "INTERSECT DISTINCT",
    "EXCEPT": "EXCEPT",
    "EXCEPT DISTINCT": "EXCEPT DISTINCT",
}
"""Set operators; a bare UNION means UNION DISTINCT (ClickHouse needs it spelled out)."""


class ClickHousePrinter(ExpressionPrinter, JoinPrinter):
    """One translation: prints the AST and records values, tables and result columns."""

    def __init__(self, team_id: int, tables: Mapping[str, Table] | None = None) -> None:
        self.team_id = int(team_id)
        self.values: list[str] = []
        self.scope = Scope() if tables is None else Scope(tables=tables)
        self.table_names: list[str] = []
        self.in_join_constraint = False
        self.notices: list[dict[str, Any]] = []
        self._implicit_aliases: dict[str, str] = {}

    # --- output -------------------------------------------------------------------------
    def quote(self, value: str) -> str:
        self.values.append(value)
        return f"\x00{len(self.values) - 1}\x00"

    def render(self, sql: str, *, display: bool) -> str:
        """Replace value tokens: ``%(hogql_val_N)s`` for display, escaped literals otherwise."""
        if display:  # numbered in order of appearance, as PostHog's printer numbers them
            order: dict[str, int] = {}
            return _TOKEN.sub(
                lambda m: f"%(hogql_val_{order.setdefault(m.group(1), len(order))})s", sql
            )
        return _TOKEN.sub(lambda m: escape_string(self.values[int(m.group(1))]), sql)

    # --- queries ------------------------------------------------------------------------
    def print_query(self, node: dict[str, Any]) -> tuple[str, Columns]:
        kind = node.get("node")
        if kind == "SelectQuery":
            return self._select(node)
        if kind == "SelectSetQuery":
            return self._select_set(node)
        raise query_error(f"Expected a SELECT query, got {kind}", node)

    def print_subquery(self, node: dict[str, Any]) -> str:
        return self._nested(node)[0]

    def _nested(self, node: dict[str, Any]) -> tuple[str, Columns]:
        saved, saved_aliases = self.scope, self._implicit_aliases
        self.scope = Scope(parent=saved, tables=saved.tables)
        try:
            return self.print_query(node)
        finally:
            self.scope, self._implicit_aliases = saved, saved_aliases

    def _select_set(self, node: dict[str, Any]) -> tuple[str, Columns]:
        sql, columns = self._arm(node["initial_select_query"])
        for item in node.get("subsequent_select_queries") or []:
            operator = _SET_OPERATORS.get(str(item.get("set_operator", "")).upper())
            if operator is None:
                raise query_error(f"Unsupported set operator: {item.get('set_operator')}", item)
            arm_sql, _ = self._arm(item["select_query"])
            sql += f" {operator} {arm_sql}"
        if node.get("limit") is not None or node.get("offset") is not None:
            # A LIMIT after the last arm would bind to that arm alone in ClickHouse
            sql = f"SELECT * FROM ({sql})"
            if node.get("limit") is not None:
                sql += f" LIMIT {self.sql(node['limit'])}"
            if node.get("offset") is not None:
                sql += f" OFFSET {self.sql(node['offset'])}"
        return sql, columns

    def _arm(self, node: dict[str, Any]) -> tuple[str, Columns]:
        sql, columns = self._nested(node)
        return (f"({sql})" if node.get("node") == "SelectSetQuery" else sql), columns

    def _select(self, node: dict[str, Any]) -> tuple[str, Columns]:
        scope = self.scope
        with_parts = self._ctes(node.get("ctes") or [])
        from_parts, guards = self._from(node.get("select_from"))
        for name in _alias_names(node.get("select") or []):
            scope.aliases.setdefault(name, None)
        array_join = self._array_join(node)
        columns: Columns = []
        select_parts: list[str] = []
        self._implicit_aliases = {}
        for item in node.get("select") or []:
            for name, printed, sql in self._select_item(item):
                columns.append((name, printed))
                select_parts.append(sql)
        if not select_parts:
            raise query_error("A SELECT needs at least one column", node)
        clauses = [
            ("SELECT DISTINCT " if node.get("distinct") else "SELECT ") + ", ".join(select_parts)
        ]
        prewhere = node.get("prewhere")
        where_parts = guards + ([self.sql(node["where"])] if node.get("where") else [])
        rest = self._tail(node)
        clauses += from_parts + self._lazy_joins() + array_join
        if prewhere:
            clauses.append(f"PREWHERE {self.sql(prewhere)}")
        if where_parts:
            where = where_parts[0] if len(where_parts) == 1 else f"and({', '.join(where_parts)})"
            clauses.append(f"WHERE {where}")
        sql = " ".join(clauses + rest)
        if with_parts:
            sql = "WITH " + ", ".join(with_parts) + " " + sql
        return sql, columns

    def _ctes(self, ctes: list[dict[str, Any]] | dict[str, Any]) -> list[str]:
        items = list(ctes.values()) if isinstance(ctes, dict) else list(ctes)
        parts: list[str] = []
        for cte in items:
            name = str(cte.get("name"))
            self.scope.ctes[name] = cte
            if cte.get("cte_type") == "subquery":
                sql, columns = self._nested(cte["expr"])
                self.scope.cte_columns[name] = dict(subquery_columns(columns))
                parts.append(f"{clickhouse_identifier(name)} AS ({sql})")
        return parts

    def _select_item(self, item: dict[str, Any]) -> list[tuple[str, Printed, str]]:
        if item.get("node") == "Field" and (item.get("chain") or [None])[-1] == "*":
            return self._asterisk(item)
        if item.get("node") == "ColumnsExpr":
            return self._fields(item, self.columns_matching(item))
        printed = self.expr(item)
        if item.get("node") == "Alias":
            return [(str(item["alias"]), printed, printed.sql)]
        if item.get("node") == "Field":
            name = str(item["chain"][-1])
            return [(name, printed, self._implicit_alias(printed.sql, name))]
        return [(print_hogql_expr(item), printed, printed.sql)]

    def _implicit_alias(self, sql: str, name: str) -> str:
        """``sql AS name`` so ClickHouse names the column as HogQL does, unless ``name`` is
        already an alias of this SELECT for another expression (ClickHouse would refuse)."""
        identifier = clickhouse_identifier(name)
        if sql == identifier:
            return sql
        taken = self._implicit_aliases.get(name)
        explicit = name in self.scope.aliases
        if explicit or (taken is not None and taken != sql):
            return sql
        self._implicit_aliases[name] = sql
        return f"{sql} AS {identifier}"

    def _asterisk(self, item: dict[str, Any]) -> list[tuple[str, Printed, str]]:
        chain = item["chain"]
        if len(chain) == 1:
            sources = list(self.scope.sources.values())
        elif len(chain) == 2 and chain[0] in self.scope.sources:
            sources = [self.scope.sources[chain[0]]]
        else:
            raise query_error(f"Unable to resolve field: {'.'.join(map(str, chain))}", item)
        if not sources:
            raise query_error("Cannot select * without a FROM clause", item)
        chains: list[list[str | int]] = [
            [source.alias, name] if source.alias else [name]
            for source in sources
            for name in source.field_names()
        ]
        return self._fields(item, chains)

    def _fields(
        self, item: dict[str, Any], chains: list[list[str | int]]
    ) -> list[tuple[str, Printed, str]]:
        """Select columns for field chains (``*`` and ``COLUMNS()`` expansions)."""
        out: list[tuple[str, Printed, str]] = []
        for chain in chains:
            name = str(chain[-1])
            printed = resolve_chain(self.scope, chain, item, self.expr, self.quote)
            out.append((name, printed, self._implicit_alias(printed.sql, name)))
        return out

    def _tail(self, node: dict[str, Any]) -> list[str]:
        parts: list[str] = []
        mode = str(node.get("group_by_mode") or "").upper()
        if mode not in ("", "ALL", "ROLLUP", "CUBE", "GROUPING_SETS"):
            raise query_error(f"Unsupported GROUP BY mode: {mode}", node)
        if mode == "ALL" and not node.get("group_by"):
            parts.append("GROUP BY ALL")
        if node.get("group_by"):
            exprs = ", ".join(self.sql(e) for e in node["group_by"])
            if mode in ("ROLLUP", "CUBE"):
                parts.append(f"GROUP BY {mode}({exprs})")
            elif mode == "GROUPING_SETS":
                parts.append(f"GROUP BY GROUPING SETS ({exprs})")
            else:
                parts.append(f"GROUP BY {exprs}")
        if node.get("having"):
            parts.append(f"HAVING {self.sql(node['having'])}")
        if node.get("qualify"):
            parts.append(f"QUALIFY {self.sql(node['qualify'])}")
        windows = node.get("window_exprs") or {}
        if windows:
            parts.append(
                "WINDOW "
                + ", ".join(
                    f"{clickhouse_identifier(name)} AS ({self.window_expr(w)})"
                    for name, w in windows.items()
                )
            )
        if node.get("order_by"):
            parts.append("ORDER BY " + ", ".join(self.order_expr(e) for e in node["order_by"]))
        limit_by = node.get("limit_by")
        if limit_by:
            offset = limit_by.get("offset_value")
            text = f"LIMIT {self.sql(limit_by['n'])}"
            if offset is not None:
                text += f" OFFSET {self.sql(offset)}"
            parts.append(
                f"{text} BY " + ", ".join(self.sql(e) for e in limit_by.get("exprs") or [])
            )
        if node.get("limit") is not None:
            parts.append(
                f"LIMIT {self.sql(node['limit'])}"
                + (" WITH TIES" if node.get("limit_with_ties") else "")
            )
        if node.get("offset") is not None:
            parts.append(f"OFFSET {self.sql(node['offset'])}")
        return parts


def _alias_names(exprs: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or node.get("node") in ("SelectQuery", "SelectSetQuery"):
            continue
        if node.get("node") == "Alias":
            names.append(str(node["alias"]))
        for value in node.values():
            if isinstance(value, dict):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, dict))
    return names
