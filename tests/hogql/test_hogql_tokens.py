"""The HogQL tokenizer: token kinds, offsets, depth, and total coverage of the input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.hogql.tokens import (
    Kind,
    iter_marks,
    iter_tokens,
    opaque_span_at,
    significant_tokens,
    tokenize,
)


def kinds_and_texts(text: str) -> list[tuple[Kind, str]]:
    return [(t.kind, text[t.start : t.end]) for t in significant_tokens(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'it''s'", [(Kind.STRING, "'it''s'")]),
        (r"'a\'b'", [(Kind.STRING, r"'a\'b'")]),
        ("'a\\\\' x", [(Kind.STRING, "'a\\\\'"), (Kind.IDENTIFIER, "x")]),
        ("'unterminated", [(Kind.STRING, "'unterminated")]),
        ("'ends in backslash\\", [(Kind.STRING, "'ends in backslash\\")]),
        ('"id""x"', [(Kind.QUOTED_IDENTIFIER, '"id""x"')]),
        ("`$feature/foo`", [(Kind.QUOTED_IDENTIFIER, "`$feature/foo`")]),
        ("`a``b`", [(Kind.QUOTED_IDENTIFIER, "`a``b`")]),
        ("{filters}", [(Kind.PLACEHOLDER, "{filters}")]),
        ("{ variables.x }", [(Kind.PLACEHOLDER, "{ variables.x }")]),
        (
            "{'a': 1}",
            [
                (Kind.OPERATOR, "{"),
                (Kind.STRING, "'a'"),
                (Kind.OPERATOR, ":"),
                (Kind.NUMBER, "1"),
                (Kind.OPERATOR, "}"),
            ],
        ),
        (
            "0x1F 1e3 .5 1.e2 1.5E-3 0b101",
            [(Kind.NUMBER, n) for n in ["0x1F", "1e3", ".5", "1.e2", "1.5E-3", "0b101"]],
        ),
        (
            "properties.$current_url",
            [
                (Kind.IDENTIFIER, "properties"),
                (Kind.OPERATOR, "."),
                (Kind.IDENTIFIER, "$current_url"),
            ],
        ),
        ("SELECT select", [(Kind.KEYWORD, "SELECT"), (Kind.KEYWORD, "select")]),
        ("t.select", [(Kind.IDENTIFIER, "t"), (Kind.OPERATOR, "."), (Kind.IDENTIFIER, "select")]),
        (
            "x -> x * 2",
            [
                (Kind.IDENTIFIER, "x"),
                (Kind.OPERATOR, "->"),
                (Kind.IDENTIFIER, "x"),
                (Kind.OPERATOR, "*"),
                (Kind.NUMBER, "2"),
            ],
        ),
        ("a::String", [(Kind.IDENTIFIER, "a"), (Kind.OPERATOR, "::"), (Kind.IDENTIFIER, "String")]),
        (
            "a<=b!=c||d",
            [
                (Kind.IDENTIFIER, "a"),
                (Kind.OPERATOR, "<="),
                (Kind.IDENTIFIER, "b"),
                (Kind.OPERATOR, "!="),
                (Kind.IDENTIFIER, "c"),
                (Kind.OPERATOR, "||"),
                (Kind.IDENTIFIER, "d"),
            ],
        ),
        ("événement", [(Kind.IDENTIFIER, "événement")]),
        ("a;", [(Kind.IDENTIFIER, "a"), (Kind.SEMICOLON, ";")]),
    ],
)
def test_token_kinds(text: str, expected: list[tuple[Kind, str]]) -> None:
    assert kinds_and_texts(text) == expected


@pytest.mark.parametrize(
    ("text", "comment"),
    [
        ("x -- c\ny", "-- c"),
        ("x // c\ny", "// c"),
        ("x # c\ny", "# c"),
        ("x /* a\n b */ y", "/* a\n b */"),
        ("x /* unterminated", "/* unterminated"),
        ("x /* a * b */ y", "/* a * b */"),
    ],
)
def test_comments(text: str, comment: str) -> None:
    comments = [text[t.start : t.end] for t in tokenize(text) if t.kind is Kind.COMMENT]
    assert comments == [comment]


def test_comment_markers_inside_strings_are_text() -> None:
    assert [t.kind for t in significant_tokens("'-- no' \"/* no */\" `# no`")] == [
        Kind.STRING,
        Kind.QUOTED_IDENTIFIER,
        Kind.QUOTED_IDENTIFIER,
    ]


def test_depth_counts_parentheses() -> None:
    text = "f(a, (b)) ) c"
    depths = [(text[t.start : t.end], t.depth) for t in significant_tokens(text)]
    assert depths == [
        ("f", 0),
        ("(", 0),
        ("a", 1),
        (",", 1),
        ("(", 1),
        ("b", 2),
        (")", 1),
        (")", 0),
        (")", 0),
        ("c", 0),
    ]


def test_start_offset_and_depth() -> None:
    tokens = tokenize("xx(y)", start=3, depth=1)
    assert [(t.kind, t.start, t.depth) for t in tokens] == [
        (Kind.IDENTIFIER, 3, 1),
        (Kind.RPAREN, 4, 0),
    ]


@given(st.text())
def test_tokens_cover_the_input(text: str) -> None:
    position = 0
    for token in iter_tokens(text):
        assert token.start == position
        assert token.end > token.start
        position = token.end
    assert position == len(text)


@given(st.text(alphabet="'\"`\\-/*#{}()$ab1 \n.;"))
def test_tokens_cover_quote_heavy_input(text: str) -> None:
    assert "".join(text[t.start : t.end] for t in tokenize(text)) == text


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("select 'a\nb' x", 9, (7, 12)),  # inside a string
        ("select 'a\nb' x", 7, None),  # at its opening quote
        ("select 'a\nb' x", 12, None),  # just after it
        ("x /* a\nb */ y", 7, (2, 11)),
        ("x -- c\ny", 7, None),  # a line comment ends at the newline
        ("x -- c\ny", 4, (2, 6)),
        ("x -- c", 3, (2, 6)),  # between the two dashes of the opener
        ("x `a\nb", 5, (2, 6)),  # unterminated quoted identifier
        ("select 1", 4, None),
    ],
)
def test_opaque_span_at(text: str, offset: int, expected: tuple[int, int] | None) -> None:
    assert opaque_span_at(text, offset) == expected


_OPAQUE_KINDS = (Kind.COMMENT, Kind.STRING, Kind.QUOTED_IDENTIFIER)


@given(st.text(alphabet="'\"`\\-/*#\nab ;"), st.data())
def test_opaque_span_at_agrees_with_the_tokenizer(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    containing = [
        (t.start, t.end)
        for t in tokenize(text)
        if t.kind in _OPAQUE_KINDS and t.start < offset < t.end
    ]
    assert opaque_span_at(text, offset) == (containing[0] if containing else None)


@given(st.text(alphabet="'\"`\\-/*#\nab ;{}"))
def test_marks_are_the_tokenizers_comments_strings_and_semicolons(text: str) -> None:
    expected = [
        (t.kind, t.start, t.end)
        for t in tokenize(text)
        if t.kind in (*_OPAQUE_KINDS, Kind.SEMICOLON)
    ]
    assert [tuple(mark) for mark in iter_marks(text)] == expected
