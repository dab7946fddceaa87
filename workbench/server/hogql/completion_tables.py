"""What a FROM clause offers to autocomplete: tables, CTEs and subqueries as field maps.

A base table offers its fields; a CTE or subquery offers only the columns it selects, each
keeping the field it selects (so its detail and its ``properties.`` keys follow) or, for a
constant, the constant's type. Traversers are replaced by the field they lead to. Details are
PostHog's type names (``convert_field_or_table_to_type_string``), not ClickHouse's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from workbench.server.hogql.database import (
    JOIN_TABLES,
    TABLES,
    Column,
    ExpressionField,
    FieldLike,
    LazyJoin,
    Table,
    Traverser,
    VirtualTable,
)

Node = dict[str, Any]


def schema_table(name: str) -> Table | None:
    """A table by HogQL name, or a lazy join's target (``JOIN_TABLES``)."""
    return TABLES.get(name) or JOIN_TABLES.get(name)


def hidden_fields(name: str) -> frozenset[str]:
    """Fields PostHog does not list for table ``name`` (its ``hidden``; storage columns)."""
    table = schema_table(name)
    return frozenset() if table is None else table.hidden


@dataclass(frozen=True)
class Derived:
    """A selected column that is no field of a table: a constant or an expression."""

    detail: str | None


Entry = FieldLike | Derived


@dataclass(frozen=True)
class CompletionTable:
    """Fields by name; ``name`` is the underlying base table, ``owners`` the base table of a
    field selected from another one (``person.properties AS pp``): property kinds follow it."""

    name: str
    fields: dict[str, Entry]
    owners: dict[str, str] = field(default_factory=dict)

    def owner(self, name: str) -> str:
        """The base table field ``name`` comes from."""
        return self.owners.get(name, self.name)


def base_table(name: str) -> CompletionTable | None:
    """A base table with its traversers resolved, or None for an unknown name."""
    table = schema_table(name)
    if table is None:
        return None
    return CompletionTable(
        table.name, {key: resolve(table, spec) for key, spec in table.fields.items()}
    )


def resolve(table: Table, spec: Entry) -> Entry:
    """A traverser's target field (PostHog's ``resolve_table_field_traversers``), else ``spec``."""
    if not isinstance(spec, Traverser):
        return spec
    current: Entry | None = spec
    for part in spec.chain:
        current = table.fields.get(part)
        if isinstance(current, LazyJoin):
            target = schema_table(current.table)
            if target is None:
                return spec
            table = target
        elif current is None:
            return spec
    return current if current is not None else spec


def nested_table(owner: str, spec: Entry) -> CompletionTable | None:
    """The table behind a lazy join or a virtual table, or None for a plain field."""
    if isinstance(spec, LazyJoin):
        return base_table(spec.table)
    table = schema_table(owner)
    if isinstance(spec, VirtualTable) and table is not None:
        fields: dict[str, Entry] = {
            name: table.fields[col] for name, col in spec.fields.items() if col in table.fields
        }
        return CompletionTable(owner, fields)
    return None


_INTEGER = re.compile(r"^U?Int\d+$")
_FLOAT = re.compile(r"^(Float\d+|Decimal.*)$")


def detail(spec: Entry) -> str | None:
    """PostHog's type string for a field: ``String``, ``Integer``, ``DateTime``, ``Table``…"""
    if isinstance(spec, Derived):
        return spec.detail
    if isinstance(spec, LazyJoin | VirtualTable):
        return "Table"
    if isinstance(spec, Column):
        if spec.json:
            return "Object"
        if spec.schema_type == "boolean":  # PostHog's Boolean field over an Int8 column
            return "Boolean"
        return type_name(spec.type, expression=False)
    if isinstance(spec, ExpressionField):
        return type_name(spec.type, expression=True)
    return None


def type_name(clickhouse_type: str, *, expression: bool) -> str | None:
    """PostHog's name for a ClickHouse type.

    A column's type is its database field class (UUIDs are ``String``; arrays have no name);
    an expression field's is its resolved constant type (``Array``, ``UUID``…).
    """
    inner = clickhouse_type
    while inner.startswith(("Nullable(", "LowCardinality(")):
        inner = inner[inner.index("(") + 1 : -1]
    if inner == "String" or inner.startswith("FixedString"):
        return "String"
    if inner == "UUID":
        return "UUID" if expression else "String"
    if inner.startswith("DateTime"):
        return "DateTime"
    if inner.startswith("Date"):
        return "Date"
    if inner == "Bool":
        return "Boolean"
    if _INTEGER.match(inner):
        return "Integer"
    if _FLOAT.match(inner):
        return "Float"
    if inner.startswith("Array"):
        return "Array" if expression else None
    return "Unknown" if expression else None


def table_of(join: Node, ctes: dict[str, Node]) -> CompletionTable | None:
    """What one JoinExpr reads: a base table, a CTE or a subquery (PostHog's ``get_table``)."""
    source = join.get("table")
    if not isinstance(source, dict):
        return None
    if source.get("node") == "Field":
        chain = source.get("chain") or []
        name = str(chain[0]) if len(chain) == 1 else ".".join(str(part) for part in chain)
        if name in ctes:
            return selected_columns(ctes[name], {k: v for k, v in ctes.items() if k != name})
        return base_table(name)
    if source.get("node") == "SelectQuery":
        return selected_columns(source, ctes)
    if source.get("node") == "SelectSetQuery":
        first = source.get("initial_select_query")
        return selected_columns(first, ctes) if isinstance(first, dict) else None
    return None


def joins(select: Node) -> list[Node]:
    """The FROM clause's JoinExprs in order (comma joins are joins too)."""
    out: list[Node] = []
    join = select.get("select_from")
    while isinstance(join, dict):
        out.append(join)
        join = join.get("next_join")
    return out


def aliased_tables(select: Node, ctes: dict[str, Node]) -> dict[str, CompletionTable]:
    """Tables of the FROM clause by alias (PostHog's ``get_tables_aliases``)."""
    out: dict[str, CompletionTable] = {}
    for join in joins(select):
        alias = join.get("alias")
        if isinstance(alias, str):
            table = table_of(join, ctes)
            if table is not None:
                out[alias] = table
    return out


def named_tables(select: Node, ctes: dict[str, Node]) -> dict[str, CompletionTable]:
    """Tables of the FROM clause without an alias, by their name (``events.`` still works)."""
    out: dict[str, CompletionTable] = {}
    for join in joins(select):
        source = join.get("table")
        if join.get("alias") is None and isinstance(source, dict) and source.get("node") == "Field":
            chain = source.get("chain") or []
            table = table_of(join, ctes)
            if len(chain) == 1 and table is not None:
                out[str(chain[0])] = table
    return out


def selected_columns(query: Node, ctes: dict[str, Node]) -> CompletionTable | None:
    """The columns a subquery selects, each as the field it reads or a :class:`Derived`."""
    if query.get("node") != "SelectQuery":
        return None
    inner = query.get("select_from")
    if not isinstance(inner, dict):
        return None
    main = table_of(inner, ctes)
    if main is None:
        return None
    scope = {**named_tables(query, ctes), **aliased_tables(query, ctes)}
    fields: dict[str, Entry] = {}
    owners: dict[str, str] = {}
    for expr in query.get("select") or []:
        if not isinstance(expr, dict):
            continue
        name, spec, owner = _column(expr, main, scope)
        if name == "*":
            fields.update({k: v for k, v in main.fields.items() if _in_asterisk(main.name, k)})
        elif name is not None:
            fields[name] = spec
            owners[name] = owner
    return CompletionTable(main.name, fields, owners)


def _in_asterisk(table: str, name: str) -> bool:
    spec = schema_table(table)
    return spec is None or name in spec.asterisk


def _column(
    expr: Node, main: CompletionTable, scope: dict[str, CompletionTable]
) -> tuple[str | None, Entry, str]:
    """``(column name or None, what it is, the base table it comes from)``."""
    unknown: tuple[str | None, Entry, str] = (None, Derived(None), main.name)
    kind = expr.get("node")
    if kind == "Alias":
        inner = expr.get("expr")
        _, spec, owner = _column(inner, main, scope) if isinstance(inner, dict) else unknown
        alias = expr.get("alias")
        return (alias if isinstance(alias, str) else None), spec, owner
    if kind == "Constant":
        return None, Derived(_constant_type(expr.get("value"))), main.name
    if kind == "Field":
        chain = [str(part) for part in expr.get("chain") or []]
        if not chain:
            return unknown
        if len(chain) >= 2 and chain[0] in scope:
            table, rest = scope[chain[0]], chain[1:]
        else:
            table, rest = main, chain
        spec, owner = _walk(table, rest)
        return chain[-1], spec, owner
    return unknown


def _walk(table: CompletionTable, chain: list[str]) -> tuple[Entry, str]:
    """The field a chain ends at, through lazy joins and virtual tables, and its base table."""
    spec: Entry | None = table.fields.get(chain[0])
    owner = table.owner(chain[0])
    for part in chain[1:]:
        nested = nested_table(owner, spec) if spec is not None else None
        if nested is None:
            return Derived(None), owner  # a property of a JSON field: type unknown here
        table, spec, owner = nested, nested.fields.get(part), nested.name
    return (spec if spec is not None else Derived(None)), owner


def _constant_type(value: object) -> str | None:
    """PostHog's ``constant_type_to_database_field`` names for a literal."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    return None
