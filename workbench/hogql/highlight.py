"""Map HogQL lexer tokens to Textual TextArea highlight spans, for a window of lines.

The editor (a ``TextArea`` subclass filling the private ``_highlights`` map) calls
:func:`highlight_lines` with the document's lines and the rows on screen (plus a
margin).  Only those rows are lexed, starting at the row itself, or earlier when
the row begins inside a multi-line string or comment, so the cost per keystroke
does not grow with the buffer.  No Textual import: style names are plain strings.

Units: rows are 0-based line indexes; columns are **UTF-8 byte** offsets within
the line, which is what TextArea's highlight map expects.
"""

from __future__ import annotations

from collections.abc import Sequence

from pygments.token import (  # type: ignore[import-untyped, unused-ignore]
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    _TokenType,
)

from workbench.hogql.lexer import HogQLLexer, make_lexer
from workbench.hogql.tokens import opaque_span_at

Highlights = dict[int, list[tuple[int, int, str]]]
"""Row -> ``(byte_start, byte_end, style_name)`` spans, in order, as TextArea uses them."""

TEXTUAL_STYLE_NAMES: dict[_TokenType, str] = {
    Comment: "comment",
    String: "string",
    String.Interpol: "constant.builtin",  # {placeholders}
    Number: "number",
    Keyword: "keyword",
    Keyword.Constant: "boolean",
    Keyword.Type: "type.builtin",
    Operator: "operator",
    Operator.Word: "keyword.operator",
    Name.Function: "function",
    Name.Variable: "css.property",  # properties.$x, $pageview
}
"""Pygments token type -> TextAreaTheme syntax style name.

Every name exists in all five built-in Textual 8.2 themes (``function.call`` and
``variable`` do not), so highlighting works whatever theme the user picks.
Subtypes inherit their parent's name; plain names, punctuation and whitespace get
no style (themes draw them in the text colour anyway, and fewer spans paint faster).
"""

_style_cache: dict[_TokenType, str | None] = {}
"""Resolved style per token type, parents included (token types are few)."""


def style_name(token_type: _TokenType) -> str | None:
    """The TextArea style name for a Pygments token type, or None for unstyled text."""
    try:
        return _style_cache[token_type]
    except KeyError:
        pass
    resolved: str | None = None
    current: _TokenType | None = token_type
    while current is not None:
        if current in TEXTUAL_STYLE_NAMES:
            resolved = TEXTUAL_STYLE_NAMES[current]
            break
        current = current.parent
    _style_cache[token_type] = resolved
    return resolved


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def highlight_lines(
    lines: Sequence[str],
    first: int = 0,
    stop: int | None = None,
    *,
    lexer: HogQLLexer | None = None,
) -> Highlights:
    """Highlight spans for rows ``first`` to ``stop`` (exclusive) of a document.

    ``lines`` are the document's lines without line endings.  Rows outside the
    range get no entry; rows in it without styled tokens get none either.  Out of
    range bounds are clamped.  Never raises on any text.
    """
    stop = len(lines) if stop is None else min(stop, len(lines))
    first = max(0, min(first, stop))
    if first >= stop:
        return {}
    start_row = first
    if first > 0:
        # Start earlier if row `first` begins inside a multi-line string or comment.
        # The newline after row `first` keeps an open construct visible past an empty row.
        prefix = "\n".join(lines[: first + 1]) + "\n"
        span = opaque_span_at(prefix, len(prefix) - len(lines[first]) - 1)
        if span is not None:
            start_row = prefix.count("\n", 0, span[0])
            column = span[0] - (prefix.rfind("\n", 0, span[0]) + 1)
            return _highlight_from(lines, start_row, column, first, stop, lexer)
    return _highlight_from(lines, start_row, 0, first, stop, lexer)


def _highlight_from(
    lines: Sequence[str],
    row: int,
    column: int,
    first: int,
    stop: int,
    lexer: HogQLLexer | None,
) -> Highlights:
    """Lex from character ``column`` of ``row`` to the end of row ``stop - 1``; keep rows >= first."""
    text = "\n".join(lines[row:stop])[column:]
    byte_column = _utf8_length(lines[row][:column])
    highlights: Highlights = {}
    spans: list[tuple[int, int, str]] | None = None  # highlights[row], once created
    tokens = (lexer or _shared_lexer()).get_tokens_unprocessed(text)
    # Hot loop (one pass per token): locals and a fast path for single-line tokens.
    cache = _style_cache
    for _offset, token_type, value in tokens:
        name = cache[token_type] if token_type in cache else style_name(token_type)
        pieces = value.split("\n") if "\n" in value else (value,)
        for index, piece in enumerate(pieces):
            if index:
                row += 1
                byte_column = 0
                spans = None
            width = len(piece) if piece.isascii() else _utf8_length(piece)
            if name is not None and width and row >= first:
                if spans is None:
                    spans = highlights.setdefault(row, [])
                if spans and spans[-1][1] == byte_column and spans[-1][2] == name:
                    spans[-1] = (spans[-1][0], byte_column + width, name)  # merge 'it''s'
                else:
                    spans.append((byte_column, byte_column + width, name))
            byte_column += width
    return highlights


_lexer: HogQLLexer | None = None
"""One lexer for everyone: Pygments lexers hold no per-call state."""


def _shared_lexer() -> HogQLLexer:
    global _lexer
    if _lexer is None:
        _lexer = make_lexer()
    return _lexer
