"""``DatabaseSchemaQuery``: the tables and fields of the HogQL database, in PostHog's shape."""

from __future__ import annotations

import re
from typing import Any

from workbench.server.hogql.database import (
    TABLES,
    Column,
    ExpressionField,
    FieldLike,
    LazyJoin,
    Traverser,
    VirtualTable,
)

HIDDEN_FIELDS = frozenset({"person_properties", "person_created_at"})
"""Person-on-events storage columns, reached as ``person.properties``/``poe.*``, not listed."""

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def database_schema() -> dict[str, object]:
    """``{tables: {name: {type, id, name, fields}}, joins: []}`` as PostHog serialises it."""
    tables: dict[str, Any] = {}
    for table in TABLES.values():
        fields = {
            name: _field(name, spec)
            for name, spec in table.fields.items()
            if not (table.name == "events" and name in HIDDEN_FIELDS)
        }
        tables[table.name] = {
            "type": "posthog",
            "id": table.name,
            "name": table.name,
            "fields": fields,
        }
    return {"tables": tables, "joins": []}


def field_type(clickhouse_type: str, *, json: bool = False) -> str:
    """PostHog's schema type name for a ClickHouse column type."""
    if json:
        return "json"
    base = clickhouse_type.removeprefix("Nullable(").rstrip(")")
    if base.startswith("DateTime"):
        return "datetime"
    if base.startswith("Date"):
        return "date"
    if base.startswith(("Int", "UInt")):
        return "integer"
    if base.startswith(("Float", "Decimal")):
        return "float"
    if base.startswith("Bool"):
        return "boolean"
    if base.startswith("Array"):
        return "array"
    return "string"


def _field(name: str, spec: FieldLike) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "hogql_value": name if _PLAIN.match(name) else f"`{name}`",
        "schema_valid": True,
    }
    if isinstance(spec, Column):
        out["type"] = field_type(spec.type, json=spec.json)
    elif isinstance(spec, LazyJoin):
        target = TABLES[spec.table]
        out.update(type="lazy_table", table=spec.table, fields=list(target.fields), id=name)
    elif isinstance(spec, VirtualTable):
        out.update(type="virtual_table", table=name, fields=list(spec.fields), id=name)
    elif isinstance(spec, ExpressionField):
        out["type"] = "expression"
    elif isinstance(spec, Traverser):
        out.update(type="field_traverser", chain=list(spec.chain))
    return out
