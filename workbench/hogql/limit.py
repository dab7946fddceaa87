"""Top-level LIMIT detection and injection for HogQL queries sent to PostHog.

PostHog silently adds ``LIMIT 100`` to every SELECT without a LIMIT, each UNION
arm included, and clamps the top-level LIMIT to 50,000.  The client therefore
always sends an explicit LIMIT: when the query has none we append
``LIMIT row_limit + 1`` (one probe row tells us whether the result was cut).

Set operations need care.  HogQL binds a trailing LIMIT to the **last arm**:
``SELECT a … UNION ALL SELECT b … LIMIT 5`` limits only ``b``, and PostHog then
adds its default ``LIMIT 100`` to the ``a`` arm.  So we treat each top-level arm
on its own and give every arm that lacks a LIMIT ``LIMIT row_limit + 1``
(inside its parentheses when the arm is parenthesised).  A UNION ALL result can
then hold more than ``probe_limit`` rows in total; callers keep the first
``requested_rows`` and report truncation when more came back.

A LIMIT after a parenthesised set or last arm, ``(a UNION ALL b) LIMIT 5`` or
``a UNION ALL (b) LIMIT 5``, binds to the whole set (checked against
hogql_parser 1.3.88): such a query counts as limited and is left alone.

Only the first statement is considered; text after a top-level ``;`` is kept
as is.  Text that does not start with SELECT, WITH or ``(`` is returned
unchanged.  ``LIMIT n BY x`` is not a LIMIT.  The LIMIT is inserted after the
last token of the arm, before trailing comments and ``;``, and before a
top-level ``SETTINGS`` or ``FORMAT`` clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.hogql.tokens import Kind, Token, is_trivia, iter_tokens

MAX_ROW_LIMIT = 50_000
"""PostHog clamps a top-level LIMIT to this many rows (MAX_SELECT_RETURNED_ROWS)."""

_SET_OPERATORS = frozenset({"UNION", "EXCEPT", "INTERSECT"})
"""Keywords that join two SELECTs into a set query."""

_LIMIT_CLAUSE_END = frozenset({"BY", "LIMIT", "SETTINGS", "FORMAT", "WITH"})
"""Keywords that end the operands of a LIMIT clause (``WITH`` as in ``WITH TIES``)."""

_TRAILING_CLAUSES = frozenset({"OFFSET", "SETTINGS", "FORMAT"})
"""Clauses that must stay after the LIMIT clause (a lone ``OFFSET n`` becomes ``LIMIT … OFFSET n``)."""


@dataclass(frozen=True)
class LimitedQuery:
    """The SQL to send and what :func:`apply_row_limit` did to it."""

    sql: str
    """The SQL to send."""
    limit_added: bool
    """True when we appended a LIMIT because the top-level SELECT (or an arm) had none."""
    requested_rows: int
    """Rows the caller wants (the row limit), 1..50,000."""
    probe_limit: int | None
    """The LIMIT we sent when added (``requested_rows + 1``), else None.

    PostHog clamps LIMITs to 50,000, so at ``requested_rows == 50_000`` the probe
    row never arrives: a full 50,000-row result may or may not be truncated.
    """


def _validate_row_limit(row_limit: int) -> int:
    """Return ``row_limit`` clamped to at most 50,000; raise ValueError when not a positive int."""
    if isinstance(row_limit, bool) or not isinstance(row_limit, int):
        raise ValueError(f"row_limit must be an integer, got {type(row_limit).__name__}")
    if row_limit < 1:
        raise ValueError(f"row_limit must be at least 1, got {row_limit}")
    return min(row_limit, MAX_ROW_LIMIT)


def _first_statement(sql: str) -> list[Token]:
    """Significant tokens of ``sql`` up to its first top-level ``;``."""
    tokens: list[Token] = []
    for token in iter_tokens(sql):
        if token.kind is Kind.SEMICOLON and token.depth == 0:
            break
        if not is_trivia(token):
            tokens.append(token)
    return tokens


def _word(sql: str, token: Token) -> str:
    """The upper-cased text of a keyword token, else ''."""
    return sql[token.start : token.end].upper() if token.kind is Kind.KEYWORD else ""


def _is_query(sql: str, tokens: list[Token]) -> bool:
    """True when the statement is a SELECT (possibly WITH … or parenthesised)."""
    return bool(tokens) and (
        tokens[0].kind is Kind.LPAREN or _word(sql, tokens[0]) in ("SELECT", "WITH")
    )


def _split_arms(sql: str, tokens: list[Token], depth: int) -> list[list[Token]]:
    """Split a set query into its arms at set operators at ``depth``.

    ``* EXCEPT (col)`` (ClickHouse's column transformer) is not a set operator.
    """
    arms: list[list[Token]] = [[]]
    skip_modifier = False
    for index, token in enumerate(tokens):
        word = _word(sql, token) if token.depth == depth else ""
        if skip_modifier and word in ("ALL", "DISTINCT"):
            skip_modifier = False
            continue
        skip_modifier = False
        if word in _SET_OPERATORS and not (
            index > 0 and sql[tokens[index - 1].start : tokens[index - 1].end] == "*"
        ):
            arms.append([])
            skip_modifier = True
            continue
        arms[-1].append(token)
    return [arm for arm in arms if arm]


def _is_parenthesised(arm: list[Token], depth: int) -> bool:
    """True when the arm is one ``( … )`` group."""
    if len(arm) < 2 or arm[0].kind is not Kind.LPAREN or arm[-1].kind is not Kind.RPAREN:
        return False
    # The group closes at the last token only if no other token is back at `depth`.
    return all(token.depth > depth for token in arm[1:-1]) and arm[-1].depth == depth


def _takes_operand(sql: str, tokens: list[Token], index: int) -> bool:
    """True when the token after ``tokens[index]`` can start a LIMIT/OFFSET operand."""
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    if following.kind in (Kind.NUMBER, Kind.PLACEHOLDER, Kind.LPAREN, Kind.IDENTIFIER):
        return True
    return following.kind is Kind.OPERATOR and sql[following.start : following.end] in ("-", "+")


def _limit_clauses(sql: str, arm: list[Token], depth: int) -> list[tuple[int, bool, bool]]:
    """``(index, is_limit_by, has_offset)`` for each LIMIT clause at ``depth`` in the arm."""
    clauses = []
    for index, token in enumerate(arm):
        if token.depth != depth or _word(sql, token) != "LIMIT":
            continue
        if not _takes_operand(sql, arm, index):
            continue
        is_by = has_offset = False
        for later in arm[index + 1 :]:
            if later.depth != depth:
                continue
            word = _word(sql, later)
            if word in _LIMIT_CLAUSE_END:
                is_by = word == "BY"
                break
            if word == "OFFSET" or sql[later.start : later.end] == ",":
                has_offset = True
        clauses.append((index, is_by, has_offset))
    return clauses


def _starts_trailing_clause(sql: str, arm: list[Token], index: int, depth: int) -> bool:
    """True when ``arm[index]`` starts a clause that must follow the LIMIT clause.

    ``format(…)`` is a function and ``offset`` may be a column; an OFFSET after a
    ``LIMIT n BY`` belongs to that clause.
    """
    token = arm[index]
    word = _word(sql, token) if token.depth == depth else ""
    if word == "OFFSET":
        return _takes_operand(sql, arm, index) and not any(
            t.depth == depth and _word(sql, t) == "LIMIT" for t in arm[:index]
        )
    if word in _TRAILING_CLAUSES:
        return index + 1 < len(arm) and arm[index + 1].kind is Kind.IDENTIFIER
    return False


def _limits_whole_set(sql: str, last_arm: list[Token], depth: int) -> bool:
    """True when the last arm is ``( … ) LIMIT n``: HogQL binds that LIMIT to the whole set.

    ``a UNION ALL b LIMIT n`` limits only ``b``, but ``a UNION ALL (b) LIMIT n``
    limits the union (checked against hogql_parser 1.3.88).
    """
    if last_arm[0].kind is not Kind.LPAREN:
        return False
    close = next(
        (i for i, t in enumerate(last_arm) if t.kind is Kind.RPAREN and t.depth == depth), None
    )
    if close is None:
        return False
    tail = last_arm[close + 1 :]
    return any(not is_by for _, is_by, _ in _limit_clauses(sql, tail, depth))


def _limit_insertions(sql: str, tokens: list[Token], depth: int) -> list[int]:
    """Character offsets where ``LIMIT n`` must be inserted, one per unlimited arm."""
    insertions: list[int] = []
    arms = _split_arms(sql, tokens, depth)
    if len(arms) > 1 and _limits_whole_set(sql, arms[-1], depth):
        return []
    for arm in arms:
        if _is_parenthesised(arm, depth):
            insertions.extend(_limit_insertions(sql, arm[1:-1], depth + 1))
            continue
        if any(not is_by for _, is_by, _ in _limit_clauses(sql, arm, depth)):
            continue
        end = next(
            (i for i in range(1, len(arm)) if _starts_trailing_clause(sql, arm, i, depth)),
            len(arm),
        )
        insertions.append(arm[end - 1].end)
    return insertions


def apply_row_limit(sql: str, row_limit: int) -> LimitedQuery:
    """Append ``LIMIT row_limit + 1`` to each top-level SELECT arm that has no LIMIT.

    ``row_limit`` above 50,000 is clamped to 50,000; a non-integer or a value
    below 1 raises ValueError.  A query that already has a top-level LIMIT (on
    every arm) is returned unchanged with ``limit_added=False``.
    """
    requested = _validate_row_limit(row_limit)
    tokens = _first_statement(sql)
    if not _is_query(sql, tokens):
        return LimitedQuery(sql, False, requested, None)
    insertions = _limit_insertions(sql, tokens, 0)
    if not insertions:
        return LimitedQuery(sql, False, requested, None)
    probe = requested + 1
    pieces: list[str] = []
    previous = 0
    for offset in sorted(insertions):
        pieces.append(sql[previous:offset])
        pieces.append(f" LIMIT {probe}")
        previous = offset
    pieces.append(sql[previous:])
    return LimitedQuery("".join(pieces), True, requested, probe)


def _has_offset(sql: str, tokens: list[Token], depth: int) -> bool:
    """True when any arm at ``depth`` (or inside a parenthesised arm) has an OFFSET."""
    for arm in _split_arms(sql, tokens, depth):
        if _is_parenthesised(arm, depth):
            if _has_offset(sql, arm[1:-1], depth + 1):
                return True
            continue
        if any(has_offset for _, _, has_offset in _limit_clauses(sql, arm, depth)):
            return True
        for index, token in enumerate(arm):
            if (
                token.depth == depth
                and _word(sql, token) == "OFFSET"
                and _takes_operand(sql, arm, index)
            ):
                return True
    return False


def has_top_level_offset(sql: str) -> bool:
    """True when the top-level query pages with OFFSET (``OFFSET n`` or ``LIMIT m, n``).

    PostHog refuses OFFSET on queries made with a personal API key, so the client
    can warn before sending.  Subqueries and CTEs are not inspected.
    """
    tokens = _first_statement(sql)
    return _is_query(sql, tokens) and _has_offset(sql, tokens, 0)
