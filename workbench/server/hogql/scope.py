"""Name resolution for one SELECT: its table sources, aliases, CTEs and lazy joins.

A field chain resolves, in order, to: a table alias (``e.event``), a SELECT or ARRAY JOIN
alias, a column CTE (inlined), a lambda argument, or a field of exactly one table in scope.
Chains continuing into a JSON field become property reads, PostHog-style:
``replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(doc, keys…), ''), 'null'), '^"|"$', '')``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.server.hogql.database import (
    JOIN_TABLES,
    PROPERTY_DEFINITIONS,
    TABLES,
    Column,
    ExpressionField,
    LazyJoin,
    Table,
    Traverser,
    VirtualTable,
)
from workbench.server.hogql.errors import query_error
from workbench.server.hogql.literals import Printed, clickhouse_identifier


@dataclass
class Source:
    """One table in FROM/JOIN: a schema table or a subquery/CTE with known columns."""

    alias: str
    table: Table | None = None
    columns: dict[str, Printed] = field(default_factory=dict)

    def has_field(self, name: str) -> bool:
        if self.table is not None:
            return name in self.table.fields
        return name in self.columns

    def field_names(self) -> list[str]:
        return list(self.table.asterisk) if self.table is not None else list(self.columns)


@dataclass
class LazyJoinUse:
    """A lazy join the query needs: printed as ``LEFT JOIN (SELECT …) AS alias ON …``."""

    alias: str
    join: LazyJoin
    source_alias: str
    source_column: str
    target: Table
    needed: dict[str, Column] = field(default_factory=dict)


@dataclass
class Scope:
    """Names visible inside one SELECT (CTEs are also visible to nested SELECTs)."""

    parent: Scope | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    aliases: dict[str, Printed | None] = field(default_factory=dict)
    aliases_in_progress: set[str] = field(default_factory=set)
    ctes: dict[str, dict[str, Any]] = field(default_factory=dict)
    cte_columns: dict[str, dict[str, Printed]] = field(default_factory=dict)
    lambda_args: list[set[str]] = field(default_factory=list)
    lazy_joins: dict[str, LazyJoinUse] = field(default_factory=dict)
    tables: Mapping[str, Table] = field(default_factory=lambda: TABLES)
    """The database of this query's persons-on-events mode (shared by nested scopes)."""

    def find_cte(self, name: str) -> dict[str, Any] | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.ctes:
                return scope.ctes[name]
            scope = scope.parent
        return None

    def find_cte_columns(self, name: str) -> dict[str, Printed] | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.cte_columns:
                return scope.cte_columns[name]
            scope = scope.parent
        return None


InlineExpr = Callable[[dict[str, Any]], Printed]
Quote = Callable[[str], str]


def resolve_chain(
    scope: Scope,
    chain: list[str | int],
    node: dict[str, Any],
    inline: InlineExpr,
    quote: Quote,
) -> Printed:
    """Print a field chain; raises HogQLError ("Unable to resolve field: x") when unknown."""
    first = chain[0]
    if not isinstance(first, str):
        raise query_error(f"Unable to resolve field: {first}", node)
    rest = chain[1:]
    if any(first in args for args in scope.lambda_args):
        return _continue(quote, Printed(clickhouse_identifier(first), nullable=True), rest, node)
    if first in scope.sources and rest:
        return _resolve_in_source(quote, scope, scope.sources[first], rest, node)
    if first in scope.aliases and first not in scope.aliases_in_progress:
        known = scope.aliases[first]
        base = Printed(
            clickhouse_identifier(first),
            nullable=True if known is None else known.nullable,
            type=None if known is None else known.type,
            json=None
            if known is None or known.json is None
            else (clickhouse_identifier(first), ()),
        )
        return _continue(quote, base, rest, node)
    cte = scope.find_cte(first)
    if cte is not None and cte.get("cte_type") == "column":
        return _continue(quote, inline(cte["expr"]), rest, node)
    matches = [source for source in scope.sources.values() if source.has_field(first)]
    if len(matches) > 1:
        raise query_error(f"Ambiguous query. Found multiple sources for field: {first}", node)
    if matches:
        return _resolve_in_source(quote, scope, matches[0], chain, node)
    raise query_error(f"Unable to resolve field: {first}", node)


def _resolve_in_source(
    quote: Quote, scope: Scope, source: Source, chain: list[str | int], node: dict[str, Any]
) -> Printed:
    name = chain[0]
    if not isinstance(name, str) or not source.has_field(name):
        raise query_error(f"Unable to resolve field: {name}", node)
    if source.table is None:
        known = source.columns[name]
        sql = clickhouse_identifier(name)
        if source.alias:
            sql = f"{clickhouse_identifier(source.alias)}.{sql}"
        json = (sql, ()) if known.json is not None else None
        return _continue(
            quote,
            Printed(sql, nullable=known.nullable, type=known.type, json=json),
            chain[1:],
            node,
        )
    return _resolve_in_table(quote, scope, source.alias, source.table, chain, node)


def _resolve_in_table(
    quote: Quote,
    scope: Scope,
    alias: str,
    table: Table,
    chain: list[str | int],
    node: dict[str, Any],
) -> Printed:
    name = chain[0]
    rest = chain[1:]
    spec = table.fields.get(name) if isinstance(name, str) else None
    prefix = clickhouse_identifier(alias)
    if isinstance(spec, Column):
        use = scope.lazy_joins.get(alias)
        if use is not None:  # the join subquery exposes columns under their HogQL names
            use.needed[spec.name] = spec
        column = spec.name if use is not None else spec.column
        sql = f"{prefix}.{clickhouse_identifier(column)}"
        owner = spec.property_owner
        if owner == "group" and (use is None or use.join.target_filter is None):
            owner = None  # PostHog types group properties per group type: only via group_N
        printed = Printed(
            sql,
            nullable=spec.nullable,
            type=spec.type,
            json=(sql, ()) if spec.json else None,
            numeric_keys=spec.numeric_properties,
            owner=owner,
        )
        return _continue(quote, printed, rest, node)
    if isinstance(spec, ExpressionField):
        source = _resolve_in_table(quote, scope, alias, table, [spec.source], node)
        return _continue(
            quote, Printed(spec.template.format(column=source.sql), type=spec.type), rest, node
        )
    if isinstance(spec, VirtualTable):
        if not rest or not isinstance(rest[0], str) or rest[0] not in spec.fields:
            raise query_error(f"Unable to resolve field: {rest[0] if rest else name}", node)
        return _resolve_in_table(
            quote, scope, alias, table, [spec.fields[rest[0]], *rest[1:]], node
        )
    if isinstance(spec, Traverser):
        return _resolve_in_table(quote, scope, alias, table, [*spec.chain, *rest], node)
    if isinstance(spec, LazyJoin):
        if not rest:
            raise query_error(f"Can't select a table when a column is expected: {name}", node)
        target_field = rest[0]
        if isinstance(target_field, str) and target_field in spec.overrides:
            return _resolve_in_table(
                quote, scope, alias, table, [spec.overrides[target_field], *rest[1:]], node
            )
        use = _use_lazy_join(scope, alias, table, spec, node)
        return _resolve_in_table(quote, scope, use.alias, use.target, rest, node)
    raise query_error(f"Unable to resolve field: {name}", node)


def _use_lazy_join(
    scope: Scope, alias: str, table: Table, join: LazyJoin, node: dict[str, Any]
) -> LazyJoinUse:
    join_alias = f"{alias}__{join.name}"
    use = scope.lazy_joins.get(join_alias)
    if use is None:
        source_column = table.fields[join.from_field]
        target = scope.tables.get(join.table) or JOIN_TABLES[join.table]
        if not isinstance(source_column, Column):
            raise query_error(f"Unable to resolve field: {join.name}", node)
        parent = scope.lazy_joins.get(alias)
        if parent is not None:
            parent.needed[source_column.name] = source_column
        column_sql = source_column.name if parent is not None else source_column.column
        use = LazyJoinUse(join_alias, join, alias, column_sql, target)
        to_column = target.fields[join.to_field]
        assert isinstance(to_column, Column)
        use.needed[to_column.name] = to_column
        scope.lazy_joins[join_alias] = use
    return use


def _continue(quote: Quote, base: Printed, rest: list[str | int], node: dict[str, Any]) -> Printed:
    if not rest:
        return base
    if base.json is None:
        raise query_error(f"Unable to resolve field: {'.'.join(str(part) for part in rest)}", node)
    return property_access(base, tuple(rest), quote)


def property_access(base: Printed, keys: tuple[str | int, ...], quote: Quote) -> Printed:
    """Read ``keys`` from a JSON document or extend an existing property read."""
    assert base.json is not None
    document, previous = base.json
    all_keys = previous + keys
    args = ", ".join(quote(key) if isinstance(key, str) else str(key) for key in all_keys)
    sql = (
        f"replaceRegexpAll(nullIf(nullIf(JSONExtractRaw({document}, {args}), ''), 'null'), "
        f"'^\"|\"$', '')"
    )
    typed = None
    if not previous and len(keys) == 1 and isinstance(keys[0], str) and base.owner:
        definition = PROPERTY_DEFINITIONS.get(base.owner, {}).get(keys[0])
        if definition is not None:  # PostHog's swapper: Numeric reads as Float
            typed = (base.owner, keys[0], "Float" if definition == "Numeric" else definition)
    if not previous and len(keys) == 1 and keys[0] in base.numeric_keys:
        return Printed(
            f"toFloat64OrNull({sql})",
            nullable=True,
            type="Nullable(Float64)",
            typed_property=typed,
        )
    return Printed(
        sql,
        nullable=True,
        type="Nullable(String)",
        json=(document, all_keys),
        typed_property=typed,
    )
