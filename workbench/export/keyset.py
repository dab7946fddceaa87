"""Keyset pagination over a user's HogQL query: the SQL of each page and where the next starts.

PostHog returns at most 50,000 rows per query and refuses ``OFFSET`` for personal API keys,
so an export pages on an ordering key (contract §2). The user's SQL is wrapped as a subquery
and each page asks for the next rows in ``ORDER BY key[, tiebreak]`` order::

    SELECT * FROM (<user sql>) AS export_source
    WHERE key >= <last> [AND (key > <last> OR tiebreak >= <last tiebreak>)]
    ORDER BY key, tiebreak LIMIT <page size>

**Ties at page boundaries.** Rows sharing the cursor value (the key, or the key and the
tiebreaker) of a full page's last row may continue into the next page. We therefore keep
only the rows *before* that trailing tie group and start the next page *at* its value,
inclusive (``>=``): the group is fetched whole by the next page, so no row is lost and none
is written twice, with no extra query and for any key, unique or not. A plain ``>=`` on the
key also keeps the range condition PostHog's index and partition pruning can use. Only when
a whole page is one tie group (more duplicates than a page holds) is the group fetched by
itself with ``key = <value>`` and up to 50,000 rows; a larger group is an error that asks for
a tiebreaker (``uuid`` for events) so that ``(key, tiebreak)`` is unique enough.

Rows whose key is NULL cannot be reached by a comparison: the keyed phase takes the rows with
a key (``isNotNull(key)``) and, when the key's type is ``Nullable``, a last phase takes the
NULL-key rows (paged by the tiebreaker when there is one, else as one group). Key values
compare as ClickHouse compares them: we render them back as typed literals (``toDateTime``
for times, ``toUUID``, numbers, escaped strings).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from workbench.export.files import ExportError

MAX_PAGE_ROWS = 50_000
"""PostHog's cap on the rows of one query (MAX_SELECT_RETURNED_ROWS)."""

SOURCE_ALIAS = "export_source"
"""Alias of the wrapped user query; a subquery in FROM needs one in ClickHouse."""

Phase = Literal["keyed", "nulls"]
"""``keyed``: rows with a key value, in key order; ``nulls``: rows whose key is NULL."""

_PLAIN_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WRAPPERS = re.compile(r"^(?:Nullable|LowCardinality)\((.*)\)$")
_NUMBER_TYPE = re.compile(r"^(?:U?Int\d+|Float(?:32|64)|Decimal.*)$")


def identifier(name: str) -> str:
    """``name`` as a HogQL identifier (backticks when it is not a plain word)."""
    if _PLAIN_IDENTIFIER.match(name):
        return name
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def string_literal(text: str) -> str:
    """``text`` as a single-quoted HogQL string."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def base_type(ch_type: str) -> str:
    """The ClickHouse type without ``Nullable``/``LowCardinality`` wrappers."""
    ch_type = ch_type.strip()
    while match := _WRAPPERS.match(ch_type):
        ch_type = match.group(1).strip()
    return ch_type


def is_nullable(ch_type: str) -> bool:
    """True when the column can hold NULL (``Nullable(...)`` at any wrapper depth)."""
    return "Nullable(" in ch_type


def literal(value: Any, ch_type: str) -> str:
    """A key value from a result as a HogQL literal of its ClickHouse type."""
    name = base_type(ch_type)
    if value is None:
        raise ExportError("A key value is NULL; NULL keys are exported in their own phase.")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ExportError(f"Cannot page on the key value {value!r}: pick another key.")
        return repr(value)
    if not isinstance(value, str):
        raise ExportError(f"Cannot page on a key of type {ch_type}: pick a scalar column.")
    if name.startswith("DateTime"):
        return f"toDateTime({string_literal(value)})"  # best-effort parse, keeps microseconds
    if name in {"Date", "Date32"}:
        return f"toDate({string_literal(value)})"
    if name == "UUID":
        return f"toUUID({string_literal(value)})"
    if _NUMBER_TYPE.match(name):
        return value  # big integers and decimals may arrive as text; they are numbers here
    return string_literal(value)


@dataclass(frozen=True)
class Boundary:
    """Where the next page starts: cursor ``values``, included (``>=``) or not (``>``)."""

    values: tuple[Any, ...]
    inclusive: bool


@dataclass(frozen=True)
class KeysetQuery:
    """The user's query, its ordering key and optional tiebreaker, and the page size."""

    sql: str
    key: str = "timestamp"
    tiebreak: str | None = None
    page_size: int = MAX_PAGE_ROWS

    def __post_init__(self) -> None:
        if not 1 <= self.page_size <= MAX_PAGE_ROWS:
            raise ValueError(f"The page size must be between 1 and {MAX_PAGE_ROWS:,}.")
        if self.tiebreak == self.key:
            raise ValueError("The tiebreaker must be another column than the key.")

    @property
    def source(self) -> str:
        """The user's SQL as a subquery (a trailing ``;`` would end the statement early)."""
        return f"(\n{self.sql.strip().rstrip(';').strip()}\n) AS {SOURCE_ALIAS}"

    def cursor_columns(self, phase: Phase) -> tuple[str, ...]:
        """The columns that order the rows of ``phase`` (NULL keys are all equal)."""
        tail = (self.tiebreak,) if self.tiebreak else ()
        return (self.key, *tail) if phase == "keyed" else tail

    def page_limit(self, phase: Phase) -> int:
        """Rows one page of ``phase`` asks for (all NULL-key rows at once without a tiebreaker)."""
        return self.page_size if self.cursor_columns(phase) else MAX_PAGE_ROWS

    def _phase_filter(self, phase: Phase) -> str:
        function = "isNotNull" if phase == "keyed" else "isNull"
        return f"{function}({identifier(self.key)})"

    def page_sql(self, phase: Phase, boundary: Boundary | None, types: Sequence[str]) -> str:
        """The next page of ``phase`` after ``boundary``; ``types`` of the cursor columns."""
        columns = self.cursor_columns(phase)
        conditions = [self._phase_filter(phase)]
        if boundary is not None:
            conditions.append(_after(columns, boundary, types))
        order = ", ".join(f"{identifier(c)} ASC" for c in columns)
        limit = self.page_limit(phase)
        return (
            f"SELECT * FROM {self.source}\nWHERE {' AND '.join(conditions)}"
            + (f"\nORDER BY {order}" if order else "")
            + f"\nLIMIT {limit}"
        )

    def group_sql(self, phase: Phase, values: Sequence[Any], types: Sequence[str]) -> str:
        """Every row of one tie group (up to PostHog's cap)."""
        columns = self.cursor_columns(phase)
        conditions = [self._phase_filter(phase)] + [
            f"{identifier(c)} = {literal(v, t)}"
            for c, v, t in zip(columns, values, types, strict=True)
        ]
        return (
            f"SELECT * FROM {self.source}\nWHERE {' AND '.join(conditions)}\nLIMIT {MAX_PAGE_ROWS}"
        )

    def count_sql(self) -> str:
        """The total row count of the user's query (for progress and the time estimate)."""
        return f"SELECT count() FROM {self.source}"


def _after(columns: Sequence[str], boundary: Boundary, types: Sequence[str]) -> str:
    """``(columns) >= / > (values)`` as ``a >= x AND (a > x OR b >= y)``: the leading plain
    range condition on the key is what an index can use."""
    first, *rest = columns
    first_value = literal(boundary.values[0], types[0])
    compare = ">=" if boundary.inclusive else ">"
    if not rest:
        return f"{identifier(first)} {compare} {first_value}"
    inner = _after(rest, Boundary(boundary.values[1:], boundary.inclusive), types[1:])
    return (
        f"{identifier(first)} >= {first_value} AND ({identifier(first)} > {first_value} OR {inner})"
    )


@dataclass(frozen=True)
class PageCut:
    """What to do with a page: write ``keep`` rows, then continue at ``next`` (None: the
    phase is over), or first fetch the tie group ``group`` that fills the whole page."""

    keep: int
    next: Boundary | None
    group: tuple[Any, ...] | None = None


def cut_page(rows: Sequence[Sequence[Any]], cursor_indexes: Sequence[int], limit: int) -> PageCut:
    """Where to cut a page of ``limit`` rows asked for: see the module docstring."""
    if len(rows) < limit:
        return PageCut(keep=len(rows), next=None)

    def cursor(row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(row[i] for i in cursor_indexes)

    last = cursor(rows[-1])
    keep = len(rows)
    while keep > 0 and cursor(rows[keep - 1]) == last:
        keep -= 1
    if keep == 0:
        return PageCut(keep=0, next=Boundary(last, inclusive=False), group=last)
    return PageCut(keep=keep, next=Boundary(last, inclusive=True))
