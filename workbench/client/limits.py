"""The LIMIT policy: never silently get PostHog's default 100 rows.

When the top-level SELECT has no LIMIT, ``workbench.hogql.limit.apply_row_limit`` appends
``LIMIT row_limit + 1``; the extra "probe" row tells us the result was cut. Here we plan the
SQL to send and, afterwards, trim the rows and decide whether they were truncated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_ROW_LIMIT = 1000
"""Rows a query returns unless the caller asks otherwise (PostHog's own default is 100)."""

MAX_ROW_LIMIT = 50_000
"""PostHog clamps a top-level LIMIT to 50,000 rows (MAX_SELECT_RETURNED_ROWS)."""


@dataclass(frozen=True)
class RowLimitPlan:
    """What we send for one query, and how to read what comes back."""

    sql: str
    """The SQL to send."""
    row_limit: int
    """Rows the caller wants at most, 1..50,000."""
    limit_added: bool
    """True when we appended a LIMIT (with one probe row) to the caller's SQL."""

    def trim(self, rows: list[list[Any]], *, has_more: bool) -> tuple[list[list[Any]], bool]:
        """The first ``row_limit`` rows and whether more rows exist.

        More rows exist when the probe row came back (more than ``row_limit`` rows), when
        PostHog said ``hasMore``, or, at the 50,000 maximum, when a LIMIT we added came back
        full: PostHog clamps our probe ``LIMIT 50001`` to 50,000, so we cannot tell and say so.
        """
        truncated = has_more or len(rows) > self.row_limit
        if self.limit_added and self.row_limit >= MAX_ROW_LIMIT and len(rows) >= MAX_ROW_LIMIT:
            truncated = True
        if len(rows) > self.row_limit:
            rows = rows[: self.row_limit]
        return rows, truncated


def check_row_limit(row_limit: int) -> int:
    """``row_limit`` if it is an int in 1..50,000, else ``ValueError`` saying the range."""
    if isinstance(row_limit, bool) or not isinstance(row_limit, int):
        raise ValueError(f"The row limit must be a whole number, not {row_limit!r}.")
    if not 1 <= row_limit <= MAX_ROW_LIMIT:
        raise ValueError(
            f"The row limit must be between 1 and {MAX_ROW_LIMIT:,} (PostHog's maximum), "
            f"not {row_limit:,}."
        )
    return row_limit


def plan_row_limit(sql: str, row_limit: int = DEFAULT_ROW_LIMIT) -> RowLimitPlan:
    """Plan the SQL to send for ``sql`` under ``row_limit`` (raises ``ValueError`` if out of range)."""
    from workbench.hogql.limit import apply_row_limit

    limited = apply_row_limit(sql, check_row_limit(row_limit))
    return RowLimitPlan(sql=limited.sql, row_limit=row_limit, limit_added=limited.limit_added)
