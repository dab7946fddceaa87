"""Cheap text checks that keep pathological queries away from the C++ parser.

hogql-parser 1.3.88 holds the GIL while it parses, and its cost grows steeply with nesting
(20 nested calls ≈ 0.8 s, 40 ≈ 4.4 s), long operator chains (800 ``+`` ≈ 2.7 s; around
20,000 it overflows the C stack and kills the process) and long field chains (``x.a.a…``:
200 parts ≈ 2.7 s). Real analyst queries stay
far below these limits; the checks run in microseconds on the text with strings and
comments blanked out.
"""

from __future__ import annotations

import re

from workbench.server.hogql.dropped_clauses import blank_opaque
from workbench.server.hogql.errors import HogQLError

MAX_NESTING = 20
"""Deepest allowed nesting of ``(`` and ``[`` (a 20-deep call nest parses in ~0.8 s)."""
MAX_OPERATORS = 400
"""Most binary operators per query (400 chained ``+`` parse in ~0.15 s)."""
MAX_CHAIN = 20
"""Most ``.`` segments in one field chain (a 100-segment chain parses in ~0.5 s)."""
MAX_QUERY_LENGTH = 100_000
"""Longest query text accepted, in characters."""

_LONG_CHAIN = re.compile(r"[\w$]+(?:\s*\.\s*[\w$]+){" + str(MAX_CHAIN + 1) + ",}")
_OPERATOR = re.compile(
    r"\|\||!=|<=|>=|==|=~\*?|!~\*?|\?\?|[-+*/%<>=]|\b(?:and|or)\b", re.IGNORECASE
)


def check_query_shape(query: str) -> None:
    """Raise HogQLError (positioned) for a query too long, deep or operator-heavy to parse."""
    if len(query) > MAX_QUERY_LENGTH:
        raise HogQLError(
            f"Query is too long ({len(query):,} characters; the limit is {MAX_QUERY_LENGTH:,})",
            code="hogql_error",
            start=MAX_QUERY_LENGTH,
            end=len(query),
        )
    code = blank_opaque(query)
    depth = 0
    for index, char in enumerate(code):
        if char in "([":
            depth += 1
            if depth > MAX_NESTING:
                raise HogQLError(
                    f"Query is too deeply nested (more than {MAX_NESTING} levels of brackets)",
                    code="hogql_error",
                    start=index,
                    end=index + 1,
                )
        elif char in ")]":
            depth -= 1
    chain = _LONG_CHAIN.search(code)
    if chain:
        raise HogQLError(
            f"Field chain is too long (more than {MAX_CHAIN} parts)",
            code="hogql_error",
            start=chain.start(),
            end=chain.end(),
        )
    for count, match in enumerate(_OPERATOR.finditer(code), start=1):
        if count > MAX_OPERATORS:
            raise HogQLError(
                f"Query has too many operators (more than {MAX_OPERATORS})",
                code="hogql_error",
                start=match.start(),
                end=match.end(),
            )
