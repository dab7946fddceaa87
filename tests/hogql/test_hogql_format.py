"""Formatting HogQL with sqlparse without breaking HogQL syntax."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlparse
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.hogql import format as format_module
from workbench.hogql.format import FormatResult, format_hogql, format_hogql_checked
from workbench.hogql.tokens import Kind, tokenize


def signature(sql: str) -> list[tuple[Kind, str]]:
    """Non-whitespace tokens; keywords upper-cased; a line comment's trailing spaces dropped."""
    result = []
    for token in tokenize(sql):
        text = sql[token.start : token.end]
        if token.kind is Kind.WHITESPACE:
            continue
        if token.kind is Kind.KEYWORD:
            text = text.upper()
        if token.kind is Kind.COMMENT and not text.startswith("/*"):
            text = text.rstrip()
        result.append((token.kind, text))
    return result


def test_reindents_and_uppercases_keywords() -> None:
    sql = "select event, count() as c from events where x = 1 and y = 2 group by event"
    assert format_hogql(sql) == (
        "SELECT event,\n"
        "       count() AS c\n"
        "FROM events\n"
        "WHERE x = 1\n"
        "    AND y = 2\n"
        "GROUP BY event"
    )


@pytest.mark.parametrize(
    "fragment",
    [
        "properties.$current_url",
        "person.properties.$browser",
        "properties.`$feature/foo`",
        "{filters}",
        "{variables.limit}",
        "arrayMap(x -> x * 2, [1, 2])",
        "INTERVAL 7 day",
        "x::String",
        "'it''s'",
        r"'a\'b\\'",
        "-- a comment",
        "// a comment",
        "# a comment",
        "/* a\n   comment */",
        "a =~ 'b.*'",
        "0b101",
        "événement",
        '"quoted id"',
    ],
)
def test_hogql_syntax_survives(fragment: str) -> None:
    sql = f"select a, {fragment}\n, b from events where c = 1"
    result = format_hogql_checked(sql)
    assert result.error is None
    assert fragment in result.sql
    assert signature(result.sql) == signature(sql)


@pytest.mark.parametrize(
    "identifier",
    ["events", "timestamp", "event", "first", "day", "count", "key", "data", "user"],
)
def test_identifiers_keep_their_case(identifier: str) -> None:
    sql = f"select {identifier} as x from {identifier} as {identifier}"
    formatted = format_hogql(sql)
    assert formatted.count(identifier) == 3
    assert f"AS {identifier}" in formatted


def test_keyword_before_parenthesis_is_a_call_and_keeps_its_case() -> None:
    assert "and(a, b)" in format_hogql("select and(a, b) from t")
    assert "WHERE x IN (1," in format_hogql("select 1 from t where x in (1, 2)")


def test_multiple_statements() -> None:
    formatted = format_hogql("select 1;select 2;\n")
    assert formatted == "SELECT 1;\n\nSELECT 2;\n"


def test_line_comment_keeps_following_code_on_its_own_line() -> None:
    formatted = format_hogql("select a // note\n, b from t # x\nwhere c")
    assert "// note\n" in formatted
    assert "# x\n" in formatted
    assert signature(formatted) == signature("select a // note\n, b from t # x\nwhere c")


@pytest.mark.parametrize("sql", ["", "   \n", "-- only"])
def test_nothing_to_format(sql: str) -> None:
    assert format_hogql(sql).strip() == sql.strip()


def test_unsafe_output_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real_format = sqlparse.format

    def breaking_format(sql: str, **options: object) -> str:
        return str(real_format(sql, **options)).replace("-", "+", 1)

    monkeypatch.setattr(format_module.sqlparse, "format", breaking_format)
    sql = "select a - b from t"
    assert format_hogql_checked(sql) == FormatResult(
        sql, False, "formatting would change the query's tokens"
    )
    assert format_hogql(sql) == sql


def test_sqlparse_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_format(sql: str, **options: object) -> str:
        raise sqlparse.exceptions.SQLParseError("too many tokens")

    monkeypatch.setattr(format_module.sqlparse, "format", failing_format)
    result = format_hogql_checked("select 1")
    assert result.sql == "select 1"
    assert result.error is not None and "too many tokens" in result.error


def test_sentinel_lookalikes_in_input_are_kept() -> None:
    sql = "select __hq0__, '$x', __hqq1__ from t"
    assert signature(format_hogql(sql)) == signature(sql)


_PIECES = st.sampled_from(
    [
        "select a, b from events",
        "select count() as c from events where {filters} group by c order by c desc limit 5",
        "select properties.$browser, person.properties.`$x/y` from events",
        "select arrayMap(x -> x * 2, [1, 2]) as first",
        "select toStartOfDay(timestamp) as day from events where timestamp > now() - interval 7 day",
        "with a as (select 1) select * from a union all select 2",
        "select 'it''s;', \"q\" from t -- c",
        "select 1 /* block */ from t # hash",
        "select x from t where y in (select z from u limit 3) // slash",
        "select case when a then 1 else 2 end from t",
    ]
)
_QUERIES = st.lists(_PIECES, min_size=1, max_size=3).map(";\n".join)


@settings(max_examples=60, deadline=None)
@given(_QUERIES)
def test_format_is_token_equivalent_and_idempotent(sql: str) -> None:
    result = format_hogql_checked(sql)
    assert result.error is None
    assert signature(result.sql) == signature(sql)
    assert format_hogql(result.sql) == result.sql


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="selct *,()'\"`$x1-/#\n;{}.:=<>ab"))
def test_never_raises_and_never_changes_tokens(sql: str) -> None:
    result = format_hogql_checked(sql)
    assert signature(result.sql) == signature(sql)
    assert result.changed == (result.sql != sql)


def _without_positions(node: object) -> object:
    """The AST with source positions dropped (formatting moves text, not meaning)."""
    if isinstance(node, dict):
        return {k: _without_positions(v) for k, v in node.items() if k not in ("start", "end")}
    if isinstance(node, list):
        return [_without_positions(item) for item in node]
    return node


@settings(max_examples=40, deadline=None)
@given(_PIECES)
def test_formatted_query_parses_to_the_same_ast(
    parse_select: Callable[[str], dict[str, Any]], sql: str
) -> None:
    before = parse_select(sql)
    assert "error" not in before, before
    after = parse_select(format_hogql(sql))
    assert _without_positions(after) == _without_positions(before)
