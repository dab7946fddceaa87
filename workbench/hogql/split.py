"""Split an editor buffer into HogQL statements, for "run the statement under the cursor".

A statement ends at a ``;`` outside strings, quoted identifiers and comments.
Parentheses are ignored on purpose: a ``;`` is never valid inside them, and an
unclosed ``(`` while typing must not swallow every later statement.  All offsets are **character** offsets into the Python string (the
editor converts its (row, column) location first).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.hogql.tokens import Kind, iter_marks


@dataclass(frozen=True)
class Statement:
    """One non-empty statement: ``buffer[start:end] == text``.

    ``start`` is the first non-whitespace character after the previous ``;``
    (leading comments belong to the statement); ``end`` is just past its last
    non-whitespace character, excluding the terminating ``;``.  ``terminated``
    tells whether a ``;`` follows.
    """

    start: int
    end: int
    text: str
    terminated: bool


def split_statements(text: str) -> list[Statement]:
    """The non-empty statements of ``text``, in order.

    A statement is empty when it holds only whitespace and comments (``;;`` or a
    trailing comment after the last ``;``); empty statements are left out.
    """
    statements: list[Statement] = []
    start: int | None = None  # first non-whitespace character of the current statement
    end = 0  # just past its last non-whitespace character
    meaningful = False  # holds more than comments
    position = 0  # end of the previous mark: text[position:mark.start] is plain code

    def take_code(stop: int) -> None:
        nonlocal start, end, meaningful
        code = text[position:stop]
        stripped = code.strip()
        if stripped:
            if start is None:
                start = position + (len(code) - len(code.lstrip()))
            end = position + len(code.rstrip())
            meaningful = True

    for mark in iter_marks(text):
        take_code(mark.start)
        position = mark.end
        if mark.kind is Kind.SEMICOLON:
            if start is not None and meaningful:
                statements.append(Statement(start, end, text[start:end], True))
            start, meaningful = None, False
            continue
        if start is None:
            start = mark.start
        end = mark.end
        meaningful = meaningful or mark.kind is not Kind.COMMENT
    take_code(len(text))
    if start is not None and meaningful:
        statements.append(Statement(start, end, text[start:end], False))
    return statements


def statement_at(text: str, offset: int) -> Statement | None:
    """The statement to run for a cursor at character ``offset`` (0..len(text)).

    The cursor picks the statement it is in or touches (right after its last
    character or its ``;`` counts).  In whitespace or comments between two
    statements, after the last ``;`` or in trailing whitespace it picks the
    previous statement, as Harlequin and DataGrip do; before the first statement
    it picks the first.  None when the buffer has no statement.
    """
    statements = split_statements(text)
    if not statements:
        return None
    chosen = statements[0]
    for statement in statements:
        if statement.start > offset:
            break
        chosen = statement
    return chosen


def statement_boundary_before(text: str, offset: int) -> int:
    """The start of the statement segment containing character ``offset``.

    That is the offset just after the last ``;`` (outside strings and comments)
    before ``offset``, or 0: a point where no string or comment is open, so a
    lexer can start there.
    """
    boundary = 0
    for mark in iter_marks(text):
        if mark.start >= offset:
            break
        if mark.kind is Kind.SEMICOLON:
            boundary = mark.end
    return boundary
