"""Printing FROM: tables with their team guard, subqueries, explicit and lazy joins.

The FROM table's ``team_id`` guard goes into WHERE (collected by the caller); joined schema
tables are read through ``(SELECT * FROM t WHERE team guard)`` so the guard holds for
LEFT/RIGHT/FULL/USING/CROSS joins alike. Lazy joins (``pdi``, ``person``, ``session``,
``group_N``) become ``LEFT JOIN``/``INNER JOIN`` (as PostHog's join functions) ``(SELECT needed
columns …) AS <alias>__<name>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.server.hogql.errors import query_error
from workbench.server.hogql.literals import Printed, clickhouse_identifier
from workbench.server.hogql.scope import Scope, Source

Columns = list[tuple[str, Printed]]

_JOIN_WORDS = frozenset(
    {
        "GLOBAL",
        "ANY",
        "ALL",
        "ASOF",
        "SEMI",
        "ANTI",
        "INNER",
        "LEFT",
        "RIGHT",
        "FULL",
        "CROSS",
        "OUTER",
        "JOIN",
    }
)
"""Words a join type may consist of."""


class JoinPrinter:
    """FROM-clause half of the ClickHouse printer (mixed into ``ClickHousePrinter``)."""

    scope: Scope
    team_id: int
    table_names: list[str]
    in_join_constraint: bool

    def sql(self, node: dict[str, Any]) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _nested(self, node: dict[str, Any]) -> tuple[str, Columns]:  # pragma: no cover
        raise NotImplementedError

    def _from(self, join: dict[str, Any] | None) -> tuple[list[str], list[str]]:
        parts: list[str] = []
        guards: list[str] = []
        first = True
        while join is not None:
            if join.get("table_args") is not None:
                raise query_error("Table functions are not supported", join)
            if join.get("sample") is not None:
                raise query_error("SAMPLE is not supported by the local server", join["sample"])
            table_sql, source = self._join_source(join, first)
            alias = join.get("alias")
            text = table_sql
            if alias is not None and alias != table_sql:
                text += f" AS {clickhouse_identifier(str(alias))}"
            if join.get("table_final"):  # PostHog's printer refuses it (printer/base.py)
                raise query_error(
                    "The FINAL keyword is not supported in HogQL as it causes slow queries", join
                )
            if source.alias in self.scope.sources:
                raise query_error(f"Duplicate table alias: {source.alias}", join)
            self.scope.sources[source.alias] = source
            if first:
                parts.append(f"FROM {text}")
                if source.table is not None:
                    guards.append(self._guard(source.alias))
            else:
                parts.append(f"{self._join_type(join)} {text}{self._constraint(join)}")
            first = False
            join = join.get("next_join")
        return parts, guards

    def _join_source(self, join: dict[str, Any], first: bool) -> tuple[str, Source]:
        table = join["table"]
        alias = join.get("alias")
        kind = table.get("node")
        if kind == "Field":
            name = ".".join(str(part) for part in table.get("chain") or [])
            cte_columns = self.scope.find_cte_columns(name)
            if cte_columns is not None:
                return clickhouse_identifier(name), Source(alias or name, columns=cte_columns)
            schema = self.scope.tables.get(name)
            if schema is None:
                raise query_error(unknown_table_message(name, self.scope.tables), table)
            if name not in self.table_names:
                self.table_names.append(name)
            source = Source(alias or name, table=schema)
            ch_name = clickhouse_identifier(schema.clickhouse_name)
            if first:
                return ch_name, source
            guarded = f"(SELECT * FROM {ch_name} WHERE {self._guard(ch_name)})"
            if alias is None:
                join["alias"] = name
            return guarded, source
        if kind in ("SelectQuery", "SelectSetQuery"):
            sql, columns = self._nested(table)
            return f"({sql})", Source(alias or "", columns=dict(subquery_columns(columns)))
        raise query_error(f"Unsupported table expression: {kind}", table)

    def _guard(self, alias: str) -> str:
        return f"equals({alias}.team_id, {self.team_id})"

    def _join_type(self, join: dict[str, Any]) -> str:
        join_type = str(join.get("join_type") or "JOIN").upper()
        if not set(join_type.split()) <= _JOIN_WORDS or not join_type.endswith("JOIN"):
            raise query_error(f"Unsupported join type: {join_type}", join)
        return join_type

    def _constraint(self, join: dict[str, Any]) -> str:
        constraint = join.get("constraint")
        if constraint is None:
            return ""
        self.in_join_constraint = True
        try:
            if constraint.get("constraint_type") == "USING":
                expr = constraint["expr"]
                names = expr.get("exprs") if expr.get("node") == "Tuple" else [expr]
                fields = [str((n.get("chain") or ["?"])[-1]) for n in names or []]
                return " USING (" + ", ".join(clickhouse_identifier(f) for f in fields) + ")"
            return f" ON {self.sql(constraint['expr'])}"
        finally:
            self.in_join_constraint = False

    def _lazy_joins(self) -> list[str]:
        parts: list[str] = []
        for use in self.scope.lazy_joins.values():
            if use.target.name not in self.table_names:
                self.table_names.append(use.target.name)
            table = clickhouse_identifier(use.target.clickhouse_name)
            columns = ", ".join(
                f"{table}.{clickhouse_identifier(c.column)} AS {clickhouse_identifier(c.name)}"
                for c in use.needed.values()
            )
            source_sql = (
                f"{clickhouse_identifier(use.source_alias)}."
                f"{clickhouse_identifier(use.source_column)}"
            )
            target_sql = (
                f"{clickhouse_identifier(use.alias)}.{clickhouse_identifier(use.join.to_field)}"
            )
            where = self._guard(table)
            if use.join.target_filter is not None:
                column, value = use.join.target_filter
                where = f"and({where}, equals({table}.{clickhouse_identifier(column)}, {value}))"
            parts.append(
                f"{use.join.join_type} (SELECT {columns} FROM {table} WHERE {where}) AS "
                f"{clickhouse_identifier(use.alias)} ON equals({source_sql}, {target_sql})"
            )
        return parts

    def _array_join(self, node: dict[str, Any]) -> list[str]:
        items = node.get("array_join_list") or []
        if not items:
            return []
        op = str(node.get("array_join_op") or "ARRAY JOIN").upper()
        if op not in ("ARRAY JOIN", "LEFT ARRAY JOIN", "INNER ARRAY JOIN"):
            raise query_error(f"Unsupported array join: {op}", node)
        printed = []
        for item in items:
            if item.get("node") != "Alias":
                raise query_error("ARRAY JOIN needs an alias: ARRAY JOIN expr AS name", item)
            printed.append(self.sql(item))
        return [f"{op} {', '.join(printed)}"]


def unknown_table_message(name: str, tables: Mapping[str, object]) -> str:
    """PostHog's error for an unknown table, with up to three close names
    (``Database._suggest_table_names``: difflib, cutoff 0.7, the name itself excluded)."""
    import difflib

    candidates = sorted(t for t in tables if t.casefold() != name.casefold())
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.7)
    suffix = f" Did you mean: {', '.join(close)}?" if close else ""
    return f"Unknown table `{name}`.{suffix}"


def subquery_columns(columns: Columns) -> list[tuple[str, Printed]]:
    """A subquery's result columns as the outer query sees them: by name, keeping
    nullability and type, and JSON-ness only for whole documents (``properties``)."""
    out = []
    for name, printed in columns:
        keep_json = printed.json is not None and printed.json[1] == ()
        out.append(
            (name, Printed(name, printed.nullable, printed.type, (name, ()) if keep_json else None))
        )
    return out
