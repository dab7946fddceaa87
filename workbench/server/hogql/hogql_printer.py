"""Printing the JSON AST back as HogQL: PostHog's ``hogql`` response field and column names.

Operators print in function form (``equals(event, '$pageview')``, ``plus(1, 2)``) as
PostHog's HogQL printer does; ``pretty`` puts each clause on its own line, indented by 4.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workbench.server.hogql.literals import (
    ARITHMETIC,
    escape_string,
    hogql_identifier,
    number_literal,
)

_COMPARE = {
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
    "!~": "notMatch",
    "=~*": "imatch",
    "!~*": "notIMatch",
    "in cohort": "inCohort",
    "not in cohort": "notInCohort",
}
"""HogQL operators in PostHog's printed function form."""

_INDENT = "    "


def print_hogql_expr(node: dict[str, Any]) -> str:
    """One expression as HogQL (also the result column name of an unnamed expression)."""
    return _Printer(pretty=False).expr(node)


def print_hogql_query(node: dict[str, Any], *, pretty: bool = True) -> str:
    """A whole SELECT or set of SELECTs as HogQL."""
    return _Printer(pretty=pretty).query(node, 0)


class _Printer:
    def __init__(self, *, pretty: bool) -> None:
        self.pretty = pretty

    def query(self, node: dict[str, Any], depth: int) -> str:
        if node.get("node") == "SelectSetQuery":
            sep = f"\n{_INDENT * depth}" if self.pretty else " "
            own = [key for key in ("limit", "offset") if node.get(key) is not None]
            text = self._arm(node["initial_select_query"], depth, force=bool(own))
            for item in node.get("subsequent_select_queries") or []:
                arm = self._arm(item["select_query"], depth, force=bool(own))
                text += f"{sep}{item.get('set_operator')}{sep}{arm}"
            for key in own:
                text += f"{sep}{key.upper()} {self.expr(node[key])}"
            return text
        return self._select(node, depth)

    def _arm(self, node: dict[str, Any], depth: int, *, force: bool = False) -> str:
        """One arm of a set; parenthesised when nested, or when the set has its own LIMIT."""
        text = self.query(node, depth)
        return f"({text})" if force or node.get("node") == "SelectSetQuery" else text

    def _select(self, node: dict[str, Any], depth: int) -> str:
        clauses: list[tuple[str, list[str]]] = []
        ctes = node.get("ctes") or []
        ctes = list(ctes.values()) if isinstance(ctes, dict) else ctes
        if ctes:
            clauses.append(("WITH", [self._cte(c, depth) for c in ctes]))
        select = "SELECT DISTINCT" if node.get("distinct") else "SELECT"
        clauses.append((select, [self.expr(e, depth + 1) for e in node.get("select") or []]))
        if node.get("select_from"):
            clauses.append(("FROM", [self._joins(node["select_from"], depth + 1)]))
        if node.get("array_join_list"):
            op = str(node.get("array_join_op") or "ARRAY JOIN")
            clauses.append((op, [self.expr(e, depth + 1) for e in node["array_join_list"]]))
        for key, word in (("prewhere", "PREWHERE"), ("where", "WHERE")):
            if node.get(key):
                clauses.append((word, [self.expr(node[key], depth + 1)]))
        mode = str(node.get("group_by_mode") or "").upper()
        if node.get("group_by"):
            exprs = [self.expr(e, depth + 1) for e in node["group_by"]]
            if mode in ("ROLLUP", "CUBE"):
                exprs = [f"{mode}({', '.join(exprs)})"]
            elif mode == "GROUPING_SETS":
                exprs = [f"GROUPING SETS ({', '.join(exprs)})"]
            clauses.append(("GROUP BY", exprs))
        elif mode == "ALL":
            clauses.append(("GROUP BY", ["ALL"]))
        for key, word in (("having", "HAVING"), ("qualify", "QUALIFY")):
            if node.get(key):
                clauses.append((word, [self.expr(node[key], depth + 1)]))
        if node.get("window_exprs"):
            clauses.append(
                (
                    "WINDOW",
                    [
                        f"{hogql_identifier(n)} AS ({self._window(w, depth)})"
                        for n, w in node["window_exprs"].items()
                    ],
                )
            )
        if node.get("order_by"):
            clauses.append(("ORDER BY", [self._order(e, depth) for e in node["order_by"]]))
        lines = [self._clause(word, items, depth) for word, items in clauses]
        limit_by = node.get("limit_by")
        if limit_by:
            text = f"LIMIT {self.expr(limit_by['n'])}"
            if limit_by.get("offset_value") is not None:
                text += f" OFFSET {self.expr(limit_by['offset_value'])}"
            lines.append(
                text + " BY " + ", ".join(self.expr(e) for e in limit_by.get("exprs") or [])
            )
        if node.get("limit") is not None:
            lines.append(
                f"LIMIT {self.expr(node['limit'])}"
                + (" WITH TIES" if node.get("limit_with_ties") else "")
            )
        if node.get("offset") is not None:
            lines.append(f"OFFSET {self.expr(node['offset'])}")
        return (f"\n{_INDENT * depth}" if self.pretty else " ").join(lines)

    def _clause(self, word: str, items: list[str], depth: int) -> str:
        if not self.pretty:
            return f"{word} {', '.join(items)}"
        pad = _INDENT * (depth + 1)
        return f"{word}\n{pad}" + f",\n{pad}".join(items)

    def _sub(self, node: dict[str, Any], depth: int) -> str:
        """A parenthesised subquery; pretty: on its own lines, one level deeper."""
        if not self.pretty:
            return f"({self.query(node, depth)})"
        inner = _INDENT * (depth + 1)
        return f"(\n{inner}{self.query(node, depth + 1)}\n{_INDENT * depth})"

    def _cte(self, cte: dict[str, Any], depth: int) -> str:
        name = hogql_identifier(str(cte.get("name")))
        if cte.get("cte_type") == "subquery":
            return f"{name} AS {self._sub(cte['expr'], depth + 1)}"
        return f"{self.expr(cte['expr'], depth)} AS {name}"

    def _joins(self, join: dict[str, Any] | None, depth: int) -> str:
        parts: list[str] = []
        first = True
        while join is not None:
            table = join["table"]
            if table.get("node") in ("SelectQuery", "SelectSetQuery"):
                text = self._sub(table, depth)
            else:
                text = self.expr(table, depth)
            if join.get("table_args") is not None:
                text += "(" + ", ".join(self.expr(a) for a in join["table_args"]) + ")"
            if join.get("alias") is not None and join.get("alias") != text:
                text += f" AS {hogql_identifier(str(join['alias']))}"
            if join.get("table_final"):
                text += " FINAL"
            if not first:
                text = f"{join.get('join_type') or 'JOIN'} {text}"
                constraint = join.get("constraint")
                if constraint is not None:
                    text += f" {constraint.get('constraint_type', 'ON')} {self.expr(constraint['expr'], depth)}"
            parts.append(text)
            first = False
            join = join.get("next_join")
        return (f"\n{_INDENT * depth}" if self.pretty else " ").join(parts)

    def _order(self, node: dict[str, Any], depth: int = 0) -> str:
        return f"{self.expr(node['expr'], depth + 1)} {'DESC' if node.get('order') == 'DESC' else 'ASC'}"

    def _window(self, node: dict[str, Any], depth: int = 0) -> str:
        parts: list[str] = []
        if node.get("partition_by"):
            parts.append("PARTITION BY " + ", ".join(self.expr(e) for e in node["partition_by"]))
        if node.get("order_by"):
            parts.append("ORDER BY " + ", ".join(self._order(e) for e in node["order_by"]))
        if node.get("frame_method"):
            start = _frame(node.get("frame_start"))
            if node.get("frame_end"):
                parts.append(
                    f"{node['frame_method']} BETWEEN {start} AND {_frame(node['frame_end'])}"
                )
            else:
                parts.append(f"{node['frame_method']} {start}")
        return " ".join(parts)

    def expr(self, node: dict[str, Any], depth: int = 0) -> str:
        kind = node.get("node")
        if kind == "Constant":
            return _constant(node)
        if kind == "Field":
            return ".".join(
                "*" if p == "*" else (str(p) if isinstance(p, int) else hogql_identifier(str(p)))
                for p in node.get("chain") or []
            )
        if kind == "Alias":
            return f"{self.expr(node['expr'], depth)} AS {hogql_identifier(str(node['alias']))}"
        if kind == "ArithmeticOperation":
            name = ARITHMETIC.get(node.get("op", ""), str(node.get("op")))
            return f"{name}({self.expr(node['left'], depth)}, {self.expr(node['right'], depth)})"
        if kind == "CompareOperation" and node.get("is_null_comparison_style"):
            check = "isNull" if node.get("op") == "==" else "isNotNull"
            return f"{check}({self.expr(node['left'], depth)})"
        if kind == "CompareOperation":
            name = _COMPARE.get(node.get("op", ""), str(node.get("op")))
            return f"{name}({self.expr(node['left'], depth)}, {self.expr(node['right'], depth)})"
        if kind in ("And", "Or"):
            return (
                f"{kind.lower()}({', '.join(self.expr(e, depth) for e in node.get('exprs') or [])})"
            )
        if kind == "Not":
            return f"not({self.expr(node['expr'], depth)})"
        if kind == "BetweenExpr":
            neg = "NOT " if node.get("negated") else ""
            return (
                f"{self.expr(node['expr'], depth)} {neg}BETWEEN {self.expr(node['low'], depth)} "
                f"AND {self.expr(node['high'], depth)}"
            )
        if kind == "GroupingSet":
            return f"({', '.join(self.expr(e, depth) for e in node.get('exprs') or [])})"
        if kind == "Tuple":
            return f"tuple({', '.join(self.expr(e, depth) for e in node.get('exprs') or [])})"
        if kind == "Array":
            return f"[{', '.join(self.expr(e, depth) for e in node.get('exprs') or [])}]"
        if kind == "ArrayAccess":
            return f"{self.expr(node['array'], depth)}[{self.expr(node['property'], depth)}]"
        if kind == "ArraySlice":
            start, end = node.get("start_expr"), node.get("end_expr")
            bounds = [self.expr(b, depth) if b is not None else "" for b in (start, end)]
            return f"{self.expr(node['array'], depth)}[{bounds[0]}:{bounds[1]}]"
        if kind == "ColumnsExpr":  # PostHog echoes the expansion; the pattern is shorter
            return f"COLUMNS({escape_string(str(node.get('regex') or ''))})"
        if kind == "TupleAccess":
            return f"{self.expr(node['tuple'], depth)}.{node.get('index')}"
        if kind == "Lambda":
            args = [hogql_identifier(str(a)) for a in node.get("args") or []]
            head = args[0] if len(args) == 1 else f"({', '.join(args)})"
            return f"{head} -> {self.expr(node['expr'], depth)}"
        if kind == "TypeCast":
            return f"{self.expr(node['expr'], depth)}::{node.get('type_name')}"
        if kind == "Placeholder":
            return "{" + self.expr(node.get("expr") or {"node": "Field", "chain": []}) + "}"
        if kind in ("SelectQuery", "SelectSetQuery"):
            return self._sub(node, depth)
        if kind == "Call":
            return self._call(node, depth)
        if kind == "WindowFunction":
            return self._window_function(node, depth)
        return f"<{kind}>"

    def _call(self, node: dict[str, Any], depth: int) -> str:
        args = ", ".join(self.expr(a, depth) for a in node.get("args") or [])
        if node.get("distinct"):
            args = f"DISTINCT {args}"
        params = node.get("params")
        head = str(node.get("name"))
        if params is not None:
            head += "(" + ", ".join(self.expr(p, depth) for p in params) + ")"
        text = f"{head}({args})"
        if node.get("filter_expr") is not None:
            text += f" FILTER (WHERE {self.expr(node['filter_expr'], depth)})"
        return text

    def _window_function(self, node: dict[str, Any], depth: int) -> str:
        if node.get("args"):
            params, args = node.get("exprs") or [], node.get("args") or []
            head = f"{node.get('name')}({', '.join(self.expr(p) for p in params)})"
        else:
            args, head = node.get("exprs") or [], str(node.get("name"))
        over = (
            hogql_identifier(str(node["over_identifier"]))
            if node.get("over_identifier")
            else f"({self._window(node.get('over_expr') or {}, depth)})"
        )
        return f"{head}({', '.join(self.expr(a, depth) for a in args)}) OVER {over}"


def _frame(node: dict[str, Any] | None) -> str:
    node = node or {}
    if node.get("frame_type") == "CURRENT ROW":
        return "CURRENT ROW"
    value = node.get("frame_value")
    return f"{value if value is not None else 'UNBOUNDED'} {node.get('frame_type')}"


def _constant(node: dict[str, Any]) -> str:
    value = node.get("value")
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if node.get("value_type") == "number" and isinstance(value, str):
        return {"Infinity": "Inf", "-Infinity": "-Inf"}.get(value, "NaN")
    if isinstance(value, int | float):
        return number_literal(value)
    if isinstance(value, datetime | date):
        return escape_string(value.isoformat())
    if isinstance(value, list):
        return "[" + ", ".join(_constant({"value": v}) for v in value) + "]"
    return escape_string(str(value))
