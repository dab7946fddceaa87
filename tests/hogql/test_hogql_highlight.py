"""Windowed highlighting for the editor: TextArea style names and UTF-8 byte columns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.token import Name, Punctuation, Text

from workbench.hogql.highlight import TEXTUAL_STYLE_NAMES, highlight_lines, style_name

TEXTUAL_8_2_COMMON_STYLES = frozenset(
    {"comment", "string", "constant.builtin", "number", "keyword", "boolean", "type.builtin",
     "operator", "keyword.operator", "function", "css.property"}
)  # fmt: skip
"""Style names present in all five built-in TextArea themes of Textual 8.2 (checked by hand)."""


def test_style_names_exist_in_every_builtin_theme() -> None:
    assert set(TEXTUAL_STYLE_NAMES.values()) <= TEXTUAL_8_2_COMMON_STYLES


@pytest.mark.parametrize(
    ("ttype", "expected"),
    [(Name.Function, "function"), (Name, None), (Text, None), (Punctuation, None),
     (Name.Variable, "css.property")],
)  # fmt: skip
def test_style_name(ttype: object, expected: str | None) -> None:
    assert style_name(ttype) == expected  # type: ignore[arg-type]


def test_highlight_spans() -> None:
    lines = ["select count(), properties.$browser", "from events -- note", "where {filters}"]
    assert highlight_lines(lines) == {
        0: [(0, 6, "keyword"), (7, 12, "function"), (27, 35, "css.property")],
        1: [(0, 4, "keyword"), (12, 19, "comment")],
        2: [(0, 5, "keyword"), (6, 15, "constant.builtin")],
    }


def test_columns_are_utf8_bytes() -> None:
    # 'é' is 2 bytes and '😀' 4: the keyword after them starts at byte 12, character 9.
    assert highlight_lines(["'é😀' as x"]) == {0: [(0, 8, "string"), (9, 11, "keyword")]}


def test_string_escapes_are_one_span() -> None:
    assert highlight_lines(["'it''s'"]) == {0: [(0, 7, "string")]}


def test_window_starting_inside_a_block_comment() -> None:
    lines = ["select 1 /* start", "select inside", "end */ select 2"]
    assert highlight_lines(lines, 1, 3) == {
        1: [(0, 13, "comment")],
        2: [(0, 6, "comment"), (7, 13, "keyword"), (14, 15, "number")],
    }


def test_window_starting_inside_a_string() -> None:
    lines = ["select 'a", "from", "b' from t"]
    assert highlight_lines(lines, 1, 2) == {1: [(0, 4, "string")]}


@pytest.mark.parametrize(("first", "stop"), [(5, 9), (-3, 1), (2, 1), (0, 0)])
def test_bounds_are_clamped(first: int, stop: int) -> None:
    lines = ["select 1", "from t"]
    expected = {r: v for r, v in highlight_lines(lines).items() if max(first, 0) <= r < stop}
    assert highlight_lines(lines, first, stop) == expected


_PIECES = st.sampled_from(
    ["select ", "count(", ")", "'a", "'", "''", "\\", "/*", "*/", "--", "#", "\n", "\n", " ",
     "`x", "`", '"', "{filters}", "interval 7 day", "properties.$x", "é", "1.5", "x", "->"]
)  # fmt: skip


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=30).map("".join), st.data())
def test_window_equals_the_full_highlight(text: str, data: st.DataObject) -> None:
    lines = text.split("\n")
    first = data.draw(st.integers(0, len(lines)))
    stop = data.draw(st.integers(first, len(lines)))
    full = highlight_lines(lines)
    window = highlight_lines(lines, first, stop)
    assert window == {row: spans for row, spans in full.items() if first <= row < stop}


@given(st.lists(st.text(st.characters(exclude_characters="\n")), max_size=5))
def test_never_raises_and_spans_are_in_bounds(lines: list[str]) -> None:
    for row, spans in highlight_lines(lines).items():
        width = len(lines[row].encode("utf-8", "surrogatepass"))
        for start, end, _ in spans:
            assert 0 <= start < end <= width


def test_window_starting_on_an_empty_row_inside_a_string() -> None:
    lines = ["'a", "", "", "select "]
    assert highlight_lines(lines, 1, 4) == {3: [(0, 7, "string")]}
