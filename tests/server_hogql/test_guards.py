"""Pathological query shapes are refused before the parser (which holds the GIL) sees them."""

from __future__ import annotations

import pytest

from workbench.server.hogql import HogQLError, translate_hogql
from workbench.server.hogql.guards import (
    MAX_CHAIN,
    MAX_NESTING,
    MAX_OPERATORS,
    MAX_QUERY_LENGTH,
)


@pytest.mark.parametrize(
    ("query", "message", "start"),
    [
        (
            "select " + "abs(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1),
            "Query is too deeply nested",
            7 + 4 * MAX_NESTING + 3,
        ),
        (
            "select 1" + " + 1" * (MAX_OPERATORS + 1),
            "Query has too many operators",
            8 + 4 * MAX_OPERATORS + 1,
        ),
        ("select 1" + " + 1" * 20_000, "Query has too many operators", 8 + 4 * MAX_OPERATORS + 1),
        ("select 1 -- " + "x" * MAX_QUERY_LENGTH, "Query is too long", MAX_QUERY_LENGTH),
        ("select x" + ".a" * 3000 + " from events", "Field chain is too long", 7),
    ],
)
def test_pathological_shapes_are_refused_with_a_position(
    query: str, message: str, start: int
) -> None:
    with pytest.raises(HogQLError) as caught:
        translate_hogql(query, team_id=1)
    assert caught.value.message.startswith(message)
    assert caught.value.code == "hogql_error"
    assert caught.value.start == start


def test_limits_leave_room_for_real_queries() -> None:
    nested = "select " + "abs(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert translate_hogql(nested, team_id=1).columns
    chained = "select 1" + " + 1" * (MAX_OPERATORS - 1)
    assert translate_hogql(chained, team_id=1).columns
    long_property = "select properties" + ".a" * (MAX_CHAIN - 1) + " from events"
    assert translate_hogql(long_property, team_id=1).columns == ["a"]


def test_brackets_and_operators_inside_strings_and_comments_do_not_count() -> None:
    query = "select '" + "((+" * 300 + "' /* " + "[[-" * 300 + " */"
    assert translate_hogql(query, team_id=1).columns
