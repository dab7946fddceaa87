"""``DatabaseSchemaQuery``: the tables and fields of the HogQL database, in PostHog's shape."""

from __future__ import annotations

import re
from typing import Any

from workbench.server.hogql.database import (
    JOIN_TABLES,
    TABLES,
    Column,
    ExpressionField,
    FieldLike,
    LazyJoin,
    Traverser,
    VirtualTable,
)

HIDDEN_FIELDS = TABLES["events"].hidden
"""Events storage columns not listed (each table's ``hidden``; kept for autocomplete)."""

_WRAPPED = re.compile(r"[@\-!$+]")
"""Characters that make PostHog backtick a field's ``hogql_value``."""


def database_schema() -> dict[str, object]:
    """``{tables: {name: {type, id, name, fields}}, joins: []}`` as PostHog serialises it
    (``serialize_fields`` in ``posthog/hogql/database/database.py``), default PoE mode."""
    tables: dict[str, Any] = {}
    for table in TABLES.values():
        fields = {
            name: _field(name, spec)
            for name, spec in table.fields.items()
            if name not in table.hidden
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
        "hogql_value": f"`{name}`" if _WRAPPED.search(name) else name,
        "schema_valid": True,
    }
    if isinstance(spec, Column):
        out["type"] = spec.schema_type or field_type(spec.type, json=spec.json)
    elif isinstance(spec, LazyJoin):
        # ``fields`` lists every key of the target table, ``team_id`` included, as PostHog's
        target = TABLES.get(spec.table) or JOIN_TABLES[spec.table]
        out.update(
            type="lazy_table",
            table=target.name,
            fields=["team_id", *target.fields],
            id=name,
        )
    elif isinstance(spec, VirtualTable):
        # PostHog prints a virtual table as the table it lives on (``poe`` → ``events``)
        out.update(type="virtual_table", table="events", fields=list(spec.fields))
    elif isinstance(spec, ExpressionField):
        # PostHog types an expression by its resolved constant type, else ``expression``
        out["type"] = spec.schema_type or field_type(spec.type)
    elif isinstance(spec, Traverser):
        out.update(type="field_traverser", chain=list(spec.chain))
    return out
