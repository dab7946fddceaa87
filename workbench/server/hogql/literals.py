"""Escaping identifiers and literals for ClickHouse and HogQL; the printed-expression record."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

_CLICKHOUSE_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HOGQL_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\b": "\\b",
    "\f": "\\f",
    "\r": "\\r",
    "\n": "\\n",
    "\t": "\\t",
    "\0": "\\0",
    "\a": "\\a",
    "\v": "\\v",
}
"""Characters ClickHouse string literals need escaped (the set PostHog's printer escapes)."""
_ESCAPE_RE = re.compile("|".join(re.escape(ch) for ch in _ESCAPES))


@dataclass(frozen=True)
class Printed:
    """A printed ClickHouse expression and what the printer knows about it.

    ``json`` is set for a JSON document or a property read from one: (document SQL, keys so
    far), so a further ``.key`` or ``['key']`` extends the extraction instead of indexing.
    """

    sql: str
    nullable: bool = False
    type: str | None = None
    json: tuple[str, tuple[str | int, ...]] | None = None
    numeric_keys: frozenset[str] = frozenset()
    """Top-level keys of this JSON document that read as Float64 (typed properties)."""
    owner: str | None = None
    """Whose properties this JSON document holds (``event``/``person``/``group``), when known."""
    typed_property: tuple[str, str, str] | None = None
    """(owner, key, PostHog type name) for a read of one top-level key that has a property
    definition: the printer adds PostHog's "… property 'key' is of type 'T'." notice."""


def escape_string(value: str) -> str:
    """A single-quoted ClickHouse (and HogQL) string literal."""
    return "'" + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], value) + "'"


def _backtick(name: str) -> str:
    escaped = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], name).replace("\\'", "'")
    return "`" + escaped.replace("`", "\\`") + "`"


def clickhouse_identifier(name: str) -> str:
    """An identifier, backticked unless it is a plain word."""
    return name if _CLICKHOUSE_IDENTIFIER.match(name) else _backtick(name)


def hogql_identifier(name: str) -> str:
    """An identifier as HogQL prints it (``$`` needs no quoting in HogQL)."""
    return name if _HOGQL_IDENTIFIER.match(name) else _backtick(name)


def number_literal(value: int | float) -> str:
    """An integer or float literal; ``inf``/``nan`` as ClickHouse spells them."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return str(value)


def datetime_literal(value: datetime | date) -> str:
    """A ClickHouse expression for a Python date or datetime (UTC when naive)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        text = value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return f"toDateTime64({escape_string(text)}, 6, 'UTC')"
    return f"toDate({escape_string(value.isoformat())})"


ARITHMETIC = {"+": "plus", "-": "minus", "*": "multiply", "/": "divide", "%": "modulo"}
"""HogQL arithmetic operators → ClickHouse functions (PostHog prints the function form)."""
