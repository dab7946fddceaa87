"""A Pygments lexer for HogQL, PostHog's ClickHouse-flavoured SQL.

Registered as the ``hogql`` Pygments plugin (pyproject entry point), so
``pygmentize -l hogql`` works once the package is installed.  The lexical rules
match :mod:`workbench.hogql.tokens` (comments ``--``, ``//``, ``#``, ``/* */``;
``'…'`` strings with ``\\`` and ``''`` escapes; ``"…"``/```…``` identifiers;
``{placeholders}``), so the editor can start lexing at any point the tokenizer
says is outside a string or comment.

The lexer never raises: every character falls through to some rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

# The ignores let mypy pass with or without types-Pygments installed.
from pygments.lexer import RegexLexer, bygroups  # type: ignore[import-untyped, unused-ignore]
from pygments.token import (  # type: ignore[import-untyped, unused-ignore]
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from workbench.hogql.functions import FUNCTIONS

_by_groups: Callable[..., Any] = bygroups
"""Pygments' ``bygroups`` (untyped in the stubs), typed for strict mypy."""

Quoted = Name.Quoted
"""Token type of ``"…"`` and ```…``` identifiers (a Name subtype, styled like names)."""

_END = r"(?![\w$])"
"""Word end: ``$`` continues an identifier in HogQL, so ``\\b`` is not enough."""

_IDENTIFIER = r"(?:[^\W\d][\w$]*|\$[\w$]*)"
"""A bare identifier; ``$`` may start and continue it (``$current_url``)."""

_QUOTED_IDENTIFIER = r'(?:`(?:[^`\\]|\\[\s\S]|``)*\\?(?:`|\Z)|"(?:[^"\\]|\\[\s\S]|"")*\\?(?:"|\Z))'
"""A backtick or double-quoted identifier; unterminated ones run to the end."""

_SPACE = r"[^\S\n]"
"""Whitespace within a line: multi-token rules never cross a line break, so lexing
can start at any row outside a string or comment and give the same tokens."""

_INTERVAL_UNITS = r"(?:second|minute|hour|day|week|month|quarter|year)s?"
"""Units after ``INTERVAL n``; only there are they keywords (``day`` is a common alias)."""

KEYWORDS: tuple[str, ...] = (
    "ALL", "ANTI", "ANY", "ARRAY", "AS", "ASC", "ASCENDING", "ASOF", "BOTH", "BY", "CASE",
    "CAST", "COHORT", "COLLATE", "CROSS", "CUBE", "CURRENT", "DESC", "DESCENDING",
    "DISTINCT", "ELSE", "END", "EXCEPT", "EXTRACT", "FILL", "FINAL", "FIRST", "FOLLOWING",
    "FOR", "FORMAT", "FROM", "FULL", "GROUP", "HAVING", "INNER", "INTERSECT", "INTERVAL",
    "JOIN", "LAST", "LEADING", "LEFT", "LIMIT", "NULLS", "OFFSET", "ON", "ORDER", "OUTER",
    "OVER", "PARTITION", "PASTE", "PRECEDING", "PREWHERE", "QUALIFY", "RANGE", "RECURSIVE",
    "RIGHT", "ROLLUP", "ROW", "ROWS", "SAMPLE", "SELECT", "SEMI", "SETTINGS", "STEP",
    "THEN", "TIES", "TO", "TOP", "TOTALS", "TRAILING", "UNBOUNDED", "UNION", "USING",
    "WHEN", "WHERE", "WINDOW", "WITH",
)  # fmt: skip
"""Clause keywords (HogQL grammar + ClickHouse SELECT), matched case-insensitively."""

WORD_OPERATORS: tuple[str, ...] = (
    "AND", "BETWEEN", "GLOBAL", "ILIKE", "IN", "IS", "LIKE", "NOT", "OR",
)  # fmt: skip
"""Keywords that act as operators (``GLOBAL IN``, ``NOT ILIKE``, ``IS NOT NULL``)."""

CONSTANTS: tuple[str, ...] = ("NULL", "TRUE", "FALSE", "INF", "NAN")
"""Literal keywords."""


_CALL = re.compile(rf"{_SPACE}*\(")
"""What follows a function name: optional spaces and ``(``."""

_FUNCTION_NAMES = frozenset(name.lower() for name in FUNCTIONS)
"""Known functions, lower-cased (the lexer matches case-insensitively)."""

_WORD_TYPES: dict[str, _TokenType] = {
    **{word: Keyword for word in KEYWORDS},
    **{word: Operator.Word for word in WORD_OPERATORS},
    **{word: Keyword.Constant for word in CONSTANTS},
}
"""Upper-cased reserved word -> token type."""


def _word(lexer: object, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
    """Classify a bare word with one dict lookup instead of one regex per word list.

    ``$name`` is a variable; a known function before ``(`` is a function even when it
    spells a keyword (``if(``); then keywords; then any other word before ``(`` is a
    function call; else a plain name.
    """
    word = match.group()
    if word[0] == "$":
        token_type = Name.Variable
    else:
        is_call = _CALL.match(match.string, match.end()) is not None
        if is_call and word.lower() in _FUNCTION_NAMES:
            token_type = Name.Function
        else:
            token_type = _WORD_TYPES.get(word.upper(), Name.Function if is_call else Name)
    yield match.start(), token_type, word


class HogQLLexer(RegexLexer):  # type: ignore[misc, unused-ignore]
    """Lexer for HogQL: ClickHouse SQL plus PostHog's property access and placeholders.

    ``properties.$x`` / ``person.properties.email`` property names and bare
    ``$``-names are ``Name.Variable``; ``{placeholders}`` are ``String.Interpol``;
    a known function (or any identifier) before ``(`` is ``Name.Function``.
    """

    name = "HogQL"
    aliases: ClassVar[list[str]] = ["hogql"]
    filenames: ClassVar[list[str]] = ["*.hogql"]
    mimetypes: ClassVar[list[str]] = ["text/x-hogql"]
    url = "https://posthog.com/docs/sql"
    flags = re.IGNORECASE | re.UNICODE

    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            # Ordered by frequency where rules cannot overlap: Pygments tries them in turn.
            (r"\s+", Whitespace),
            # INTERVAL 7 DAY / INTERVAL '7' DAY: units are keywords only here.
            (
                rf"(interval)({_SPACE}+)(\d+)({_SPACE}+)({_INTERVAL_UNITS}){_END}",
                _by_groups(Keyword, Whitespace, Number.Integer, Whitespace, Keyword),
            ),
            (
                rf"(interval)({_SPACE}+)('[^'\\\n]*')({_SPACE}+)({_INTERVAL_UNITS}){_END}",
                _by_groups(Keyword, Whitespace, String.Single, Whitespace, Keyword),
            ),
            # properties.$x, person.properties.`$feature/x`: the key is a variable.
            (
                rf"(\.)?({_SPACE}*)(properties)({_SPACE}*)(\.)({_SPACE}*)"
                rf"({_IDENTIFIER}|{_QUOTED_IDENTIFIER})",
                _by_groups(
                    Punctuation,
                    Whitespace,
                    Name,
                    Whitespace,
                    Punctuation,
                    Whitespace,
                    Name.Variable,
                ),
            ),
            (_IDENTIFIER, _word),
            # After a dot a keyword is just a field name (t.select, e.event).
            (rf"(\.)({_SPACE}*)([^\W\d][\w$]*)", _by_groups(Punctuation, Whitespace, Name)),
            (r"(?:--|//|#)[^\n]*", Comment.Single),
            (r"/\*", Comment.Multiline, "multiline-comment"),
            (r"'", String.Single, "string"),
            (_QUOTED_IDENTIFIER, Quoted),
            (
                rf"\{{{_SPACE}*[^\W\d][\w$]*(?:{_SPACE}*\.{_SPACE}*[\w$]+)*{_SPACE}*\}}",
                String.Interpol,
            ),
            (r"0x[0-9a-f]+", Number.Hex),
            (r"0b[01]+", Number.Bin),
            (r"(?:\d+\.\d*|\.\d+)(?:e[+-]?\d+)?|\d+e[+-]?\d+", Number.Float),
            (r"\d+", Number.Integer),
            # x::Type
            (rf"(::)({_SPACE}*)({_IDENTIFIER})", _by_groups(Operator, Whitespace, Keyword.Type)),
            (r"->|::|\|\||<=|>=|!=|<>|==|=~\*?|!~\*?|\?\?|\?\.|[-+*/%=<>!?:|^~&]", Operator),
            (r"[(),.;\[\]{}]", Punctuation),
            (r".", Text),
        ],
        "multiline-comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
        "string": [
            (r"[^'\\]+", String.Single),
            (r"\\.?", String.Escape),
            (r"''", String.Escape),
            (r"'", String.Single, "#pop"),
        ],
    }


def make_lexer() -> HogQLLexer:
    """A lexer set up for editors: keeps leading/trailing newlines so rows never shift."""
    return HogQLLexer(stripnl=False, ensurenl=False)


__all__ = ["CONSTANTS", "KEYWORDS", "WORD_OPERATORS", "HogQLLexer", "make_lexer"]
