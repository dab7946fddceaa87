"""chDB execution: a pool of connections on one database path, tagging, progress and KILL.

chDB allows one database path per process; every connection here opens the same path.
Each pool thread owns a connection while it runs a query (chDB releases the GIL), and a
separate control connection reads ``system.processes`` and issues ``KILL QUERY``.

After any failed query the connection is replaced: chDB 4.4 otherwise prepends the failed
query's partial output to the next result on that connection.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

QUERY_TAG_PREFIX = "hogql_query_id="
"""Marker in the SQL comment that identifies our queries in ``system.processes``."""

_TAG_PATTERN = re.compile(r"^[0-9a-f]{32}$")
"""Query tags are 32 hex chars, so they are safe inside SQL text."""
_ERROR_PATTERN = re.compile(r"Code: (\d+)\. DB::Exception: (.*?)(?: \(([A-Z_0-9]+)\))?\s*$", re.S)
"""chDB's error text: ``Code: N. DB::Exception: message (NAME)``."""

_PROGRESS_SQL = (
    "SELECT extract(query, 'hogql_query_id=([0-9a-f]{32})') AS tag, read_rows, read_bytes,"
    " total_rows_approx, elapsed, ProfileEvents['OSCPUVirtualTimeMicroseconds'] AS cpu_us"
    " FROM system.processes WHERE tag != '' AND query_kind = 'Select'"
)
"""Progress of all tagged queries; the regex needs 32 hex digits, so it never matches itself."""


class ClickHouseError(Exception):
    """A query failed inside ClickHouse: ``code`` number, ``name`` (e.g. TIMEOUT_EXCEEDED)."""

    def __init__(self, code: int, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.code = code
        self.name = name
        self.message = message

    @classmethod
    def from_chdb(cls, exc: BaseException) -> ClickHouseError:
        """Parse chDB's ``Code: N. DB::Exception: message (NAME)`` text."""
        text = str(exc)
        match = _ERROR_PATTERN.search(text)
        if match is None:
            return cls(0, "UNKNOWN_EXCEPTION", text)
        return cls(int(match.group(1)), match.group(3) or "UNKNOWN_EXCEPTION", match.group(2))


@dataclass(frozen=True)
class RawResult:
    """A finished query: ``meta`` as (name, ClickHouse type) pairs, rows as JSON values.

    ``elapsed`` is ClickHouse's own execution time in seconds.
    """

    meta: list[tuple[str, str]]
    rows: list[list[Any]]
    elapsed: float
    rows_read: int
    bytes_read: int


@dataclass(frozen=True)
class ProcessProgress:
    """One running query as ``system.processes`` reports it (elapsed in seconds, CPU in µs)."""

    tag: str
    rows_read: int
    bytes_read: int
    total_rows_approx: int
    elapsed: float
    cpu_us: int


def settings_clause(settings: Mapping[str, int | str]) -> str:
    """`` SETTINGS a=1, b='x'`` from trusted server-side values (strings are quoted)."""
    parts = []
    for name, value in settings.items():
        if not name.isidentifier():
            raise ValueError(f"bad setting name {name!r}")
        if isinstance(value, str):
            escaped = value.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"{name}='{escaped}'")
        else:
            parts.append(f"{name}={int(value)}")
    return " SETTINGS " + ", ".join(parts)


class ChdbEngine:
    """Runs ClickHouse SQL on a pool of chDB connections to ``path``.

    ``pool_size`` queries run at once; more wait for a free connection. Methods block and
    are meant for worker threads: :meth:`execute` on :attr:`query_executor`, the control
    methods (:meth:`progress`, :meth:`kill`) on :attr:`control_executor`.
    """

    def __init__(self, path: Path, *, pool_size: int = 4) -> None:
        import chdb

        self._connect: Callable[[], Any] = lambda: chdb.connect(str(path))  # type: ignore[no-untyped-call]
        self._control = self._connect()
        self._control_lock = threading.Lock()
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        for _ in range(pool_size):
            self._idle.put(self._connect())
        self.pool_size = pool_size
        self.query_executor = ThreadPoolExecutor(pool_size, thread_name_prefix="chdb-query")
        self.control_executor = ThreadPoolExecutor(2, thread_name_prefix="chdb-control")

    def execute(
        self,
        sql: str,
        *,
        tag: str,
        settings: Mapping[str, int | str],
        cancelled: threading.Event | None = None,
    ) -> RawResult:
        """Run one SELECT tagged with ``tag`` (32 hex chars); raise :class:`ClickHouseError`.

        ``cancelled`` set while the query waited for a connection stops it before it starts.
        """
        if not _TAG_PATTERN.match(tag):
            raise ValueError("query tag must be 32 lowercase hex digits")
        text = f"/* {QUERY_TAG_PREFIX}{tag} */ {sql}\n{settings_clause(settings)}"
        conn = self._idle.get()
        try:
            if cancelled is not None and cancelled.is_set():
                raise ClickHouseError(394, "QUERY_WAS_CANCELLED", "Query was cancelled.")
            raw = conn.query(text, "JSONCompact").bytes()
            document = orjson.loads(raw)
        except ClickHouseError:
            raise
        except Exception as exc:
            conn = self._replace(conn)
            if isinstance(exc, orjson.JSONDecodeError):
                raise ClickHouseError(0, "CORRUPT_RESULT", "unreadable result from chDB") from exc
            raise ClickHouseError.from_chdb(exc) from exc
        finally:
            self._idle.put(conn)
        stats = document.get("statistics", {})
        return RawResult(
            meta=[(column["name"], column["type"]) for column in document["meta"]],
            rows=document["data"],
            elapsed=float(stats.get("elapsed", 0.0)),
            rows_read=int(stats.get("rows_read", 0)),
            bytes_read=int(stats.get("bytes_read", 0)),
        )

    def _replace(self, conn: Any) -> Any:
        # A broken connection may fail to close; it is dropped either way.
        with contextlib.suppress(Exception):
            conn.close()
        return self._connect()

    def _control_query(self, sql: str) -> list[list[Any]]:
        with self._control_lock:
            try:
                data: list[list[Any]] = orjson.loads(
                    self._control.query(sql, "JSONCompact").bytes()
                )["data"]
            except Exception:
                self._control = self._replace(self._control)
                raise
        return data

    def progress(self) -> dict[str, ProcessProgress]:
        """All running tagged queries, by tag (one round trip, a few ms)."""
        found: dict[str, ProcessProgress] = {}
        for tag, rows, bytes_, total, elapsed, cpu in self._control_query(_PROGRESS_SQL):
            found[tag] = ProcessProgress(
                tag, int(rows), int(bytes_), int(total), float(elapsed), int(cpu)
            )
        return found

    def kill(self, tag: str) -> None:
        """Ask ClickHouse to stop the query tagged ``tag``; returns at once (``ASYNC``)."""
        if not _TAG_PATTERN.match(tag):
            raise ValueError("query tag must be 32 lowercase hex digits")
        self._control_query(
            f"KILL QUERY WHERE query LIKE '%{QUERY_TAG_PREFIX}{tag}%'"
            " AND query NOT LIKE '%KILL%' ASYNC"
        )

    def close(self) -> None:
        """Stop the executors without waiting for running queries (kill them first)."""
        self.query_executor.shutdown(wait=False, cancel_futures=True)
        self.control_executor.shutdown(wait=False, cancel_futures=True)
