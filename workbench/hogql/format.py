"""Format HogQL with sqlparse without breaking HogQL-only syntax.

sqlparse knows generic SQL, not HogQL: it would split ``$current_url``, read
``// comment`` as two divisions, and its keyword upper-casing turns the table
``events`` into ``EVENTS`` (HogQL names are case-sensitive).  So:

1. every string, quoted identifier, placeholder, ``$``-name, number, unusual
   operator (``->``, ``=~``, ``??`` …) and comment is swapped for a sentinel word
   (line comments become ``--sentinel`` so sqlparse keeps their line break);
2. sqlparse re-indents the protected text (``keyword_case`` left alone);
3. the sentinels are swapped back and our own short list of clause keywords is
   upper-cased (never a word after ``.`` or ``AS``, never one directly before ``(``);
4. the result must tokenize to the same non-whitespace tokens as the input
   (keywords compared case-insensitively).  If not, the input is returned
   unchanged and :class:`FormatResult` says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlparse

from workbench.hogql.tokens import Kind, Token, is_trivia, tokenize

UPPERCASE_KEYWORDS: frozenset[str] = frozenset(
    {"SELECT", "FROM", "WHERE", "PREWHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT",
     "OFFSET", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "ON", "USING",
     "ARRAY", "GLOBAL", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE",
     "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "UNION", "ALL", "EXCEPT",
     "INTERSECT", "WITH", "ASC", "DESC", "INTERVAL", "SETTINGS", "WINDOW", "OVER",
     "PARTITION", "TRUE", "FALSE"}
)  # fmt: skip
"""Keywords the formatter upper-cases: unambiguous clause words, not ones often used as
column aliases (``first``, ``range``, ``day``), which would rename result columns."""

_SAFE_OPERATORS = frozenset({",", ".", "[", "]", "=", "==", "<", ">", "<=", ">=", "!=", "<>",
                             "+", "-", "*", "/", "%", "||", "::", ":", "->", "=~", "!~"})  # fmt: skip
"""Operators sqlparse tokenizes as we do; any other operator text is protected."""

_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|0[xX][0-9a-fA-F]+")
"""Numbers sqlparse reads as one token."""


@dataclass(frozen=True)
class FormatResult:
    """The outcome of :func:`format_hogql_checked`."""

    sql: str
    """The formatted SQL, or the input unchanged when formatting was refused."""
    changed: bool
    """True when ``sql`` differs from the input."""
    error: str | None
    """Why the input was left unchanged (formatting would have altered tokens), else None."""


def _needs_protection(sql: str, token: Token) -> bool:
    """True when sqlparse would misread the token (so it travels as a sentinel word)."""
    text = sql[token.start : token.end]
    match token.kind:
        case Kind.COMMENT | Kind.PLACEHOLDER:
            return True  # `//` and `#` comments, `{filters}`: unknown to sqlparse
        case Kind.STRING | Kind.QUOTED_IDENTIFIER:
            return "\\" in text  # sqlparse misreads `'a\\'`; plain quoting it knows
        case Kind.IDENTIFIER:
            return "$" in text or not text.isascii()
        case Kind.NUMBER:
            return _PLAIN_NUMBER.fullmatch(text) is None  # 0b101, 1.e2
        case Kind.OPERATOR:
            return text not in _SAFE_OPERATORS
        case _:
            return False


def _sentinel_prefix(sql: str) -> str:
    """A word prefix that does not occur in ``sql``."""
    prefix = "__hq"
    while prefix in sql:
        prefix += "q"
    return prefix


def _protect(sql: str, tokens: list[Token]) -> tuple[str, list[str], re.Pattern[str]]:
    """Swap risky tokens for sentinels; return the text, the originals and a sentinel regex."""
    prefix = _sentinel_prefix(sql)
    originals: list[str] = []
    pieces: list[str] = []
    for token in tokens:
        text = sql[token.start : token.end]
        if not _needs_protection(sql, token):
            pieces.append(text)
            continue
        sentinel = f"{prefix}{len(originals)}__"
        originals.append(text)
        if token.kind is Kind.COMMENT and not text.startswith("/*"):
            pieces.append(f"--{sentinel}")
        elif token.kind is Kind.COMMENT:
            pieces.append(f"/*{sentinel}*/")
        else:
            pieces.append(sentinel)
    pattern = re.compile(rf"--{prefix}(\d+)__|/\*{prefix}(\d+)__\*/|{prefix}(\d+)__")
    return "".join(pieces), originals, pattern


def _restore(text: str, originals: list[str], pattern: re.Pattern[str]) -> str:
    def original(match: re.Match[str]) -> str:
        index = next(group for group in match.groups() if group is not None)
        return originals[int(index)]

    return pattern.sub(original, text)


def _uppercase_keywords(sql: str) -> str:
    """Upper-case :data:`UPPERCASE_KEYWORDS` where they are used as keywords."""
    tokens = tokenize(sql)
    pieces: list[str] = []
    previous_word = ""
    for index, token in enumerate(tokens):
        text = sql[token.start : token.end]
        if token.kind is Kind.KEYWORD:
            upper = text.upper()
            next_token = tokens[index + 1] if index + 1 < len(tokens) else None
            is_call = next_token is not None and next_token.kind is Kind.LPAREN
            if upper in UPPERCASE_KEYWORDS and previous_word != "AS" and not is_call:
                text = upper
        pieces.append(text)
        if not is_trivia(token):
            previous_word = text.upper() if token.kind is Kind.KEYWORD else ""
    return "".join(pieces)


def _tidy_whitespace(sql: str) -> str:
    """Drop the blank line sqlparse leaves after a line comment; keep at most one blank line."""
    tokens = tokenize(sql)
    pieces: list[str] = []
    for index, token in enumerate(tokens):
        text = sql[token.start : token.end]
        if token.kind is Kind.WHITESPACE and "\n" in text:
            previous = tokens[index - 1] if index else None
            after_line_comment = (
                previous is not None
                and previous.kind is Kind.COMMENT
                and not sql.startswith("/*", previous.start)
            )
            newlines = 1 if after_line_comment else min(text.count("\n"), 2)
            text = "\n" * newlines + text.rsplit("\n", 1)[1]
        pieces.append(text)
    return "".join(pieces)


def _signature(sql: str) -> list[tuple[Kind, str]]:
    """The non-whitespace tokens, keyword text upper-cased, trailing line-comment spaces cut."""
    signature: list[tuple[Kind, str]] = []
    for token in tokenize(sql):
        if token.kind is Kind.WHITESPACE:
            continue
        text = sql[token.start : token.end]
        if token.kind is Kind.KEYWORD:
            text = text.upper()
        elif token.kind is Kind.COMMENT and not text.startswith("/*"):
            text = text.rstrip()
        signature.append((token.kind, text))
    return signature


def format_hogql_checked(sql: str) -> FormatResult:
    """Re-indent HogQL and upper-case its clause keywords, or refuse and say why.

    Handles several statements.  The result always tokenizes to the same tokens
    as the input (keywords case-insensitively); a trailing newline is kept.
    """
    if not sql.strip():
        return FormatResult(sql, False, None)
    protected, originals, pattern = _protect(sql, tokenize(sql))
    try:
        formatted = sqlparse.format(protected, reindent=True, indent_width=4)
    except Exception as exc:  # sqlparse raises on pathological input (e.g. too many tokens)
        return FormatResult(sql, False, f"sqlparse failed: {exc}")
    result = _tidy_whitespace(_uppercase_keywords(_restore(formatted, originals, pattern)))
    result = result.strip()
    if sql.endswith("\n"):
        result += "\n"
    if _signature(result) != _signature(sql):
        return FormatResult(sql, False, "formatting would change the query's tokens")
    return FormatResult(result, result != sql, None)


def format_hogql(sql: str) -> str:
    """The formatted SQL, or ``sql`` unchanged when it cannot be formatted safely."""
    return format_hogql_checked(sql).sql
