"""Clauses hogql-parser 1.3.88 accepts but drops from its AST, refused instead.

``GROUP BY … WITH TOTALS``/``WITH CUBE``/``WITH ROLLUP``, ``ORDER BY … NULLS FIRST/LAST`` and ``COLLATE`` parse fine but
never reach the JSON AST, so running the query would silently answer a different question.
They are found in the text, with strings, quoted names and comments blanked out first.
"""

from __future__ import annotations

import re

from workbench.server.hogql.errors import HogQLError

_OPAQUE = re.compile(
    r"'(?:[^'\\]|\\.|'')*'|`(?:[^`\\]|\\.)*`|\"(?:[^\"\\]|\\.)*\"|--[^\n]*|/\*.*?\*/",
    re.DOTALL,
)
"""String literals, quoted identifiers and comments: their contents are not SQL."""

_DROPPED = (
    (re.compile(r"\bwith\s+totals\b", re.IGNORECASE), "GROUP BY … WITH TOTALS"),
    (re.compile(r"\bwith\s+(?:cube|rollup)\b", re.IGNORECASE), "GROUP BY … WITH CUBE/ROLLUP"),
    (re.compile(r"\bnulls\s+(?:first|last)\b", re.IGNORECASE), "ORDER BY … NULLS FIRST/LAST"),
    (re.compile(r"\bcollate\b", re.IGNORECASE), "ORDER BY … COLLATE"),
)
"""Patterns of clauses the parser drops, with the name used in the error."""


def reject_dropped_clauses(query: str) -> None:
    """Raise HogQLError at the first clause the parser would silently drop."""
    code = blank_opaque(query)
    for pattern, name in _DROPPED:
        match = pattern.search(code)
        if match:
            raise HogQLError(
                f"{name} is not supported by HogQL's parser (it would be ignored)",
                code="hogql_query_error",
                start=match.start(),
                end=match.end(),
            )


def blank_opaque(query: str) -> str:
    """``query`` with strings, quoted names and comments replaced by spaces (same offsets)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), query)
