"""``HogQLAutocomplete``: suggestions for the word at ``[start, end)`` of a query being typed.

The query is usually incomplete, so context comes from the text, not the parser: after
FROM/JOIN → tables; after ``x.`` → the fields of what ``x`` resolves to (table alias, lazy
join, ``properties.`` → property keys taken from the data, ``person.properties.`` → person
property keys); elsewhere → fields of the tables in scope, SELECT aliases, functions and
keywords. Kinds are Monaco's names, as PostHog sends them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from workbench.server.hogql.database import (
    TABLES,
    Column,
    ExpressionField,
    FieldLike,
    LazyJoin,
    Table,
    Traverser,
    VirtualTable,
)
from workbench.server.hogql.functions import FUNCTIONS
from workbench.server.hogql.schema_response import HIDDEN_FIELDS

PropertyKind = Literal["event", "person", "group"]
PropertyKeys = Callable[[PropertyKind], Sequence[str]]

PROPERTY_DEFINITION_LIMIT = 220
"""PostHog caps property suggestions here and then sets ``incomplete_list``."""

KEYWORDS = (
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "JOIN",
    "LEFT JOIN",
    "INNER JOIN",
    "ON",
    "AS",
    "AND",
    "OR",
    "NOT",
    "IN",
    "LIKE",
    "ILIKE",
    "BETWEEN",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "DISTINCT",
    "UNION ALL",
    "WITH",
    "ARRAY JOIN",
    "INTERVAL",
    "IS NULL",
    "IS NOT NULL",
    "ASC",
    "DESC",
    "OVER",
    "PARTITION BY",
)
"""Keywords offered where an expression or clause may start."""

_CHAIN_BEFORE = re.compile(r"((?:(?:[A-Za-z_$][\w$]*|`[^`]*`)\.)+)$")
_TABLE_REF = re.compile(
    r"\b(?:from|join)\s+([A-Za-z_][\w]*)(?:\s+(?:as\s+)?([A-Za-z_]\w*))?", re.IGNORECASE
)
_NOT_ALIASES = frozenset(
    {
        "where",
        "join",
        "left",
        "right",
        "inner",
        "full",
        "cross",
        "on",
        "group",
        "order",
        "limit",
        "having",
        "union",
        "array",
        "prewhere",
        "settings",
        "using",
        "as",
        "global",
        "any",
        "all",
        "outer",
        "final",
        "sample",
        "window",
        "qualify",
    }
)
_CTE_NAME = re.compile(r"(?:\bwith|,)\s+([A-Za-z_]\w*)\s+as\s*\(", re.IGNORECASE)
_SELECT_ALIAS = re.compile(r"\bas\s+([A-Za-z_$][\w$]*)", re.IGNORECASE)


def property_keys_sql(kind: PropertyKind, *, team_id: int) -> str:
    """ClickHouse SQL listing property keys, most frequent first (one past the cap)."""
    table, column = {
        "event": ("events", "properties"),
        "person": ("persons", "properties"),
        "group": ("groups", "group_properties"),
    }[kind]
    return (
        f"SELECT key FROM (SELECT arrayJoin(JSONExtractKeys({column})) AS key FROM "
        f"(SELECT {column} FROM {table} WHERE team_id = {int(team_id)} LIMIT 200000)) "
        f"GROUP BY key ORDER BY count() DESC, key LIMIT {PROPERTY_DEFINITION_LIMIT + 1}"
    )


def hogql_autocomplete(
    query: str,
    *,
    start: int,
    end: int,
    team_id: int,
    property_keys: PropertyKeys | None = None,
) -> dict[str, object]:
    """PostHog's ``HogQLAutocompleteResponse``: ``{suggestions, incomplete_list, timings}``."""
    del team_id  # suggestions come from the schema; data-derived keys from ``property_keys``
    start = max(0, min(start, len(query)))
    end = max(start, min(end, len(query)))
    prefix = query[start:end]
    before = query[:start]
    out = _Suggestions(prefix)
    scope = _tables_in_scope(query)
    chain_match = _CHAIN_BEFORE.search(before)
    if chain_match:
        chain = [part.strip("`") for part in chain_match.group(1).split(".") if part]
        _complete_chain(out, chain, scope, property_keys)
    elif re.search(r"\b(?:from|join)\s+$", before, re.IGNORECASE):
        for table in TABLES.values():
            out.add(table.name, "Folder", "Table")
        for cte in _CTE_NAME.findall(query):
            out.add(cte, "Folder", "Table")
    else:
        for alias, table in scope.items():
            if alias != table.name:
                out.add(alias, "Folder", "Table")
            _add_fields(out, table)
        for alias in _SELECT_ALIAS.findall(query):
            out.add(alias, "Variable", None)
        for name in sorted(FUNCTIONS):
            if not name.startswith("_"):
                out.add(name, "Function", None, insert=f"{name}()")
        for keyword in KEYWORDS:
            out.add(keyword, "Keyword", None)
    return {"suggestions": out.items, "incomplete_list": out.incomplete, "timings": None}


class _Suggestions:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.lower()
        self.items: list[dict[str, Any]] = []
        self.incomplete = False
        self._seen: set[tuple[str, str]] = set()

    def add(self, label: str, kind: str, detail: str | None, *, insert: str | None = None) -> None:
        if not label.lower().startswith(self.prefix) or (label, kind) in self._seen:
            return
        self._seen.add((label, kind))
        text = insert or (label if re.match(r"^[A-Za-z_$][\w$]*$", label) else f"`{label}`")
        self.items.append(
            {
                "label": label,
                "insertText": text,
                "kind": kind,
                "detail": detail,
                "documentation": None,
            }
        )


def _tables_in_scope(query: str) -> dict[str, Table]:
    scope: dict[str, Table] = {}
    for name, alias in _TABLE_REF.findall(query):
        table = TABLES.get(name)
        if table is None:
            continue
        scope[alias if alias and alias.lower() not in _NOT_ALIASES else name] = table
    return scope


def _add_fields(out: _Suggestions, table: Table) -> None:
    for name, spec in table.fields.items():
        if table.name == "events" and name in HIDDEN_FIELDS:
            continue
        is_field = isinstance(spec, Column | ExpressionField)
        out.add(name, "Field" if is_field else "Folder", _detail(spec))


def _detail(spec: FieldLike) -> str:
    if isinstance(spec, Column | ExpressionField):
        return spec.type
    return "Table" if isinstance(spec, LazyJoin | VirtualTable) else "unknown"


def _complete_chain(
    out: _Suggestions,
    chain: list[str],
    scope: dict[str, Table],
    property_keys: PropertyKeys | None,
) -> None:
    """Walk ``chain`` from a table alias or a field of a table in scope; suggest what follows."""
    if chain[0] in scope:
        table: Table = scope[chain[0]]
        rest = chain[1:]
    elif chain[0] in TABLES and not scope:
        table, rest = TABLES[chain[0]], chain[1:]
    else:
        owners = [t for t in scope.values() if chain[0] in t.fields] or [TABLES["events"]]
        table, rest = owners[0], chain
    person = table.name == "persons"
    while rest:
        name, rest = rest[0], rest[1:]
        spec = table.fields.get(name)
        if isinstance(spec, Traverser):
            rest = [*spec.chain[1:], *rest]
            spec = table.fields.get(spec.chain[0])
        if isinstance(spec, Column) and spec.json:
            kind: PropertyKind = (
                "person"
                if person or name == "person_properties"
                else ("group" if table.name == "groups" else "event")
            )
            _add_property_keys(out, kind, property_keys)
            return
        if isinstance(spec, VirtualTable):
            if not rest:
                for field in spec.fields:
                    out.add(field, "Field", None)
                return
            person = person or spec.name == "poe"
            rest = [spec.fields.get(rest[0], rest[0]), *rest[1:]]
            continue
        if isinstance(spec, LazyJoin):
            person = person or spec.table == "persons"
            table = TABLES[spec.table]
            continue
        return
    _add_fields(out, table)


def _add_property_keys(
    out: _Suggestions, kind: PropertyKind, property_keys: PropertyKeys | None
) -> None:
    keys = list(property_keys(kind)) if property_keys is not None else []
    if len(keys) > PROPERTY_DEFINITION_LIMIT:
        keys = keys[:PROPERTY_DEFINITION_LIMIT]
        out.incomplete = True
    for key in keys:
        out.add(key, "Property", None)
