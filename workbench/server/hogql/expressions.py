"""Printing HogQL expressions as ClickHouse SQL (the part of the printer below SELECT).

Comparisons follow PostHog's null semantics: when either side may be NULL, ``=`` becomes
``ifNull(equals(a, b), 0)`` (``isNull(a)`` against a NULL constant), ``!=`` defaults to 1,
so ``properties.$x != 'a'`` keeps events without the property, as in PostHog.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workbench.server.hogql.errors import HogQLError, query_error
from workbench.server.hogql.functions import (
    TABLE_FUNCTIONS,
    WINDOW_ONLY,
    arity_error,
    find_function,
)
from workbench.server.hogql.literals import (
    Printed,
    clickhouse_identifier,
    datetime_literal,
    number_literal,
)
from workbench.server.hogql.scope import Scope, property_access, resolve_chain

ARITHMETIC = {"+": "plus", "-": "minus", "*": "multiply", "/": "divide", "%": "modulo"}
"""HogQL arithmetic operators → ClickHouse functions (PostHog prints the function form)."""

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

_NEVER_NULL = frozenset(
    {
        "count",
        "countIf",
        "uniq",
        "uniqIf",
        "uniqExact",
        "uniqExactIf",
        "uniqHLL12",
        "uniqCombined",
        "uniqTheta",
        "isNull",
        "isNotNull",
        "groupArray",
        "groupUniqArray",
        "groupArrayIf",
        "groupUniqArrayIf",
        "ifNull",
        "coalesce",
        "assumeNotNull",
        "length",
        "empty",
        "notEmpty",
        "toTypeName",
        "now64",
        "today",
        "yesterday",
        "tuple",
        "array",
        "retention",
        "windowFunnel",
        "sequenceMatch",
        "sequenceCount",
        "topK",
        "has",
        "row_number",
        "rank",
        "dense_rank",
        "JSONHas",
        "JSONExtractString",
        "JSONExtractInt",
        "JSONExtractFloat",
        "JSONExtractBool",
        "JSONExtractRaw",
        "JSONExtractKeys",
        "JSONExtractArrayRaw",
        "JSONLength",
        "JSONExtractUInt",
    }
)
"""ClickHouse functions whose result is never NULL, whatever their arguments."""

_ALWAYS_NULL = frozenset(
    {
        "toInt64OrNull",
        "toFloat64OrNull",
        "toDecimal64OrNull",
        "toUUIDOrNull",
        "toDateOrNull",
        "parseDateTime64BestEffortOrNull",
        "parseDateTimeOrNull",
        "nullIf",
        "toNullable",
        "toDateTimeOrNull",
    }
)
"""Functions returning Nullable results."""

_INTERVALS = {
    unit: f"toInterval{name}"
    for name, units in {
        "Second": ("second", "seconds", "ss", "s"),
        "Minute": ("minute", "minutes", "mi", "n"),
        "Hour": ("hour", "hours", "hh", "h"),
        "Day": ("day", "days", "dd", "d"),
        "Week": ("week", "weeks", "wk", "ww"),
        "Month": ("month", "months", "mm", "m"),
        "Quarter": ("quarter", "quarters", "qq", "q"),
        "Year": ("year", "years", "yyyy", "yy"),
    }.items()
    for unit in units
}
"""Date units HogQL accepts as strings → ClickHouse interval constructors."""
_CONVERSIONS = {
    "toInt": ("toInt64OrNull", "toInt64", "Int64"),
    "toFloat": ("toFloat64OrNull", "toFloat64", "Float64"),
    "toUUID": ("toUUIDOrNull", "toUUID", "UUID"),
}
"""HogQL conversions: (on strings, on known other types, target type for accurateCastOrNull)."""
_STRING_TYPES = ("String", "Nullable(String)")
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


class ExpressionPrinter:
    """Expression half of the ClickHouse printer; the SELECT half subclasses it."""

    scope: Scope
    in_join_constraint: bool = False

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
        return resolve_chain(self.scope, chain, node, self.expr, self.quote)

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
            raise query_error("Cohorts are not supported by the local server", node)
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

    # --- calls --------------------------------------------------------------------------
    def _print_Call(self, node: dict[str, Any]) -> Printed:
        name = str(node.get("name"))
        arg_nodes = node.get("args") or []
        if name == "_caseWithExpression":
            return self._case_with_expression(node, arg_nodes)
        if name == "count" and len(arg_nodes) == 1 and _is_star(arg_nodes[0]):
            arg_nodes = []
        special = self._special_call(name, arg_nodes, node)
        if special is not None:
            return special
        spec = find_function(name)
        if spec is None:
            if name in TABLE_FUNCTIONS:
                raise query_error(f"Table functions are not supported: '{name}(...)'", node)
            raise query_error(f"Unsupported function call '{name}(...)'", node)
        if spec.name in WINDOW_ONLY and not node.get("_in_window"):
            raise query_error(f"Window function '{name}' needs an OVER clause", node)
        param_nodes = node.get("params")
        if param_nodes is not None and (spec.max_params == 0 and spec.min_params == 0):
            raise query_error(f"Function '{name}' does not accept parameters", node)
        for found, term in ((len(arg_nodes), "argument"), (len(param_nodes or []), "parameter")):
            if term == "parameter" and param_nodes is None and spec.min_params == 0:
                continue
            message = arity_error(spec, found, term=term)
            if message:
                raise query_error(message, node)
        args = [self.expr(a) for a in arg_nodes]
        ch_name = spec.clickhouse_name
        if node.get("filter_expr") is not None:
            if not spec.aggregate:
                raise query_error(f"FILTER is only allowed on aggregate functions: {name}", node)
            args.append(self.expr(node["filter_expr"]))
            ch_name = ch_name + "If" if not ch_name.endswith("If") else ch_name
        distinct = "DISTINCT " if node.get("distinct") else ""
        if distinct and not spec.aggregate:
            raise query_error(f"DISTINCT is only allowed in aggregate functions: {name}", node)
        params = ""
        if param_nodes is not None:
            params = "(" + ", ".join(self.sql(p) for p in param_nodes) + ")"
        nullable = self._call_nullable(ch_name, args)
        return Printed(f"{ch_name}{params}({distinct}{', '.join(a.sql for a in args)})", nullable)

    @staticmethod
    def _call_nullable(ch_name: str, args: list[Printed]) -> bool:
        if ch_name in _NEVER_NULL:
            return ch_name == "ifNull" and all(a.nullable for a in args)
        if ch_name in _ALWAYS_NULL:
            return True
        return any(a.nullable for a in args)

    def _special_call(
        self, name: str, arg_nodes: list[dict[str, Any]], node: dict[str, Any]
    ) -> Printed | None:
        """HogQL helpers whose ClickHouse form depends on the argument type (as PostHog)."""
        if name in ("now", "NOW"):
            if arg_nodes:
                raise query_error(
                    f"Function '{name}' expects 0 arguments, found {len(arg_nodes)}", node
                )
            return Printed("now64(6, 'UTC')", type="DateTime64(6, 'UTC')")
        if name in ("dateAdd", "dateSub", "date_add", "date_sub") and len(arg_nodes) == 3:
            return self._date_shift(name, arg_nodes, node)
        if name in _CONVERSIONS and len(arg_nodes) == 1:
            return self._conversion(name, self.expr(arg_nodes[0]))
        if name not in ("toDate", "toDateTime"):
            return None
        if not 1 <= len(arg_nodes) <= 2:
            raise query_error(f"Function '{name}' expects 1 argument, found {len(arg_nodes)}", node)
        arg = self.expr(arg_nodes[0])
        tz = self.sql(arg_nodes[1]) if len(arg_nodes) == 2 else "'UTC'"
        stringy = arg.type in _STRING_TYPES
        if name == "toDate":
            sql = f"toDateOrNull({arg.sql})" if stringy else f"toDate({arg.sql})"
            return Printed(sql, stringy or arg.nullable, type="Date")
        if stringy:
            return Printed(
                f"parseDateTime64BestEffortOrNull({arg.sql}, 6, {tz})",
                True,
                type="DateTime64(6, 'UTC')",
            )
        return Printed(f"toDateTime({arg.sql}, {tz})", arg.nullable, type="DateTime('UTC')")

    @staticmethod
    def _conversion(name: str, arg: Printed) -> Printed:
        """``toInt``/``toFloat``/…: the ``OrNull`` parser on strings (as PostHog prints it), a
        plain cast on known non-strings, and ``accurateCastOrNull`` when the type is unknown
        (ClickHouse's ``OrNull`` functions reject non-string arguments)."""
        or_null, plain, target = _CONVERSIONS[name]
        if arg.type in _STRING_TYPES:
            return Printed(f"{or_null}({arg.sql})", True, type=f"Nullable({target})")
        if arg.type is not None:
            return Printed(f"{plain}({arg.sql})", arg.nullable, type=target)
        return Printed(
            f"accurateCastOrNull({arg.sql}, '{target}')", True, type=f"Nullable({target})"
        )

    def _date_shift(
        self, name: str, arg_nodes: list[dict[str, Any]], node: dict[str, Any]
    ) -> Printed:
        """``dateAdd('day', n, t)`` → ``plus(t, toIntervalDay(n))``: ClickHouse's dateAdd
        takes the unit only as a bare keyword, HogQL passes it as a string."""
        unit = arg_nodes[0].get("value") if arg_nodes[0].get("node") == "Constant" else None
        interval = _INTERVALS.get(str(unit).lower()) if isinstance(unit, str) else None
        if interval is None:
            raise query_error(f"Function '{name}' needs a constant unit such as 'day'", node)
        amount, moment = self.expr(arg_nodes[1]), self.expr(arg_nodes[2])
        function = "plus" if name in ("dateAdd", "date_add") else "minus"
        return Printed(
            f"{function}({moment.sql}, {interval}({amount.sql}))",
            amount.nullable or moment.nullable,
            type=moment.type,
        )

    def _case_with_expression(self, node: dict[str, Any], args: list[dict[str, Any]]) -> Printed:
        if len(args) < 4 or len(args) % 2 != 0:
            raise query_error("CASE needs at least one WHEN … THEN … and an ELSE", node)
        subject = self.expr(args[0])
        parts: list[str] = []
        for when, then in zip(args[1:-1:2], args[2:-1:2], strict=True):
            parts += [f"ifNull(equals({subject.sql}, {self.sql(when)}), 0)", self.sql(then)]
        parts.append(self.sql(args[-1]))
        return Printed(f"multiIf({', '.join(parts)})", True)

    # --- windows ------------------------------------------------------------------------
    def _print_WindowFunction(self, node: dict[str, Any]) -> Printed:
        name = str(node.get("name"))
        if node.get("args"):
            params, arg_nodes = node.get("exprs") or [], node.get("args") or []
        else:
            params, arg_nodes = [], node.get("exprs") or []
        call: dict[str, Any] = {
            "_in_window": True,
            "node": "Call",
            "name": name,
            "args": arg_nodes,
            "start": node.get("start"),
            "end": node.get("end"),
        }
        if params:
            call["params"] = params
        printed = self._print_Call(call)
        if node.get("over_identifier"):
            over = clickhouse_identifier(str(node["over_identifier"]))
        else:
            window = dict(node.get("over_expr") or {"node": "WindowExpr"})
            if name in ("lag", "lead", "lagInFrame", "leadInFrame") and not window.get(
                "frame_method"
            ):
                window["frame_method"] = "ROWS"
                window["frame_start"] = {"frame_type": "PRECEDING"}
                window["frame_end"] = {"frame_type": "FOLLOWING"}
            over = f"({self.window_expr(window)})"
        return Printed(f"{printed.sql} OVER {over}", True)

    def window_expr(self, node: dict[str, Any]) -> str:
        parts: list[str] = []
        if node.get("partition_by"):
            parts.append("PARTITION BY " + ", ".join(self.sql(e) for e in node["partition_by"]))
        if node.get("order_by"):
            parts.append("ORDER BY " + ", ".join(self.order_expr(e) for e in node["order_by"]))
        if node.get("frame_method"):
            method = "ROWS" if node["frame_method"] == "ROWS" else "RANGE"
            start = _frame(node.get("frame_start"))
            if node.get("frame_end"):
                parts.append(f"{method} BETWEEN {start} AND {_frame(node['frame_end'])}")
            else:
                parts.append(f"{method} {start}")
        return " ".join(parts)

    def order_expr(self, node: dict[str, Any]) -> str:
        if node.get("with_fill") is not None:
            raise query_error("ORDER BY … WITH FILL is not supported", node)
        direction = "DESC" if node.get("order") == "DESC" else "ASC"
        return f"{self.sql(node['expr'])} {direction}"


def _frame(node: dict[str, Any] | None) -> str:
    node = node or {}
    kind = node.get("frame_type")
    if kind == "CURRENT ROW":
        return "CURRENT ROW"
    if kind not in ("PRECEDING", "FOLLOWING"):
        raise HogQLError(f"Unsupported window frame: {kind}")
    value = node.get("frame_value")
    return f"{int(value)} {kind}" if value is not None else f"UNBOUNDED {kind}"


def _const(value: object) -> dict[str, Any]:
    return {"node": "Constant", "value": value}


def _is_constant(node: dict[str, Any]) -> bool:
    return node.get("node") == "Constant"


def _is_null_constant(node: dict[str, Any]) -> bool:
    return node.get("node") == "Constant" and node.get("value") is None


def _is_star(node: dict[str, Any]) -> bool:
    return node.get("node") == "Field" and node.get("chain") == ["*"]
