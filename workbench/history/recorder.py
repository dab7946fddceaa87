"""Record runs from the app's run registry or the CLI without knowing the client's types.

``RunRecorder`` plugs into ``RunRegistry.add_submit_listener`` / ``add_finish_listener``;
``finish_with_result`` / ``finish_with_error`` serve one-shot callers (``workbench query``).
Everything is duck-typed (no client import: this package stays stdlib-only) and nothing here
raises: history must never break a query.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from workbench.history.model import HistorySettings
from workbench.history.store import HistoryStore

log = logging.getLogger(__name__)

CANCELLATIONS = frozenset({"QueryCancelled", "CancelledError", "KeyboardInterrupt"})
"""Exception class names (anywhere in the MRO) that mean cancelled rather than failed."""


class RunLike(Protocol):
    """What ``RunRecorder`` reads from a ``workbench.runs.QueryRun``."""

    client_query_id: str
    sql: str
    submitted_at: float
    finished_at: float | None
    result: Any
    error: BaseException | None
    display_table: Any


def arrow_rows(table: Any, limit: int) -> list[list[Any]]:
    """The first ``limit`` rows of an Arrow-like table (``slice``, ``column``), as lists."""
    head = table.slice(0, limit)
    columns = [head.column(i).to_pylist() for i in range(head.num_columns)]
    return [list(row) for row in zip(*columns, strict=True)]


def finish_with_result(
    store: HistoryStore,
    entry_id: int,
    result: Any,
    *,
    duration: float | None = None,
    display_table: Any = None,
) -> bool:
    """Record a ``QueryResult``: done (cached or not), rows, columns, types and a sample.

    ``duration`` defaults to ``result.elapsed`` (seconds). When the result's Python rows
    were dropped, the sample comes from ``display_table`` (Arrow) instead.
    """
    try:
        rows = list(result.rows)
        if not rows and display_table is not None and store.settings.keep_samples:
            rows = arrow_rows(display_table, store.settings.sample_max_rows)
        count = int(display_table.num_rows) if display_table is not None else len(result.rows)
        return store.record_finished(
            entry_id,
            state="done",
            duration=result.elapsed if duration is None else duration,
            row_count=count,
            truncated=bool(result.truncated),
            from_cache=bool(result.is_cached),
            columns=tuple(result.columns),
            types=tuple(result.types),
            rows=rows,
        )
    except Exception:  # a malformed result must not break the query that produced it
        log.exception("history: could not record a result")
        return False


def is_cancellation(error: BaseException) -> bool:
    """True for the client's ``QueryCancelled``, asyncio cancellation and Ctrl-C."""
    if isinstance(error, asyncio.CancelledError | KeyboardInterrupt):
        return True
    return any(cls.__name__ in CANCELLATIONS for cls in type(error).__mro__)


def finish_with_error(
    store: HistoryStore, entry_id: int, error: BaseException, *, duration: float | None = None
) -> bool:
    """Record a failure (or a cancellation): the error's ``code`` or class name, and message."""
    code = getattr(error, "code", None) or type(error).__name__
    return store.record_finished(
        entry_id,
        state="cancelled" if is_cancellation(error) else "failed",
        duration=duration,
        error_code=str(code),
        error_message=str(error) or type(error).__name__,
    )


class RunRecorder:
    """Records every run of a ``RunRegistry`` into a ``HistoryStore``.

    ``registry.add_submit_listener(recorder.on_submit)`` and
    ``registry.add_finish_listener(recorder.on_finish)``. Call ``set_connection`` when the
    user switches host or project. Durations come from the registry's clock (seconds).
    """

    def __init__(
        self,
        store: HistoryStore,
        *,
        host: str,
        project_id: str | int | None,
        source: str = "app",
    ) -> None:
        self.store = store
        self.host = host
        self.project_id = project_id
        self.source = source
        self._entry_ids: dict[str, int] = {}

    def set_connection(self, host: str, project_id: str | int | None) -> None:
        """Runs submitted from now on are recorded against this connection."""
        self.host, self.project_id = host, project_id

    def entry_id(self, client_query_id: str) -> int | None:
        """The history entry of a run still in flight, or None."""
        return self._entry_ids.get(client_query_id)

    def on_submit(self, run: RunLike) -> None:
        """Submit listener: record the run as running."""
        entry_id = self.store.record_submitted(
            run.sql,
            host=self.host,
            project_id=self.project_id,
            client_query_id=run.client_query_id,
            source=self.source,
        )
        if entry_id:
            self._entry_ids[run.client_query_id] = entry_id

    def on_finish(self, run: RunLike) -> None:
        """Finish listener: record the result, the error or the cancellation."""
        entry_id = self._entry_ids.pop(run.client_query_id, None)
        if entry_id is None:
            return
        duration = None
        if run.finished_at is not None:
            duration = max(0.0, run.finished_at - run.submitted_at)
        if run.result is not None:
            finish_with_result(
                self.store, entry_id, run.result, duration=duration, display_table=run.display_table
            )
        elif run.error is not None:
            finish_with_error(self.store, entry_id, run.error, duration=duration)
        else:
            self.store.record_finished(entry_id, state="cancelled", duration=duration)


class SingleRunRecorder:
    """Records one run outside the app (``workbench query``), the way the app records its runs.

    Opens the store only when ``enabled``; ``client_query_id`` is the id to submit with.
    ``finish`` takes the result or the exception and closes the store. Never raises.
    """

    def __init__(
        self,
        sql: str,
        *,
        host: str,
        project_id: str | int | None,
        enabled: bool,
        settings: HistorySettings | None = None,
    ) -> None:
        import uuid

        self.client_query_id = uuid.uuid4().hex
        self._store: HistoryStore | None = None
        self._entry_id = 0
        if enabled:
            self._store = HistoryStore(settings=settings)
            self._entry_id = self._store.record_submitted(
                sql,
                host=host,
                project_id=project_id,
                client_query_id=self.client_query_id,
                source="cli",
            )

    def finish(self, outcome: object) -> None:
        """Record ``outcome``: a ``QueryResult``, or the error or cancellation that ended it."""
        store, self._store = self._store, None
        if store is None:
            return
        if isinstance(outcome, BaseException):
            finish_with_error(store, self._entry_id, outcome)
        else:
            finish_with_result(store, self._entry_id, outcome)
        store.close()
