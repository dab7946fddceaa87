"""Refuse any AST node or field the printer does not handle, so nothing is silently dropped.

The parser's JSON may carry constructs this translator does not print
(``groupArray(x ORDER BY y)``, ``WITH FILL``…). Printing without them would
answer a different question; this check turns each into a positioned HogQL error instead.
"""

from __future__ import annotations

from typing import Any

from workbench.server.hogql.errors import query_error

_POSITION = frozenset({"node", "start", "end"})
KNOWN_FIELDS: dict[str, frozenset[str]] = {
    kind: frozenset(fields.split()) | _POSITION
    for kind, fields in {
        "SelectQuery": "select select_from where prewhere group_by group_by_mode having qualify "
        "window_exprs order_by limit limit_by limit_with_ties offset distinct ctes "
        "array_join_op array_join_list view_name settings",
        "SelectSetQuery": "initial_select_query subsequent_select_queries limit offset",
        "SelectSetNode": "select_query set_operator",
        "CTE": "name expr cte_type columns",
        "JoinExpr": "table alias next_join join_type constraint table_args sample table_final",
        "JoinConstraint": "expr constraint_type",
        "Alias": "alias expr hidden",
        "And": "exprs",
        "Or": "exprs",
        "Not": "expr",
        "ArithmeticOperation": "left right op",
        "CompareOperation": "left right op is_null_comparison_style",
        "BetweenExpr": "expr low high negated",
        "Constant": "value value_type",
        "Field": "chain from_asterisk",
        "Placeholder": "expr chain field",
        "Array": "exprs",
        "Tuple": "exprs",
        "ArrayAccess": "array property nullish",
        "TupleAccess": "tuple index nullish",
        "Lambda": "args expr",
        "TypeCast": "expr type_name",
        "Call": "name args params distinct filter_expr",
        "WindowFunction": "name exprs args over_expr over_identifier",
        "WindowExpr": "partition_by order_by frame_method frame_start frame_end",
        "WindowFrameExpr": "frame_type frame_value",
        "OrderExpr": "expr order",
        "LimitByExpr": "n offset_value exprs",
        "GroupingSet": "exprs",
        "SampleExpr": "sample_value offset_value",  # refused by the printer, with its name
        "RatioExpr": "left right",
        "ArraySlice": "array start_expr end_expr",
        "ColumnsExpr": "regex",  # COLUMNS('re') only; EXCLUDE/REPLACE/lists are refused
    }.items()
}
"""Fields the printer reads, by node kind; any other non-empty field is refused."""

_DESCRIPTIONS = {
    ("Call", "order_by"): "ORDER BY inside a function call",
    ("OrderExpr", "with_fill"): "ORDER BY … WITH FILL",
    ("SelectQuery", "settings"): "SETTINGS",
}
"""Readable names for refused fields."""


def reject_unsupported_nodes(tree: Any) -> None:
    """Raise HogQLError at the first node kind or field outside ``KNOWN_FIELDS``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("node")
        if kind is None:  # a plain mapping such as window_exprs {name: WindowExpr}
            stack.extend(reversed(list(node.values())))
            continue
        known = KNOWN_FIELDS.get(str(kind))
        if known is None:
            raise query_error(f"Unsupported HogQL construct: {kind}", node)
        for field, value in node.items():
            if field not in known and value not in (None, False, [], {}):
                what = _DESCRIPTIONS.get((str(kind), field), f"{kind}.{field}")
                raise query_error(f"{what} is not supported", node)
            if field not in ("start", "end"):
                stack.append(value)
