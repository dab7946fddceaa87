"""Printing function calls and window functions (the call half of the expression printer).

HogQL-only helpers are rewritten by argument type as PostHog's printer does: ``now()`` →
``now64(6, 'UTC')``; ``toDate``/``toDateTime`` parse strings (``OrNull``) but convert dates;
``toInt``/``toFloat`` parse strings, cast known types; ``dateAdd('day', n, t)`` → interval
arithmetic; ``f(x) FILTER (WHERE c)`` → ``fIf(x, c)``; ``lag``/``lead`` → ``lagInFrame``/
``leadInFrame`` over the whole partition.
"""

from __future__ import annotations

from typing import Any

from workbench.server.hogql.errors import HogQLError, query_error
from workbench.server.hogql.functions import (
    TABLE_FUNCTIONS,
    WINDOW_ONLY,
    arity_error,
    find_function,
    unknown_function_message,
)
from workbench.server.hogql.literals import Printed, clickhouse_identifier

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


class CallPrinter:
    """Calls and windows; ``expr``/``sql`` come from the full expression printer."""

    in_join_constraint: bool = False

    def expr(self, node: dict[str, Any]) -> Printed:  # pragma: no cover - overridden
        raise NotImplementedError

    def sql(self, node: dict[str, Any]) -> str:
        return self.expr(node).sql

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
            raise query_error(unknown_function_message(name), node)
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
        if name.lower() == "exists":
            return self._exists(name, arg_nodes, node)
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

    def _exists(self, name: str, arg_nodes: list[dict[str, Any]], node: dict[str, Any]) -> Printed:
        """``EXISTS (SELECT …)``: the parser makes it ``exists(subquery)``, which ClickHouse
        runs as is for an uncorrelated subquery (a correlated one cannot resolve the outer
        names: "Unable to resolve field"). PostHog's function mapping entry for ``exists``
        was not found in its source; this follows the parser's grammar and ClickHouse."""
        kinds = ("SelectQuery", "SelectSetQuery")
        if len(arg_nodes) != 1 or arg_nodes[0].get("node") not in kinds:
            raise query_error(f"Function '{name}' expects a subquery: EXISTS (SELECT …)", node)
        return Printed(f"exists({self.expr(arg_nodes[0]).sql})", type="UInt8")

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


def _is_star(node: dict[str, Any]) -> bool:
    return node.get("node") == "Field" and node.get("chain") == ["*"]
