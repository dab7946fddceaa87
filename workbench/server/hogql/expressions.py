"""Printing HogQL expressions as ClickHouse SQL (the part of the printer below SELECT).

Comparisons follow PostHog's null semantics: when either side may be NULL, ``=`` becomes
``ifNull(equals(a, b), 0)`` (``isNull(a)`` against a NULL constant), ``!=`` defaults to 1,
so ``properties.$x != 'a'`` keeps events without the property, as in PostHog.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workbench.server.hogql.constructs import ConstructPrinter, cohort_error
from workbench.server.hogql.errors import node_span, query_error
from workbench.server.hogql.literals import (
    ARITHMETIC,
    Printed,
    clickhouse_identifier,
    datetime_literal,
    hogql_identifier,
    number_literal,
)
from workbench.server.hogql.scope import Scope, property_access, resolve_chain

COMPARISONS = {
    "==": "equals",
    "!=": "notEquals",
    "<": "less",
    ">": "greater",
    "<=": "lessOrEquals",
    ">=": "greaterOrEquals",
    "like": "like",
    "ilike": "ilike",
    "not like": "notLike",
    "not ilike": "notILike",
    "in": "in",
    "not in": "notIn",
    "global in": "globalIn",
    "global not in": "globalNotIn",
    "=~": "match",
    "=~*": "match",
    "!~": "match",
    "!~*": "match",
}
"""HogQL comparison operators → ClickHouse functions."""

_POSITIVE_OPS = {"==", "like", "ilike", "in", "global in", "=~", "=~*"}
_NEGATIVE_OPS = {"!=", "not like", "not ilike", "not in", "global not in", "!~", "!~*"}

_CAST_FUNCTIONS = {
    "string": "toString",
    "int": "toInt64",
    "integer": "toInt64",
    "float": "toFloat64",
    "double": "toFloat64",
    "date": "toDate",
    "datetime": "toDateTime",
    "uuid": "toUUID",
    "bool": "toBool",
    "boolean": "toBool",
}
"""``x::type`` casts → conversion functions."""


class ExpressionPrinter(ConstructPrinter):
    """Expression half of the ClickHouse printer; the SELECT half subclasses it."""

    scope: Scope
    in_join_constraint: bool = False
    notices: list[dict[str, Any]]
    """PostHog's metadata notices ``{message, start, end, fix}``, in printing order."""

    def add_notice(self, message: str, start: int, end: int, fix: str | None = None) -> None:
        """Record a notice once (a column CTE printed twice would repeat it)."""
        notice = {"message": message, "start": start, "end": end, "fix": fix}
        if notice not in self.notices:
            self.notices.append(notice)

    def quote(self, value: str) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def print_subquery(self, node: dict[str, Any]) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def expr(self, node: dict[str, Any]) -> Printed:
        kind = node.get("node")
        method = getattr(self, f"_print_{kind}", None)
        if method is None:
            raise query_error(f"Unsupported HogQL construct: {kind}", node)
        result: Printed = method(node)
        return result

    def sql(self, node: dict[str, Any]) -> str:
        return self.expr(node).sql

    # --- leaves -------------------------------------------------------------------------
    def _print_Constant(self, node: dict[str, Any]) -> Printed:
        value = node.get("value")
        if value is None:
            return Printed("NULL", nullable=True)
        if isinstance(value, bool):
            return Printed("true" if value else "false", type="Bool")
        if node.get("value_type") == "number" and isinstance(value, str):
            return Printed({"Infinity": "inf", "-Infinity": "-inf"}.get(value, "nan"))
        if isinstance(value, int | float):
            return Printed(
                number_literal(value), type="Int64" if isinstance(value, int) else "Float64"
            )
        if isinstance(value, datetime | date):
            return Printed(datetime_literal(value), type="DateTime64(6, 'UTC')")
        if isinstance(value, str):
            return Printed(self.quote(value), type="String")
        if isinstance(value, list):
            return Printed("[" + ", ".join(self.sql(_const(v)) for v in value) + "]")
        raise query_error(f"Unsupported constant: {value!r}", node)

    def _print_Field(self, node: dict[str, Any]) -> Printed:
        chain = node.get("chain") or []
        if chain and chain[-1] == "*":
            raise query_error("Unexpected '*' in an expression", node)
        printed = resolve_chain(self.scope, chain, node, self.expr, self.quote)
        if printed.typed_property is not None:
            self._property_notice(node, printed.typed_property)
        return printed

    def _property_notice(self, node: dict[str, Any], typed: tuple[str, str, str]) -> None:
        """PostHog's property-type notice (``transforms/property_types.py``), spanning only
        the chain's last part as written: ``max(start, end - len(escaped last part))``."""
        start, end = node_span(node)
        if start is None or end is None:  # no position: a node from placeholders/filters
            return
        owner, key, type_name = typed
        last = node["chain"][-1]
        width = len(hogql_identifier(last)) if isinstance(last, str) else len(str(last))
        self.add_notice(
            f"{owner.capitalize()} property '{key}' is of type '{type_name}'.",
            max(start, end - width),
            end,
        )

    def _print_Placeholder(self, node: dict[str, Any]) -> Printed:
        name = ".".join(str(part) for part in (node.get("expr") or {}).get("chain") or [])
        raise query_error(f"Unresolved placeholder: {{{name}}}", node)

    # --- operators ----------------------------------------------------------------------
    def _print_Alias(self, node: dict[str, Any]) -> Printed:
        alias = node["alias"]
        self.scope.aliases_in_progress.add(alias)
        try:
            inner = self.expr(node["expr"])
        finally:
            self.scope.aliases_in_progress.discard(alias)
        self.scope.aliases[alias] = inner
        if node.get("hidden"):
            return inner
        return Printed(
            f"{inner.sql} AS {clickhouse_identifier(alias)}", inner.nullable, inner.type, inner.json
        )

    def _print_ArithmeticOperation(self, node: dict[str, Any]) -> Printed:
        left, right = self.expr(node["left"]), self.expr(node["right"])
        name = ARITHMETIC.get(node.get("op", ""))
        if name is None:
            raise query_error(f"Unsupported arithmetic operator: {node.get('op')}", node)
        return Printed(f"{name}({left.sql}, {right.sql})", left.nullable or right.nullable)

    def _print_And(self, node: dict[str, Any]) -> Printed:
        return self._logical("and", node)

    def _print_Or(self, node: dict[str, Any]) -> Printed:
        return self._logical("or", node)

    def _logical(self, name: str, node: dict[str, Any]) -> Printed:
        parts = [self.expr(e) for e in node.get("exprs") or []]
        if len(parts) == 1:
            return parts[0]
        return Printed(f"{name}({', '.join(p.sql for p in parts)})", any(p.nullable for p in parts))

    def _print_Not(self, node: dict[str, Any]) -> Printed:
        inner = self.expr(node["expr"])
        return Printed(f"not({inner.sql})", inner.nullable)

    def _print_CompareOperation(self, node: dict[str, Any]) -> Printed:
        op = node.get("op", "")
        if op in ("in cohort", "not in cohort"):
            raise cohort_error(node)
        name = COMPARISONS.get(op)
        if name is None:
            raise query_error(f"Unsupported comparison operator: {op}", node)
        left = self.expr(node["left"])
        right_node = node["right"]
        if op in ("in", "not in", "global in", "global not in") and right_node.get("node") in (
            "SelectQuery",
            "SelectSetQuery",
        ):
            right = Printed(f"({self.print_subquery(right_node)})")
        else:
            right = self.expr(right_node)
        right_sql = right.sql
        if op in ("=~*", "!~*"):
            right_sql = f"concat('(?i)', {right_sql})"
        call = f"{name}({left.sql}, {right_sql})"
        if op in ("!~", "!~*"):
            call = f"not({call})"
        if op in ("==", "!="):
            check = "isNull" if op == "==" else "isNotNull"
            if _is_null_constant(right_node):
                return Printed(f"{check}({left.sql})")
            if _is_null_constant(node["left"]):
                return Printed(f"{check}({right.sql})")
        if not (left.nullable or right.nullable) or self.in_join_constraint:
            return Printed(call)
        if op in _POSITIVE_OPS:
            if op == "==" and _is_constant(node["left"]) is _is_constant(right_node) is False:
                return Printed(f"ifNull({call}, and(isNull({left.sql}), isNull({right.sql})))")
            return Printed(f"ifNull({call}, 0)")
        if op in _NEGATIVE_OPS:
            if op == "!=" and _is_constant(node["left"]) is _is_constant(right_node) is False:
                return Printed(f"ifNull({call}, or(isNotNull({left.sql}), isNotNull({right.sql})))")
            return Printed(f"ifNull({call}, 1)")
        return Printed(f"ifNull({call}, 0)")

    def _print_BetweenExpr(self, node: dict[str, Any]) -> Printed:
        expr, low, high = (self.expr(node[k]) for k in ("expr", "low", "high"))
        negated = "NOT " if node.get("negated") else ""
        return Printed(
            f"({expr.sql} {negated}BETWEEN {low.sql} AND {high.sql})",
            expr.nullable or low.nullable or high.nullable,
        )

    def _print_Tuple(self, node: dict[str, Any]) -> Printed:
        parts = [self.expr(e) for e in node.get("exprs") or []]
        return Printed(f"tuple({', '.join(p.sql for p in parts)})")

    def _print_GroupingSet(self, node: dict[str, Any]) -> Printed:
        parts = [self.expr(e) for e in node.get("exprs") or []]
        return Printed(f"({', '.join(p.sql for p in parts)})")

    def _print_Array(self, node: dict[str, Any]) -> Printed:
        parts = [self.expr(e) for e in node.get("exprs") or []]
        return Printed(f"[{', '.join(p.sql for p in parts)}]")

    def _print_ArrayAccess(self, node: dict[str, Any]) -> Printed:
        array = self.expr(node["array"])
        key_node = node["property"]
        key = key_node.get("value") if key_node.get("node") == "Constant" else None
        if array.json is not None and isinstance(key, str | int) and not isinstance(key, bool):
            return property_access(array, (key,), self.quote)
        index = self.expr(key_node)
        return Printed(f"{array.sql}[{index.sql}]", True)

    def _print_TupleAccess(self, node: dict[str, Any]) -> Printed:
        base = self.expr(node["tuple"])
        index = node.get("index")
        if base.json is not None and isinstance(index, int):
            return property_access(base, (index,), self.quote)
        return Printed(f"tupleElement({base.sql}, {int(index or 0)})", base.nullable)

    def _print_Lambda(self, node: dict[str, Any]) -> Printed:
        args = [str(a) for a in node.get("args") or []]
        self.scope.lambda_args.append(set(args))
        try:
            body = self.expr(node["expr"])
        finally:
            self.scope.lambda_args.pop()
        names = ", ".join(clickhouse_identifier(a) for a in args)
        head = names if len(args) == 1 else f"({names})"
        return Printed(f"{head} -> {body.sql}", body.nullable)

    def _print_TypeCast(self, node: dict[str, Any]) -> Printed:
        function = _CAST_FUNCTIONS.get(str(node.get("type_name", "")).lower())
        if function is None:
            raise query_error(f"Unsupported type cast: {node.get('type_name')}", node)
        inner = self.expr(node["expr"])
        return Printed(f"{function}({inner.sql})", inner.nullable)

    def _print_SelectQuery(self, node: dict[str, Any]) -> Printed:
        return Printed(f"({self.print_subquery(node)})", True)

    _print_SelectSetQuery = _print_SelectQuery


def _const(value: object) -> dict[str, Any]:
    return {"node": "Constant", "value": value}


def _is_constant(node: dict[str, Any]) -> bool:
    return node.get("node") == "Constant"


def _is_null_constant(node: dict[str, Any]) -> bool:
    return node.get("node") == "Constant" and node.get("value") is None
