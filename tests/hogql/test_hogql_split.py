"""Statement splitting and "run the statement under the cursor"."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.hogql.split import (
    Statement,
    split_statements,
    statement_at,
    statement_boundary_before,
)
from workbench.hogql.tokens import Kind, is_trivia, iter_tokens


def texts(buffer: str) -> list[str]:
    return [s.text for s in split_statements(buffer)]


@pytest.mark.parametrize(
    ("buffer", "expected"),
    [
        ("", []),
        ("   \n ", []),
        (";;; ;", []),
        ("-- just a comment", []),
        ("select 1", ["select 1"]),
        ("select 1;", ["select 1"]),
        ("select 1; select 2", ["select 1", "select 2"]),
        ("select 1;\n\n  select 2;\n", ["select 1", "select 2"]),
        ("select 1;; ;select 2", ["select 1", "select 2"]),
        ("select ';' as a; select 2", ["select ';' as a", "select 2"]),
        ("select 'it''s;' ; select 2", ["select 'it''s;'", "select 2"]),
        ('select `a;b`; select "c;d"', ["select `a;b`", 'select "c;d"']),
        ("select 1 -- ; not here\n; select 2", ["select 1 -- ; not here", "select 2"]),
        ("select 1 /* ; */ ; select 2", ["select 1 /* ; */", "select 2"]),
        ("select 1; -- trailing comment", ["select 1"]),
        (
            "-- about one\nselect 1; /* about two */ select 2",
            ["-- about one\nselect 1", "/* about two */ select 2"],
        ),
        ("select f(1; select 2", ["select f(1", "select 2"]),
        ("select 'unterminated; select 2", ["select 'unterminated; select 2"]),
    ],
)
def test_split_statements(buffer: str, expected: list[str]) -> None:
    assert texts(buffer) == expected


def test_spans_and_terminated() -> None:
    buffer = "  select 1 ;\nselect 2"
    assert split_statements(buffer) == [
        Statement(2, 10, "select 1", True),
        Statement(13, 21, "select 2", False),
    ]


BUFFER = "select 1;\n\nselect 2;  \n-- three\nselect 3\n\n"
#         0123456789 0 1234567890123 4567890123 456789012


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, "select 1"),  # at the start
        (4, "select 1"),  # inside
        (8, "select 1"),  # right after the last character
        (9, "select 1"),  # right after ;
        (10, "select 1"),  # blank line after ; picks the previous statement
        (11, "select 2"),  # at the start of the next one
        (19, "select 2"),
        (21, "select 2"),  # trailing spaces after ;
        (24, "-- three\nselect 3"),  # in its leading comment
        (40, "-- three\nselect 3"),
        (len(BUFFER), "-- three\nselect 3"),  # trailing whitespace at the end
    ],
)
def test_statement_at(offset: int, expected: str) -> None:
    statement = statement_at(BUFFER, offset)
    assert statement is not None
    assert statement.text == expected


def test_statement_at_before_the_first_statement() -> None:
    statement = statement_at("\n\n  select 1; select 2", 0)
    assert statement is not None and statement.text == "select 1"


@pytest.mark.parametrize("buffer", ["", "  ", "-- c", ";;"])
def test_statement_at_without_statements(buffer: str) -> None:
    assert statement_at(buffer, 0) is None


@pytest.mark.parametrize(
    ("buffer", "offset", "expected"),
    [
        ("select 1; select 2", 0, 0),
        ("select 1; select 2", 8, 0),  # just before the ;
        ("select 1; select 2", 9, 9),  # just after it
        ("select 1; select 2", 12, 9),
        ("select ';'; select 2", 15, 11),
        ("select 1 /* ; */ x", 17, 0),
    ],
)
def test_statement_boundary_before(buffer: str, offset: int, expected: int) -> None:
    assert statement_boundary_before(buffer, offset) == expected


_PIECES = st.sampled_from(
    ["select 1", ";", " ", "\n", "'a;b'", "-- c;\n", "/* ; */", "`x;`", "(", ")", "'open", "x"]
)


@given(st.lists(_PIECES, max_size=20).map("".join))
def test_spans_cover_every_meaningful_token(buffer: str) -> None:
    statements = split_statements(buffer)
    for before, after in itertools.pairwise(statements):
        assert before.end < after.start
    for statement in statements:
        assert buffer[statement.start : statement.end] == statement.text
        # Ends with its last token; only a comment or open string may end in spaces.
        assert statement.text == statement.text.lstrip() != ""
    # Splitting then joining the spans with the text between them gives the buffer back.
    pieces, position = [], 0
    for statement in statements:
        pieces += [buffer[position : statement.start], statement.text]
        position = statement.end
    assert "".join([*pieces, buffer[position:]]) == buffer
    # Outside the spans there is only whitespace, comments and ';'.
    for token in iter_tokens(buffer):
        if not any(s.start <= token.start < s.end for s in statements):
            assert is_trivia(token) or token.kind is Kind.SEMICOLON


@given(st.lists(_PIECES, max_size=20).map("".join), st.data())
def test_statement_at_returns_one_of_the_statements(buffer: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(buffer)))
    statement = statement_at(buffer, offset)
    statements = split_statements(buffer)
    assert (statement is None) == (not statements)
    if statement is not None:
        assert statement in statements
        inside = [s for s in statements if s.start <= offset <= s.end]
        if inside:
            assert statement == inside[-1]


def reference_split(text: str) -> list[Statement]:
    """Statement splitting from the full tokenizer: slow, simple, obviously right."""
    statements: list[Statement] = []
    current = []
    for token in [*iter_tokens(text), None]:
        if token is None or token.kind is Kind.SEMICOLON:
            solid = [t for t in current if t.kind is not Kind.WHITESPACE]
            if any(not is_trivia(t) for t in solid):
                start, end = solid[0].start, solid[-1].end
                statements.append(Statement(start, end, text[start:end], token is not None))
            current = []
        else:
            current.append(token)
    return statements


@given(st.lists(_PIECES | st.text(max_size=3), max_size=25).map("".join))
def test_fast_split_matches_the_tokenizer(buffer: str) -> None:
    assert split_statements(buffer) == reference_split(buffer)
