"""What the history store hands out: frozen, typed records with no I/O.

Times are aware UTC datetimes; durations are seconds. A ``HistoryEntry`` is one *folded*
entry: identical consecutive runs (same SQL text, host and project) share one entry whose
fields describe the newest run and whose ``run_count`` says how many runs it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

EntryState = Literal["running", "done", "failed", "cancelled"]
"""``running`` from submission until ``record_finished``; the others are final."""

FinalState = Literal["done", "failed", "cancelled"]
"""States ``record_finished`` accepts (a cached result is ``done`` with ``from_cache``)."""

ENTRY_STATES: tuple[EntryState, ...] = ("running", "done", "failed", "cancelled")
"""Every state, for validating filters and for a browser's state picker."""

FINAL_STATES: tuple[FinalState, ...] = ("done", "failed", "cancelled")
"""The states a run can end in."""


@dataclass(frozen=True)
class HistorySettings:
    """How much history to keep and whether result samples are stored.

    ``max_entries`` counts runs (folded runs count one each); ``max_age_days`` is measured
    from a run's start. Saved entries (starred or named) are never pruned. ``sample_max_bytes``
    caps the JSON of one run's sample rows; rows beyond the cap are dropped, not cut.
    """

    max_entries: int | None = 50_000
    max_age_days: float | None = 365.0
    keep_samples: bool = True
    sample_max_bytes: int = 64 * 1024
    sample_max_rows: int = 1_000


@dataclass(frozen=True)
class ResultSample:
    """The first rows of a past result, as JSON gave them back (lists, numbers, strings).

    ``truncated`` is True when the result had more rows than were kept (byte or row cap).
    Values JSON cannot hold (dates, decimals, bytes) were stored as their ``str()``.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One history entry: the newest of ``run_count`` identical consecutive runs.

    ``id`` is the newest run's id (stable for star/name/delete: they act on the whole fold).
    ``duration`` is seconds; ``row_count`` is rows returned. ``sample`` is filled only by
    ``HistoryStore.get``; lists leave it None and say ``has_sample`` instead.
    """

    id: int
    sql: str
    name: str | None
    starred: bool
    host: str
    project_id: str | None
    client_query_id: str | None
    source: str
    state: EntryState
    started_at: datetime
    ended_at: datetime | None
    duration: float | None
    row_count: int | None
    truncated: bool
    from_cache: bool
    error_code: str | None
    error_message: str | None
    columns: tuple[str, ...]
    types: tuple[str, ...]
    run_count: int
    first_started_at: datetime
    has_sample: bool
    sample: ResultSample | None = None

    @property
    def is_saved(self) -> bool:
        """Starred or named: shown in the saved-queries list and never pruned."""
        return self.starred or self.name is not None

    @property
    def is_final(self) -> bool:
        """True once the run ended (done, failed or cancelled)."""
        return self.state != "running"
