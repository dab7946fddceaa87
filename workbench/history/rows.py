"""Convert between ``runs`` rows and ``HistoryEntry`` values (epoch seconds ↔ UTC datetimes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

from workbench.history.model import EntryState, HistoryEntry


def to_datetime(seconds: float) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def to_seconds(moment: datetime | float | None, default: float) -> float:
    """Epoch seconds for an aware datetime (naive ones are taken as UTC), a number, or None."""
    if moment is None:
        return default
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    return float(moment)


def names(text: str | None) -> tuple[str, ...]:
    """A stored JSON list of column names or types as a tuple (bad or missing text: empty)."""
    if not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def row_to_entry(row: tuple[Any, ...]) -> HistoryEntry:
    """A ``HistoryEntry`` from a row selected with ``search.ENTRY_COLUMNS``."""
    (
        id_, sql, name, starred, host, project_id, client_query_id, source, state, started_at,
        ended_at, duration, row_count, truncated, from_cache, error_code, error_message,
        columns, types, run_count, first_started_at, has_sample,
    ) = row  # fmt: skip
    return HistoryEntry(
        id=id_,
        sql=sql,
        name=name,
        starred=bool(starred),
        host=host,
        project_id=project_id,
        client_query_id=client_query_id,
        source=source,
        state=cast(EntryState, state),
        started_at=to_datetime(started_at),
        ended_at=None if ended_at is None else to_datetime(ended_at),
        duration=duration,
        row_count=row_count,
        truncated=bool(truncated),
        from_cache=bool(from_cache),
        error_code=error_code,
        error_message=error_message,
        columns=names(columns),
        types=names(types),
        run_count=run_count,
        first_started_at=to_datetime(first_started_at),
        has_sample=bool(has_sample),
    )
