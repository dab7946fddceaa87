"""The HogQL Pygments lexer: token types, plugin registration, and robustness."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    Text,
    _TokenType,
)

from workbench.hogql.lexer import HogQLLexer, make_lexer

LEXER = make_lexer()


def significant(text: str) -> list[tuple[_TokenType, str]]:
    """(type, value) of every token but whitespace."""
    return [
        (ttype, value)
        for _, ttype, value in LEXER.get_tokens_unprocessed(text)
        if value.strip() and ttype not in (Text.Whitespace,)
    ]


def type_of(text: str, value: str) -> _TokenType:
    """The token type of the (first) token whose value is ``value``."""
    for ttype, token in significant(text):
        if token == value:
            return ttype
    raise AssertionError(f"{value!r} not a token of {text!r}: {significant(text)}")


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("SELECT 1", "SELECT", Keyword),
        ("select 1", "select", Keyword),
        ("select a from t limit 5 by b", "by", Keyword),
        ("select a from t array join b", "array", Keyword),
        ("select count() from t group by a with totals", "totals", Keyword),
        ("select * from t prewhere x", "prewhere", Keyword),
        ("where x global in (1)", "global", Operator.Word),
        ("where x ilike '%a'", "ilike", Operator.Word),
        ("where x is not null", "null", Keyword.Constant),
        ("select true, inf", "true", Keyword.Constant),
        ("now() - interval 7 day", "day", Keyword),
        ("now() - INTERVAL 2 WEEKS", "WEEKS", Keyword),
        ("now() - interval '7' day", "day", Keyword),
        ("select toStartOfDay(timestamp) as day", "day", Name),
        ("select count() from events", "count", Name.Function),
        ("select toStartOfDay (timestamp)", "toStartOfDay", Name.Function),
        ("select if(a, 1, 2)", "if", Name.Function),
        ("select myUdf(1)", "myUdf", Name.Function),
        ("select count from events", "count", Name),
        ("select x from t where a and (b or c)", "and", Operator.Word),
        ("select properties.$current_url", "$current_url", Name.Variable),
        ("select person.properties.email", "email", Name.Variable),
        ("select properties.`$feature/foo`", "`$feature/foo`", Name.Variable),
        ("where event = '$pageview'", "'", String.Single),
        ("select $session_id", "$session_id", Name.Variable),
        ("select e.prewhere from events e", "prewhere", Name),
        ("select `weird col` from t", "`weird col`", Name.Quoted),
        ('select "id" from t', '"id"', Name.Quoted),
        ("where {filters}", "{filters}", String.Interpol),
        ("where x = {variables.limit}", "{variables.limit}", String.Interpol),
        ("select 1 -- note", "-- note", Comment.Single),
        ("select 1 // note", "// note", Comment.Single),
        ("select 1 # note", "# note", Comment.Single),
        ("select 0x1F", "0x1F", Number.Hex),
        ("select 1.5e3", "1.5e3", Number.Float),
        ("select .5", ".5", Number.Float),
        ("select 42", "42", Number.Integer),
        ("select arrayMap(x -> x * 2, a)", "->", Operator),
        ("select arrayMap(x -> x * 2, a)", "arrayMap", Name.Function),
        ("select x::String", "String", Keyword.Type),
        ("select a || b", "||", Operator),
        ("select a != b", "!=", Operator),
    ],
)
def test_token_types(text: str, value: str, expected: _TokenType) -> None:
    assert type_of(text, value) is expected


def test_string_escapes() -> None:
    tokens = significant(r"select 'it''s a \'x\''")
    assert (String.Escape, "''") in tokens
    assert (String.Escape, r"\'") in tokens
    assert all(ttype in String for ttype, _ in tokens[1:])


def test_multiline_comment_and_string_span_lines() -> None:
    text = "select /* a\nselect */ 'x\nfrom' from t"
    tokens = significant(text)
    assert (Keyword, "select") == tokens[0]
    assert [v for t, v in tokens if t is Keyword] == ["select", "from"]


def test_lexer_is_found_by_pygments() -> None:
    assert isinstance(get_lexer_by_name("hogql"), HogQLLexer)
    assert isinstance(get_lexer_for_filename("query.hogql"), HogQLLexer)


def test_pygmentize_highlights_hogql() -> None:
    pygmentize = Path(sys.executable).with_name("pygmentize")
    if not pygmentize.exists():
        pytest.skip("pygmentize not installed next to this interpreter")
    result = subprocess.run(
        [str(pygmentize), "-l", "hogql", "-f", "raw"],
        input="select properties.$browser from events",
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert "Token.Keyword\t'select'" in result.stdout
    assert "Token.Name.Variable\t'$browser'" in result.stdout


def test_editor_lexer_keeps_blank_lines() -> None:
    text = "\n\nselect 1\n\n"
    assert "".join(value for _, value in make_lexer().get_tokens(text)) == text


@given(st.text())
def test_token_values_reproduce_any_text(text: str) -> None:
    assert "".join(value for _, _, value in LEXER.get_tokens_unprocessed(text)) == text


@given(st.text(alphabet=st.characters(exclude_characters="\r\ufeff")))
def test_get_tokens_reproduces_text_without_carriage_returns(text: str) -> None:
    # Pygments' get_tokens turns \r\n into \n; editors pass lines without line endings.
    assert "".join(value for _, value in make_lexer().get_tokens(text)) == text


@given(st.text(alphabet="'\"`\\-/*#{}()$abx1 \n.:;>|"))
def test_never_raises_on_quote_heavy_text(text: str) -> None:
    values = [value for _, _, value in LEXER.get_tokens_unprocessed(text)]
    assert "".join(values) == text
