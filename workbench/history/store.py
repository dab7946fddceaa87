"""``HistoryStore``: record every run, search and curate the history (SQLite, stdlib only).

Thread-safe (one connection behind a lock), multi-process safe (WAL, busy timeout, writes in
``BEGIN IMMEDIATE``). Recording never raises SQLite errors: on a failed write the store
switches to an in-memory copy, sets ``degraded_reason`` and carries on.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from workbench.history.model import (
    FINAL_STATES,
    FinalState,
    HistoryEntry,
    HistorySettings,
)
from workbench.history.opening import (
    CORRUPTION_CODES,
    in_memory,
    mark_suspect,
    open_history,
    primary_error,
    retry_busy,
)
from workbench.history.redact import clean_host, scrub_optional, scrub_secrets
from workbench.history.retention import prune_batch
from workbench.history.rows import row_to_entry, to_seconds
from workbench.history.samples import encode_sample
from workbench.history.schema import fts5_available
from workbench.history.search import Filters, build_query
from workbench.history.table import (
    close_running,
    delete_fold,
    fetch_entry,
    fetch_fold,
    finish_run,
    insert_run,
    update_fold,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

HISTORY_FILE = "history.sqlite3"
"""The history database's file name inside the data directory."""


def default_path() -> Path:
    """``<data dir>/history.sqlite3`` (``WORKBENCH_HOME`` relocates it)."""
    from workbench.paths import data_dir

    return data_dir() / HISTORY_FILE


class HistoryStore:
    """Every query run, recorded at submission and updated when it ends.

    ``path`` defaults to ``default_path()``; ``in_memory_only`` keeps nothing on disk.
    ``full_text`` None uses FTS5 when SQLite has it; False searches with LIKE only.
    ``clock`` gives epoch seconds (tests freeze it). Check ``notice`` and
    ``degraded_reason`` after opening: both are meant to be shown to the user once.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        in_memory_only: bool = False,
        settings: HistorySettings | None = None,
        full_text: bool | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or HistorySettings()
        self.full_text = fts5_available() if full_text is None else full_text and fts5_available()
        self.clock = clock
        self.path: Path | None = None if in_memory_only else Path(path or default_path())
        self.notice: str | None = None
        """Something the user should be told once (e.g. a damaged file was moved aside)."""
        self.degraded_reason: str | None = None
        """Why history is in memory only this session (None while it is saved to disk)."""
        self.moved_aside: Path | None = None
        self._lock = threading.RLock()
        if self.path is None:
            self._conn = in_memory(full_text=self.full_text)
        else:
            opened = open_history(self.path, full_text=self.full_text)
            self._conn = opened.conn
            self.notice = opened.notice
            self.degraded_reason = opened.degraded_reason
            self.moved_aside = opened.moved_aside
        self._closed = False

    # -- plumbing -------------------------------------------------------------------------

    def _do(self, what: str, op: Callable[[sqlite3.Connection], T], default: T) -> T:
        """Run ``op``; on a SQLite error switch to memory and retry once, else ``default``."""
        with self._lock:
            if self._closed:
                return default
            try:
                return retry_busy(lambda: op(self._conn))
            except sqlite3.Error as exc:
                if self.degraded_reason is not None or self.path is None:
                    log.warning("history: %s failed: %s", what, exc)
                    return default
                if primary_error(exc) in CORRUPTION_CODES:
                    mark_suspect(self.path)  # checked, and moved aside if bad, at next open
                self._degrade(f"{what} failed on {self.path} ({exc})")
            try:
                return op(self._conn)
            except sqlite3.Error as exc:
                log.warning("history: %s failed in memory too: %s", what, exc)
                return default

    def _degrade(self, reason: str) -> None:
        log.warning("history: %s; keeping this session's history in memory only", reason)
        old = self._conn
        self._conn = in_memory(full_text=self.full_text, seed=old)
        old.close()
        self.degraded_reason = reason

    def close(self) -> None:
        """Close the database (idempotent); later calls do nothing and return empty results."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- recording ------------------------------------------------------------------------

    def record_submitted(
        self,
        sql: str,
        *,
        host: str,
        project_id: str | int | None,
        client_query_id: str | None = None,
        started_at: datetime | float | None = None,
        source: str = "app",
    ) -> int:
        """Record a run the moment it is submitted; returns its entry id (0 if not recorded).

        An identical run (same SQL text, host and project) right after the newest entry is
        folded into it: the new run becomes that entry's newest run, ``run_count`` + 1.
        There is deliberately no key parameter: keys never reach history.
        """
        sql = scrub_secrets(sql)
        host = clean_host(host)
        project = None if project_id is None else scrub_secrets(str(project_id))
        started = to_seconds(started_at, self.clock())
        cqid = scrub_optional(client_query_id)

        def op(conn: sqlite3.Connection) -> int:
            return insert_run(
                conn, sql=sql, host=host, project=project, client_query_id=cqid,
                source=source, started=started,
            )  # fmt: skip

        return self._do("recording a run", op, 0)

    def record_finished(
        self,
        entry_id: int,
        *,
        state: FinalState,
        ended_at: datetime | float | None = None,
        duration: float | None = None,
        row_count: int | None = None,
        truncated: bool = False,
        from_cache: bool = False,
        error_code: str | int | None = None,
        error_message: str | None = None,
        columns: Sequence[str] = (),
        types: Sequence[str] = (),
        rows: Sequence[Sequence[Any]] | None = None,
    ) -> bool:
        """Record how a run ended; False if ``entry_id`` is unknown (e.g. pruned or deleted).

        ``duration`` is seconds (default: ``ended_at`` minus the start). ``rows`` become
        the entry's sample when samples are on, capped by ``settings.sample_max_bytes``.
        """
        if state not in FINAL_STATES:
            raise ValueError(f"state must be one of {FINAL_STATES}, not {state!r}")
        ended = to_seconds(ended_at, self.clock())
        sample: str | None = None
        if rows is not None and self.settings.keep_samples:
            sample, _, _ = encode_sample(
                rows,
                max_bytes=self.settings.sample_max_bytes,
                max_rows=self.settings.sample_max_rows,
            )
        values = (
            state,
            ended,
            duration,
            ended,
            row_count,
            int(truncated),
            int(from_cache),
            None if error_code is None else str(error_code),
            scrub_optional(error_message),
            json.dumps([scrub_secrets(str(c)) for c in columns]),
            json.dumps([str(t) for t in types]),
            int(sample is not None),
        )

        def op(conn: sqlite3.Connection) -> bool:
            return finish_run(conn, entry_id, values, sample)

        return self._do("recording a run's end", op, False)

    # -- reading --------------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        *,
        state: str | None = None,
        project: str | int | None = None,
        host: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        starred_only: bool = False,
        saved_only: bool = False,
        limit: int = 100,
    ) -> list[HistoryEntry]:
        """Folded entries matching every given filter, newest first, at most ``limit``.

        ``text`` matches SQL and names word by word (prefixes with FTS5, substrings without).
        Raises ValueError for an unknown ``state``.
        """
        filters = Filters(
            text=text,
            state=state,
            project=None if project is None else str(project),
            host=host,
            since=since,
            until=until,
            starred_only=starred_only,
            saved_only=saved_only,
        )

        def op(conn: sqlite3.Connection) -> list[HistoryEntry]:
            sql, params = build_query(filters, full_text=self.full_text, limit=limit)
            try:
                rows = conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError:
                if not self.full_text:
                    raise
                # An FTS5 query it cannot parse: substring search still answers.
                sql, params = build_query(filters, full_text=False, limit=limit)
                rows = conn.execute(sql, params).fetchall()
            return [row_to_entry(row) for row in rows]

        return self._do("searching history", op, [])

    def recent(self, limit: int = 100) -> list[HistoryEntry]:
        """The newest ``limit`` entries (``search`` with no filters)."""
        return self.search(limit=limit)

    def saved(self, *, limit: int = 100) -> list[HistoryEntry]:
        """Saved queries (starred or named), newest first."""
        return self.search(saved_only=True, limit=limit)

    def get(self, entry_id: int) -> HistoryEntry | None:
        """One entry (any run id, folded or not) with its sample rows, or None."""

        return self._do("reading history", lambda conn: fetch_entry(conn, entry_id), None)

    def runs_of(self, entry_id: int) -> list[HistoryEntry]:
        """Every run folded into ``entry_id``'s entry, newest first (without samples)."""

        return self._do("reading history", lambda conn: fetch_fold(conn, entry_id), [])

    def count(self) -> int:
        """How many runs are stored (folded runs count one each)."""
        return self._do(
            "counting history",
            lambda conn: int(conn.execute("SELECT count(*) FROM runs").fetchone()[0]),
            0,
        )

    # -- curating -------------------------------------------------------------------------

    def set_starred(self, entry_id: int, starred: bool = True) -> bool:
        """Star or unstar the entry (all its folded runs); False if it does not exist."""
        return self._do(
            "starring", lambda conn: update_fold(conn, "starred", int(starred), entry_id), False
        )

    def set_name(self, entry_id: int, name: str | None) -> bool:
        """Name the entry (None or blank removes the name); False if it does not exist."""
        cleaned = scrub_secrets(name.strip()) if name and name.strip() else None
        return self._do("naming", lambda conn: update_fold(conn, "name", cleaned, entry_id), False)

    def delete(self, entry_id: int) -> int:
        """Delete the entry with all its folded runs; returns how many runs were deleted."""

        return self._do("deleting", lambda conn: delete_fold(conn, entry_id), 0)

    def close_abandoned(self, *, older_than: float = 86_400.0) -> int:
        """Mark runs still ``running`` that started over ``older_than`` seconds ago as
        cancelled (error code ``interrupted``): their process ended without recording the
        end. Another instance may still be running recent ones, hence the age. Returns how
        many were closed."""
        cutoff = self.clock() - older_than

        return self._do("closing abandoned runs", lambda conn: close_running(conn, cutoff), 0)

    def prune(self, *, batch_size: int = 200, max_batches: int | None = None) -> int:
        """Apply retention (``settings``) in batches; returns runs deleted.

        Meant for a worker thread: the lock is released between batches, so recording and
        searching interleave with a long prune.
        """
        total = 0
        batches = 0
        while max_batches is None or batches < max_batches:
            deleted = self._do(
                "pruning",
                lambda conn: prune_batch(
                    conn, self.settings, now=self.clock(), batch_size=batch_size
                ),
                0,
            )
            total += deleted
            batches += 1
            if deleted < batch_size:
                break
            time.sleep(0)  # let a waiting thread take the lock
        return total
