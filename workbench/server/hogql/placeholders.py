"""Filling ``{name}`` placeholders from the request's ``values`` before printing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from workbench.server.hogql.errors import query_error
from workbench.server.hogql.filters import filters_to_node


def fill_placeholders(node: Any, values: Mapping[str, object]) -> Any:
    """A copy of the AST with every Placeholder replaced by its value as a constant.

    Raises HogQLError at the placeholder when no value was given for it.
    """
    if isinstance(node, list):
        return [fill_placeholders(item, values) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("node") == "Placeholder":
        expr = node.get("expr") or {}
        name = ".".join(str(part) for part in expr.get("chain") or [])
        if name == "filters":
            # PostHog: {filters} is the request's HogQLFilters; without any it is true
            filled = filters_to_node(values.get("filters"))
            return {**filled, "start": node.get("start"), "end": node.get("end")}
        if expr.get("node") != "Field" or name not in values:
            available = ", ".join(sorted(values)) or "none"
            raise query_error(
                f"Placeholder {{{name}}} has no value. Pass it in the query's `values` "
                f"(available: {available}).",
                node,
            )
        return _to_node(values[name], node)
    return {key: fill_placeholders(value, values) for key, value in node.items()}


def _to_node(value: object, at: dict[str, Any]) -> dict[str, Any]:
    position = {"start": at.get("start"), "end": at.get("end")}
    if value is None or isinstance(value, bool | int | float | str | datetime | date):
        return {"node": "Constant", "value": value, **position}
    if isinstance(value, list | tuple):
        kind = "Array" if isinstance(value, list) else "Tuple"
        return {"node": kind, "exprs": [_to_node(v, at) for v in value], **position}
    raise query_error(f"Unsupported placeholder value type: {type(value).__name__}", at)
