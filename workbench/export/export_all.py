"""Export every row of a HogQL query, past PostHog's 50,000-row cap, into one file.

``ExportJob`` pages with keyset pagination (``workbench.export.keyset``: how ties at page
boundaries are handled), appends each page to a staging file (``workbench.export.files``)
and, after each page, records where it stands in a sidecar (``workbench.export.state``), so
an interrupted export resumes from its last page. Memory holds one page at a time.

Progress goes to ``on_progress(ExportProgress)`` after every step. Before each query the job
asks the client's rate budget how long to wait and sleeps that long (reporting it); a 429
from PostHog also waits and retries. Cancelling the task that awaits ``run()`` cancels the
in-flight query on the server (the client does that) and leaves the export resumable.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from workbench.export.files import (
    ExportError,
    StagingFile,
    check_writable,
    describe_os_error,
    replace_atomically,
    staging_path,
    temp_path,
)
from workbench.export.formats import Format, make_encoder
from workbench.export.keyset import (
    MAX_PAGE_ROWS,
    Boundary,
    KeysetQuery,
    Phase,
    cut_page,
    is_nullable,
)
from workbench.export.progress import ExportProgress, ExportSummary, ProgressCallback, Stage
from workbench.export.state import ExportState, query_digest, state_path
from workbench.memory import release_free_memory

if TYPE_CHECKING:
    from workbench.client import PostHogClient, QueryResult

RATE_LIMIT_RETRIES = 5
"""429s in a row before giving up (each waits ``Retry-After``); the export stays resumable."""

ENCODE_CHUNK_ROWS = 5_000
"""Rows encoded at a time: the encoded bytes held at once stay at a few MB instead of a
whole page's tens of MB."""

CONCURRENCY_WAIT = 5.0
"""Seconds to wait after a 429 without ``Retry-After`` (too many queries running at once)."""


Sleep = Callable[[float], Awaitable[None]]


class ExportJob:
    """One export of ``sql`` to ``destination``; ``await job.run()`` does it."""

    def __init__(
        self,
        client: PostHogClient,
        sql: str,
        destination: Path,
        *,
        fmt: Format = "csv",
        key: str = "timestamp",
        tiebreak: str | None = None,
        page_size: int = MAX_PAGE_ROWS,
        count_total: bool = True,
        resume: bool = False,
        mode: Literal["async", "blocking"] = "async",
        on_progress: ProgressCallback | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.query = KeysetQuery(sql, key=key, tiebreak=tiebreak, page_size=page_size)
        self.destination = destination
        self.fmt: Format = fmt
        self.count_total = count_total
        self.mode: Literal["async", "blocking"] = mode
        """How each page query runs (``blocking`` waits on the POST; PostHog's gateway ends
        those after about 60 s, so big pages of slow queries want ``async``)."""
        self.resume = resume
        self.on_progress = on_progress
        self._sleep = sleep
        self._clock = clock
        self.state_path = state_path(destination)
        self.staging_path = staging_path(destination)
        self.progress = ExportProgress("querying", 0, 0, None, 0.0, None, None)
        """The latest report (also sent to ``on_progress``)."""
        self._started = 0.0
        self._rows_at_start = 0

    # -- reporting -------------------------------------------------------------------------

    def _report(
        self,
        state: ExportState,
        stage: Stage,
        *,
        waiting: float | None = None,
        query_id: str | None = None,
    ) -> None:
        elapsed = self._clock() - self._started
        done_here = state.rows_written - self._rows_at_start
        rate = done_here / elapsed if elapsed > 0 and done_here > 0 else None
        eta = None
        if rate and state.total_rows is not None:
            eta = max(0.0, state.total_rows - state.rows_written) / rate
        self.progress = ExportProgress(
            stage,
            state.rows_written,
            state.pages,
            state.total_rows,
            elapsed,
            rate,
            eta,
            waiting,
            query_id,
        )
        if self.on_progress is not None:
            self.on_progress(self.progress)

    # -- queries ---------------------------------------------------------------------------

    async def _wait_for_budget(self, state: ExportState) -> None:
        """Sleep until the budget has room for a HogQL query and its polls (reported)."""
        budget = self.client.budget
        wait = max(budget.wait_time("hogql"), budget.wait_time("other"))
        if wait > 0:
            self._report(state, "waiting", waiting=wait)
            await self._sleep(wait)

    async def _run(
        self, state: ExportState, sql: str, row_limit: int, stage: Stage = "querying"
    ) -> QueryResult:
        """Run one query within the rate budget, retrying 429s after their wait; reported as
        ``stage`` (``counting`` for the count) with its ``query_id`` while it is in flight."""
        from uuid import uuid4

        from workbench.client import RateLimited

        for attempt in range(RATE_LIMIT_RETRIES + 1):
            await self._wait_for_budget(state)
            query_id = uuid4().hex
            self._report(state, stage, query_id=query_id)
            try:
                result = await self.client.run_query(
                    sql,
                    client_query_id=query_id,
                    mode=self.mode,
                    row_limit=row_limit,
                    name="workbench export",
                )
                return result
            except RateLimited as exc:
                if attempt == RATE_LIMIT_RETRIES:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else CONCURRENCY_WAIT
                self._report(state, "waiting", waiting=wait)
                await self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- the export ------------------------------------------------------------------------

    def _load_or_new_state(self) -> ExportState:
        digest = query_digest(self.query.sql)
        saved = ExportState.load(self.state_path) if self.resume else None
        if saved is not None:
            wanted = (digest, self.query.key, self.query.tiebreak, self.fmt)
            if (saved.sql_sha256, saved.key, saved.tiebreak, saved.format) != wanted:
                raise ExportError(
                    f"{self.state_path} belongs to an export with another query, key or format; "
                    "run without --resume to start over."
                )
            return saved
        return ExportState(
            digest, self.query.key, self.query.tiebreak, self.fmt, self.query.page_size
        )

    async def run(self) -> ExportSummary:
        """Export every row; returns a summary. Raises ``ExportError`` (files, ties, columns) or
        the client's ``PostHogError``; after either, or a cancellation, ``resume=True`` goes on."""
        check_writable(self.destination)
        state = self._load_or_new_state()
        if not self.resume or state.committed_bytes == 0:
            with contextlib.suppress(FileNotFoundError):
                self.staging_path.unlink()
        self._started = self._clock()
        self._rows_at_start = state.rows_written
        if self.count_total and state.total_rows is None:
            counted = await self._run(state, self.query.count_sql(), 1, "counting")
            state.total_rows = int(counted.rows[0][0]) if counted.rows else None
        staging = StagingFile(self.staging_path, self.destination, committed=state.committed_bytes)
        with staging.open():
            while state.phase is not None:
                await self._next_page(state, staging)
        await self._finish(state)
        self._report(state, "done")
        return ExportSummary(
            self.destination, state.rows_written, state.pages, self.progress.elapsed
        )

    def _cursor_types(self, state: ExportState, phase: Phase) -> list[str]:
        return [state.types[state.columns.index(c)] for c in self.query.cursor_columns(phase)]

    async def _next_page(self, state: ExportState, staging: StagingFile) -> None:
        """Fetch, cut and commit one page of the current phase; advance the state."""
        phase = state.phase
        assert phase is not None
        types = self._cursor_types(state, phase) if state.columns else []
        sql = self.query.page_sql(phase, state.next_boundary, types)
        limit = self.query.page_limit(phase)
        page = await self._first_page(state, sql, limit) if not state.columns else None
        if page is None:
            page = await self._run(state, sql, limit)
        header = b""
        if not state.columns:  # the first page names the columns and their types
            self._adopt_columns(state, page)
            header = make_encoder(self.fmt, state.columns, state.types).header()
        elif list(page.columns) != state.columns:
            raise ExportError("The query's columns changed between pages; start over.")
        indexes = [state.columns.index(c) for c in self.query.cursor_columns(phase)]
        cut = cut_page(page.rows, indexes, limit)
        rows = page.rows[: cut.keep]
        del page  # one page in memory at a time
        if cut.group is not None:
            group_sql = self.query.group_sql(phase, cut.group, self._cursor_types(state, phase))
            group = await self._run(state, group_sql, MAX_PAGE_ROWS)
            if group.row_count >= MAX_PAGE_ROWS:
                shared = " and ".join(self.query.cursor_columns(phase)) or "NULL key"
                raise ExportError(
                    f"{MAX_PAGE_ROWS:,} or more rows share one {shared} value: choose a "
                    "tiebreaker column (such as uuid) that tells them apart."
                )
            rows = group.rows
        # Encoding and fsync take a while for 50,000 rows: off the event loop (the app's UI).
        # Shielded: a cancellation lets the page land before the staging file is closed.
        write = asyncio.ensure_future(
            asyncio.to_thread(self._write_page, state, staging, header, rows, phase, cut.next)
        )
        try:
            await asyncio.shield(write)
        except asyncio.CancelledError:
            await asyncio.wait([write])
            raise
        self._report(state, "querying")

    def _write_page(
        self,
        state: ExportState,
        staging: StagingFile,
        header: bytes,
        rows: list[list[Any]],
        phase: Phase,
        boundary: Boundary | None,
    ) -> None:
        """Append and commit one page, then record the new position in the sidecar."""
        encoder = make_encoder(self.fmt, state.columns, state.types)
        staging.append(header)
        for start in range(0, len(rows), ENCODE_CHUNK_ROWS):
            chunk = rows[start : start + ENCODE_CHUNK_ROWS]
            staging.append(encoder.rows(chunk, first=state.rows_written + start == 0))
        state.rows_written += len(rows)
        state.pages += 1
        state.move_to(boundary)
        if boundary is None:
            state.phase = self._phase_after(state, phase)
        if state.phase is None:
            staging.append(encoder.footer(empty=state.rows_written == 0))
        state.committed_bytes = staging.commit()
        state.save(self.state_path)
        release_free_memory()

    async def _first_page(self, state: ExportState, sql: str, limit: int) -> QueryResult:
        """The first page; a HogQL error naming a cursor column means it is not in the result."""
        from workbench.client import HogQLError

        try:
            return await self._run(state, sql, limit)
        except HogQLError as exc:
            columns = self.query.cursor_columns("keyed")
            if not any(column in exc.message for column in columns):
                raise  # an error in the query itself
            names = " and ".join(repr(c) for c in columns)
            raise ExportError(
                f"{exc.message} (paging on {names}: each must be a column of the query's "
                "result; add it to the SELECT or choose another key)."
            ) from exc

    def _adopt_columns(self, state: ExportState, page: QueryResult) -> None:
        columns = list(page.columns)
        for column in self.query.cursor_columns("keyed"):
            if column not in columns:
                raise ExportError(
                    f"The query's result has no column {column!r} to page on: "
                    "add it to the SELECT or choose another key."
                )
        state.columns, state.types = columns, list(page.types)

    def _phase_after(self, state: ExportState, phase: Phase) -> Phase | None:
        key_type = state.types[state.columns.index(self.query.key)]
        return "nulls" if phase == "keyed" and is_nullable(key_type) else None

    async def _finish(self, state: ExportState) -> None:
        """Turn the staging file into the destination and remove the sidecar."""
        self._report(state, "finishing")
        encoder = make_encoder(self.fmt, state.columns, state.types)
        final = temp_path(self.destination)
        try:
            await asyncio.to_thread(encoder.finish, self.staging_path, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                final.unlink()
            raise ExportError(describe_os_error(exc, self.destination)) from None
        replace_atomically(final, self.destination)
        with contextlib.suppress(OSError):
            os.unlink(self.state_path)
