"""A small, fast tokenizer for HogQL (ClickHouse-flavoured SQL) text.

It never raises and always covers the whole input: the concatenation of every
token's text is the input.  Offsets are **character** offsets into the Python
string (not UTF-8 bytes).  Unterminated strings and comments run to the end of
the text, as they would while the user is still typing.

Lexical rules follow PostHog's HogQL grammar (checked against hogql_parser):

* comments: ``-- …``, ``// …`` and ``# …`` to the end of the line; ``/* … */``
  (not nested);
* ``'…'`` string literals with ``\\x`` and ``''`` escapes;
* ``"…"`` and ```…``` quoted identifiers with ``\\x`` and doubled-quote escapes;
* ``{name}`` / ``{variables.x}`` placeholders;
* identifiers may contain and start with ``$`` (``properties.$current_url``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    """What a token is."""

    WHITESPACE = "whitespace"
    COMMENT = "comment"
    STRING = "string"
    QUOTED_IDENTIFIER = "quoted_identifier"  # "…" or `…`
    PLACEHOLDER = "placeholder"
    NUMBER = "number"
    KEYWORD = "keyword"
    IDENTIFIER = "identifier"
    LPAREN = "lparen"
    RPAREN = "rparen"
    SEMICOLON = "semicolon"
    OPERATOR = "operator"  # everything else: , . + -> :: [ ] { } …


class Token(NamedTuple):
    """One token: ``text[start:end]`` (character offsets) at parenthesis ``depth``.

    ``depth`` counts the ``(`` open before the token; a ``(`` and its matching
    ``)`` both have the depth of the text outside them.  It never goes below 0
    (a stray ``)`` stays at depth 0).
    """

    kind: Kind
    start: int
    end: int
    depth: int


_KEYWORD_WORDS = """
    ALL AND ANTI ANY ARRAY AS ASC ASCENDING ASOF BETWEEN BOTH BY CASE CAST COLLATE CROSS
    CUBE CURRENT DESC DESCENDING DISTINCT ELSE END EXCEPT EXTRACT FILL FINAL FIRST
    FOLLOWING FOR FORMAT FROM FULL GLOBAL GROUP HAVING ILIKE IN INNER INTERSECT INTERVAL
    IS JOIN LAST LEADING LEFT LIKE LIMIT NOT NULLS OFFSET ON OR ORDER OUTER OVER
    PARTITION PASTE PRECEDING PREWHERE QUALIFY RANGE RECURSIVE RIGHT ROLLUP ROW ROWS
    SAMPLE SELECT SEMI SETTINGS STEP THEN TIES TO TOP TOTALS TRAILING UNBOUNDED UNION
    USING WHEN WHERE WINDOW WITH NULL TRUE FALSE
"""
KEYWORDS: frozenset[str] = frozenset(_KEYWORD_WORDS.split())
"""Reserved-ish words that structure a query; HogQL matches them case-insensitively.

Deliberately excludes words that are usually column or function names in PostHog
(``count``, ``date``, ``day``, ``key``, ``id``, ``if``, ``event``…), so callers that
upper-case keywords never change an identifier.
"""

_COMMENT = r"(?:--|//|\#)[^\n]*+|/\*(?:[^*]++|\*(?!/))*+(?:\*/|\Z)"
"""Line comments run to the newline (excluded); block comments do not nest."""

_STRING = r"'(?:[^'\\]++|\\.|'')*+\\?(?:'|\Z)"
"""A string literal; unterminated ones run to the end of the text."""

_QUOTED_IDENTIFIER = r'"(?:[^"\\]++|\\.|"")*+\\?(?:"|\Z)|`(?:[^`\\]++|\\.|``)*+\\?(?:`|\Z)'
"""A double-quoted or backtick identifier; unterminated ones run to the end."""

_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s++)
  | (?P<comment>{_COMMENT})
  | (?P<string>{_STRING})
  | (?P<qident>{_QUOTED_IDENTIFIER})
  | (?P<placeholder>\{{[^\S\n]*+[^\W\d][\w$]*+(?:[^\S\n]*+\.[^\S\n]*+[\w$]++)*+[^\S\n]*+\}})
  | (?P<number>0[xX][0-9a-fA-F]++|0[bB][01]++
        |(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?\d++)?)
  | (?P<word>[^\W\d][\w$]*+|\$[\w$]*+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<semicolon>;)
  | (?P<op>->|::|\|\||<=|>=|!=|<>|==|=~\*?|!~\*?|\?\?|\?\.|.)
    """,
    re.VERBOSE | re.DOTALL,
)
"""One alternative per token kind; ``.`` in ``op`` makes every character match."""

_GROUP_KIND: dict[str, Kind] = {
    "ws": Kind.WHITESPACE,
    "comment": Kind.COMMENT,
    "string": Kind.STRING,
    "qident": Kind.QUOTED_IDENTIFIER,
    "placeholder": Kind.PLACEHOLDER,
    "number": Kind.NUMBER,
    "lparen": Kind.LPAREN,
    "rparen": Kind.RPAREN,
    "semicolon": Kind.SEMICOLON,
    "op": Kind.OPERATOR,
}
"""Regex group name -> token kind (``word`` is classified separately)."""


def iter_tokens(text: str, start: int = 0, depth: int = 0) -> Iterator[Token]:
    """Yield the tokens of ``text`` from character offset ``start``.

    ``depth`` is the parenthesis depth at ``start`` (0 for a statement boundary).
    A word right after ``.`` is an identifier even when it spells a keyword
    (``t.select``).
    """
    after_dot = False
    for match in _TOKEN_RE.finditer(text, start):
        group = match.lastgroup
        assert group is not None
        if group == "word":
            word = match.group()
            kind = Kind.KEYWORD if not after_dot and word.upper() in KEYWORDS else Kind.IDENTIFIER
        else:
            kind = _GROUP_KIND[group]
        if kind is Kind.RPAREN and depth > 0:
            depth -= 1
        yield Token(kind, match.start(), match.end(), depth)
        if kind is Kind.LPAREN:
            depth += 1
        if kind is not Kind.WHITESPACE and kind is not Kind.COMMENT:
            after_dot = kind is Kind.OPERATOR and match.group() == "."


def tokenize(text: str, start: int = 0, depth: int = 0) -> list[Token]:
    """All tokens of ``text`` from ``start``; see :func:`iter_tokens`."""
    return list(iter_tokens(text, start, depth))


def is_trivia(token: Token) -> bool:
    """True for whitespace and comments, which carry no meaning for the parser."""
    return token.kind is Kind.WHITESPACE or token.kind is Kind.COMMENT


def significant_tokens(text: str) -> list[Token]:
    """The tokens of ``text`` without whitespace and comments."""
    return [t for t in iter_tokens(text) if not is_trivia(t)]


_MARK_RE = re.compile(
    rf"(?P<comment>{_COMMENT})|(?P<string>{_STRING})|(?P<qident>{_QUOTED_IDENTIFIER})"
    r"|(?P<semicolon>;)",
    re.VERBOSE | re.DOTALL,
)
"""Comments, strings, quoted identifiers and ``;`` only, with the same rules as ``_TOKEN_RE``.

Searching for these alone lets the regex engine skip ordinary code in C, which
makes :func:`iter_marks` and :func:`opaque_span_at` cheap on long buffers.
"""

_OPAQUE_RE = re.compile(
    rf"{_COMMENT}|{_STRING}|{_QUOTED_IDENTIFIER}",
    re.VERBOSE | re.DOTALL,
)
"""Comments, strings and quoted identifiers: the spans where ``;`` and newlines are text."""


class Mark(NamedTuple):
    """A comment, string, quoted identifier or ``;`` found by :func:`iter_marks`."""

    kind: Kind
    start: int
    end: int


def iter_marks(text: str) -> Iterator[Mark]:
    """Yield the comments, strings, quoted identifiers and ``;`` of ``text``, in order.

    Everything between two marks is ordinary code (character offsets).  Much
    faster than :func:`iter_tokens` when only statement boundaries matter.
    """
    for match in _MARK_RE.finditer(text):
        group = match.lastgroup
        assert group is not None
        yield Mark(_GROUP_KIND[group], match.start(), match.end())


def opaque_span_at(text: str, offset: int) -> tuple[int, int] | None:
    """The ``(start, end)`` character span of the comment, string or quoted identifier
    that strictly contains ``offset`` (``start < offset < end``), or None.

    A lexer may start at ``offset`` when this is None, and at ``start`` otherwise.
    Scans ``text`` from its beginning, skipping ordinary code in C.
    """
    last = None
    for last in _OPAQUE_RE.finditer(text, 0, offset):  # noqa: B007 (we want the last one)
        pass
    # Only the last construct can cross `offset`, where the search was cut short.
    if last is not None and last.end() == offset:
        full = _OPAQUE_RE.match(text, last.start())
        if full is not None and full.end() > offset:
            return last.start(), full.end()
        return None
    # `offset` may split a two-character opener (`-|-`, `/|*`, `/|/`).
    previous = offset - 1
    if previous >= (last.end() if last is not None else 0) and previous >= 0:
        full = _OPAQUE_RE.match(text, previous)
        if full is not None and full.end() > offset:
            return previous, full.end()
    return None
