"""The registry of query runs, keyed by ``client_query_id``.

Each run moves ``QUEUED → RUNNING → (DONE | CACHED | FAILED | CANCELLED)``, possibly through
``CANCELLING``. Finished runs stay until ``clear_finished``. Times are seconds from an
injectable monotonic clock, so tests can freeze them.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.runs.export_run import ExportTask

if TYPE_CHECKING:
    from workbench.client import QueryProgress, QueryResult
    from workbench.export.progress import ExportProgress, ExportSummary

Clock = Callable[[], float]
"""A monotonic clock in seconds."""

RunListener = Callable[["QueryRun"], None]
"""Called with a run when it is submitted or becomes final (the history recorder's seam).

A finished run's rows are in ``display_table`` (Arrow); ``result.rows`` is empty by then.
``QueryRun.extra`` is free for a listener's own data, e.g. a history entry id. Listeners hear
about query runs only: an export run re-reads a query the user already ran (and recorded).
"""

FinishListener = RunListener
"""Kept for readers of the first version of this module."""


class RunState(enum.Enum):
    """Where a run is in its life; the value is what the sidebar shows."""

    QUEUED = "queued"
    RUNNING = "running"
    CANCELLING = "cancelling"
    DONE = "done"
    CACHED = "from cache"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """True once nothing more will happen to the run."""
        return self in _FINAL_STATES


_FINAL_STATES = frozenset({RunState.DONE, RunState.CACHED, RunState.FAILED, RunState.CANCELLED})


@dataclass
class QueryRun:
    """One submitted query, or an export of every row of one (``export`` is set).

    ``sql_offset`` is the character offset of ``sql`` inside the editor buffer it came
    from (``editor_id``), so error positions can be mapped back onto the buffer.
    ``display_table`` is the grid-ready (literalised) Arrow table, built off the UI thread.
    """

    client_query_id: str
    sql: str
    submitted_at: float
    editor_id: str = ""
    sql_offset: int = 0
    state: RunState = RunState.QUEUED
    progress: QueryProgress | None = None
    result: QueryResult | None = None
    display_table: Any = None
    error: BaseException | None = None
    finished_at: float | None = None
    started_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    export: ExportTask | None = None
    """Set for an export-all run: its file, progress and summary (``result`` stays None)."""
    reported_at: float | None = None
    """Registry-clock time of the last export progress report (a rate wait counts from it)."""

    @property
    def is_export(self) -> bool:
        """True for an export-all run."""
        return self.export is not None

    def elapsed(self, now: float) -> float:
        """Seconds since submission, frozen once the run is final."""
        end = self.finished_at if self.finished_at is not None else now
        return max(0.0, end - self.submitted_at)

    @property
    def row_count(self) -> int:
        """Rows in the result (the display table's; the client's Python rows are dropped)."""
        if self.display_table is not None:
            return int(self.display_table.num_rows)
        return len(self.result.rows) if self.result is not None else 0

    @property
    def snippet(self) -> str:
        """The SQL on one line, whitespace collapsed (not truncated: the view crops)."""
        return " ".join(self.sql.split())

    @property
    def progress_fraction(self) -> float | None:
        """rows_read / estimated_rows_total in [0, 1], or None without an estimate."""
        progress = self.progress
        if progress is None or progress.estimated_rows_total <= 0:
            return None
        return min(1.0, progress.rows_read / progress.estimated_rows_total)


class UnknownRun(KeyError):
    """No run with that client_query_id is in the registry."""


class RunRegistry:
    """All runs of this session, in submission order; the single source of truth."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self._runs: dict[str, QueryRun] = {}
        self._finish_listeners: list[RunListener] = []
        self._submit_listeners: list[RunListener] = []

    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self) -> Iterator[QueryRun]:
        return iter(list(self._runs.values()))

    def __contains__(self, client_query_id: object) -> bool:
        return client_query_id in self._runs

    def get(self, client_query_id: str) -> QueryRun:
        """The run with that id; raises ``UnknownRun``."""
        try:
            return self._runs[client_query_id]
        except KeyError:
            raise UnknownRun(client_query_id) from None

    def find(self, client_query_id: str) -> QueryRun | None:
        """The run with that id, or None (e.g. after it was cleared)."""
        return self._runs.get(client_query_id)

    def add_finish_listener(self, listener: RunListener) -> None:
        """Call ``listener`` whenever a run becomes final (e.g. a history recorder)."""
        self._finish_listeners.append(listener)

    def add_submit_listener(self, listener: RunListener) -> None:
        """Call ``listener`` with each newly submitted run."""
        self._submit_listeners.append(listener)

    def submit(
        self,
        client_query_id: str,
        sql: str,
        *,
        editor_id: str = "",
        sql_offset: int = 0,
        export: ExportTask | None = None,
    ) -> QueryRun:
        """Register a new queued run (an export-all when ``export`` is given); ids are unique."""
        if client_query_id in self._runs:
            raise ValueError(f"duplicate client_query_id {client_query_id!r}")
        run = QueryRun(
            client_query_id=client_query_id,
            sql=sql,
            submitted_at=self.clock(),
            editor_id=editor_id,
            sql_offset=sql_offset,
            export=export,
        )
        self._runs[client_query_id] = run
        if export is None:
            for listener in self._submit_listeners:
                listener(run)
        return run

    def mark_running(self, client_query_id: str) -> QueryRun:
        """The request went out."""
        run = self.get(client_query_id)
        if run.state is RunState.QUEUED:
            run.state = RunState.RUNNING
            run.started_at = self.clock()
        return run

    def record_progress(self, client_query_id: str, progress: QueryProgress) -> QueryRun:
        """New progress from the server; ignored once the run is final."""
        run = self.get(client_query_id)
        if not run.state.is_final:
            run.progress = progress
            if run.state is RunState.QUEUED:
                run.state = RunState.RUNNING
        return run

    def record_export_progress(self, client_query_id: str, progress: ExportProgress) -> QueryRun:
        """A report from an export-all job; ignored once the run is final."""
        run = self.get(client_query_id)
        if run.export is None:
            raise ValueError(f"{client_query_id!r} is not an export run")
        if not run.state.is_final:
            run.export.progress = progress
            run.reported_at = self.clock()
            if run.state is RunState.QUEUED:
                run.state = RunState.RUNNING
                run.started_at = run.reported_at
        return run

    def finish_export(self, client_query_id: str, summary: ExportSummary) -> QueryRun:
        """The export's file is complete."""
        run = self.get(client_query_id)
        if run.export is None:
            raise ValueError(f"{client_query_id!r} is not an export run")
        if run.state.is_final:
            return run
        run.export.summary = summary
        run.state = RunState.DONE
        return self._finalise(run)

    def mark_cancelling(self, client_query_id: str) -> QueryRun:
        """The user asked to cancel; the server has not confirmed yet."""
        run = self.get(client_query_id)
        if not run.state.is_final:
            run.state = RunState.CANCELLING
        return run

    def finish(
        self, client_query_id: str, result: QueryResult, display_table: Any = None
    ) -> QueryRun:
        """Rows arrived. A result arriving after a cancel request still counts as done."""
        run = self.get(client_query_id)
        if run.state.is_final:
            return run
        run.result = result
        run.display_table = display_table
        run.state = RunState.CACHED if result.is_cached else RunState.DONE
        return self._finalise(run)

    def fail(self, client_query_id: str, error: BaseException) -> QueryRun:
        """The query failed; ``error`` is kept for display."""
        run = self.get(client_query_id)
        if run.state.is_final:
            return run
        run.error = error
        run.state = RunState.FAILED
        return self._finalise(run)

    def mark_cancelled(self, client_query_id: str) -> QueryRun:
        """The query was cancelled (locally and on the server)."""
        run = self.get(client_query_id)
        if run.state.is_final:
            return run
        run.state = RunState.CANCELLED
        return self._finalise(run)

    def active(self) -> list[QueryRun]:
        """Runs not yet final, oldest first."""
        return [run for run in self._runs.values() if not run.state.is_final]

    def newest(self) -> QueryRun | None:
        """The most recently submitted run."""
        return next(reversed(self._runs.values()), None)

    def clear_finished(self) -> list[str]:
        """Drop every final run; returns the ids dropped."""
        dropped = [cid for cid, run in self._runs.items() if run.state.is_final]
        for cid in dropped:
            del self._runs[cid]
        return dropped

    def _finalise(self, run: QueryRun) -> QueryRun:
        run.finished_at = self.clock()
        if run.export is None:
            for listener in self._finish_listeners:
                listener(run)
        return run
