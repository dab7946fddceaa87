"""``{filters}``: a HogQLQuery's ``filters`` (date range, property filters) as a HogQL AST.

PostHog replaces ``{filters}`` with the filters of the request; without any it is ``true``.
Supported: ``dateRange`` with ISO dates or relative ``-7d``/``-24h``/``-2w``/``-1m``/``-1y``
(``date_to`` missing = now), and ``properties`` on events or persons with the operators
``exact``, ``is_not``, ``icontains``, ``not_icontains``, ``regex``, ``not_regex``, ``gt``,
``gte``, ``lt``, ``lte``, ``is_set``, ``is_not_set``. Anything else is a clear error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from workbench.server.hogql.errors import HogQLError

_RELATIVE = re.compile(r"^-(\d+)([hdwmy])$")
_UNITS = {
    "h": "toIntervalHour",
    "d": "toIntervalDay",
    "w": "toIntervalWeek",
    "m": "toIntervalMonth",
    "y": "toIntervalYear",
}
_COMPARE = {
    "exact": "==",
    "is_not": "!=",
    "icontains": "ilike",
    "not_icontains": "not ilike",
    "regex": "=~",
    "not_regex": "!~",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
}
"""PostHog property-filter operators → HogQL comparison operators."""


def filters_to_node(filters: object) -> dict[str, Any]:
    """The HogQL expression ``{filters}`` stands for (``true`` when there is nothing)."""
    if filters is None:
        return _const(True)
    if not isinstance(filters, Mapping):
        raise HogQLError("filters must be an object", code="hogql_query_error")
    parts: list[dict[str, Any]] = []
    date_range = filters.get("dateRange") or {}
    if not isinstance(date_range, Mapping):
        raise HogQLError("filters.dateRange must be an object", code="hogql_query_error")
    if date_range.get("date_from"):
        parts.append(_compare(">=", _field("timestamp"), _moment(date_range["date_from"])))
    if date_range.get("date_to"):
        parts.append(_compare("<=", _field("timestamp"), _moment(date_range["date_to"])))
    for prop in filters.get("properties") or []:
        parts.append(_property(prop))
    if not parts:
        return _const(True)
    return parts[0] if len(parts) == 1 else {"node": "And", "exprs": parts}


def _moment(value: object) -> dict[str, Any]:
    text = str(value).strip()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = relative.groups()
        return {
            "node": "ArithmeticOperation",
            "op": "-",
            "left": {"node": "Call", "name": "now", "args": []},
            "right": {"node": "Call", "name": _UNITS[unit], "args": [_const(int(amount))]},
        }
    if not re.match(
        r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$", text
    ):
        raise HogQLError(f"Unsupported date in filters: {text!r}", code="hogql_query_error")
    return {"node": "Call", "name": "toDateTime", "args": [_const(text)]}


def _property(prop: object) -> dict[str, Any]:
    if not isinstance(prop, Mapping) or not isinstance(prop.get("key"), str):
        raise HogQLError("Each property filter needs a string key", code="hogql_query_error")
    kind = prop.get("type", "event")
    if kind not in ("event", "person"):
        raise HogQLError(f"Unsupported property filter type: {kind}", code="hogql_query_error")
    chain = (["properties"] if kind == "event" else ["person", "properties"]) + [prop["key"]]
    field = {"node": "Field", "chain": chain}
    operator = prop.get("operator", "exact")
    if operator == "is_set":
        return _compare("!=", field, _const(None))
    if operator == "is_not_set":
        return _compare("==", field, _const(None))
    op = _COMPARE.get(str(operator))
    if op is None:
        raise HogQLError(
            f"Unsupported property filter operator: {operator}", code="hogql_query_error"
        )
    value = prop.get("value")
    if isinstance(value, list):
        if operator not in ("exact", "is_not"):
            raise HogQLError(f"Operator {operator} takes one value", code="hogql_query_error")
        tuple_node = {"node": "Tuple", "exprs": [_const(v) for v in value]}
        return _compare("in" if operator == "exact" else "not in", field, tuple_node)
    if operator in ("icontains", "not_icontains"):
        value = f"%{value}%"
    return _compare(op, field, _const(value))


def _compare(op: str, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    return {"node": "CompareOperation", "op": op, "left": left, "right": right}


def _field(name: str) -> dict[str, Any]:
    return {"node": "Field", "chain": [name]}


def _const(value: object) -> dict[str, Any]:
    return {"node": "Constant", "value": value}
