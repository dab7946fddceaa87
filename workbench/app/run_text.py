"""A query run's result and failure in words, for the results area (headless, no Textual)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from workbench.app.describe import describe_error, human_age, human_duration

if TYPE_CHECKING:
    from workbench.runs import QueryRun


def result_info(run: QueryRun, now: datetime) -> str:
    """Rows, truncation, cache state with age (against the wall clock ``now``), elapsed time."""
    result = run.result
    assert result is not None
    parts = [f"{run.row_count:,} rows"]
    if result.truncated:
        parts.append(f"truncated at {result.row_limit:,} rows (LIMIT)")
    freshness = "cached" if result.is_cached else "fresh"
    if result.last_refresh is not None:
        seconds = (now - result.last_refresh).total_seconds()
        freshness += f", computed {human_age(max(0.0, seconds))}"
    parts.append(freshness)
    parts.append(human_duration(result.elapsed))
    return "  ·  ".join(parts)


def error_text(run: QueryRun, budget_text: str) -> str:
    """The failure in words, with position for HogQL errors and the local budget for 429s."""
    from workbench.client import errors

    error = run.error
    assert error is not None
    text = describe_error(error)
    if isinstance(error, errors.HogQLError) and error.start is not None:
        line, column = line_column(run.sql, error.start)
        text = f"HogQL error at line {line}, column {column}: {error}"
    if isinstance(error, errors.RateLimited) and budget_text:
        text += f"\nLocal {budget_text}."
    return f"{text}\n\n{run.sql}"


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1
