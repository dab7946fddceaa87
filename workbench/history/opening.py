"""Open the history file, recovering from what the disk can do to it.

- corrupt or unreadable file: moved aside to ``<name>.corrupt-<UTC timestamp>`` (its WAL
  too) and a fresh file started; ``Opened.notice`` says so. Opening reads only the schema;
  damage met later in a session leaves a ``.suspect`` mark, and the next open runs
  ``PRAGMA quick_check`` before deciding.
- no space, read-only folder or file, no permission to create it: an in-memory database,
  seeded with what could still be read, and ``Opened.degraded_reason`` says why.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from workbench.history.schema import ensure_full_text, migrate

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000
"""How long a write waits for another process's write lock before giving up (ms)."""

CORRUPTION_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
"""Errors meaning the file is not a usable database: move it aside and start again."""


@dataclass
class Opened:
    """A ready connection and what happened on the way."""

    conn: sqlite3.Connection
    degraded_reason: str | None = None
    notice: str | None = None
    moved_aside: Path | None = None


def connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), usable from any thread."""
    conn = sqlite3.connect(
        target,
        uri=uri,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def prepare(conn: sqlite3.Connection, *, full_text: bool, on_disk: bool) -> None:
    """WAL, schema and index. ``synchronous=NORMAL``: a commit survives a killed process
    (the WAL is in the OS cache); only a power cut can lose the last few."""
    if on_disk:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL (journal mode {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
    migrate(conn)
    ensure_full_text(conn, enabled=full_text)
    # Reading the schema makes a non-database file fail here, not at the first write.
    conn.execute("SELECT count(*) FROM runs WHERE id = 0").fetchone()


def in_memory(*, full_text: bool, seed: sqlite3.Connection | None = None) -> sqlite3.Connection:
    """A fresh in-memory database, holding a copy of ``seed`` when that can still be read."""
    conn = connect(":memory:")
    if seed is not None:
        try:
            seed.backup(conn)
        except sqlite3.Error as exc:
            log.warning("history: could not copy the old entries into memory: %s", exc)
            conn.close()
            conn = connect(":memory:")
    try:
        prepare(conn, full_text=full_text, on_disk=False)
    except sqlite3.Error:  # the copy was unusable: start empty
        conn.close()
        conn = connect(":memory:")
        prepare(conn, full_text=full_text, on_disk=False)
    return conn


def move_aside(path: Path) -> Path:
    """Rename ``path`` (and its ``-wal``) to ``<name>.corrupt-<timestamp>``; drop its ``-shm``."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + "-wal"))
    with contextlib.suppress(OSError):
        path.with_name(path.name + "-shm").unlink()
    return target


def read_only_copy(path: Path) -> sqlite3.Connection | None:
    """The existing file opened read-only (to seed in-memory history), or None."""
    if not path.is_file():
        return None
    try:
        conn = connect(f"{path.as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM runs WHERE id = 0").fetchone()
    except sqlite3.Error:
        try:
            conn = connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
            conn.execute("SELECT count(*) FROM runs WHERE id = 0").fetchone()
        except sqlite3.Error:
            return None
    return conn


def degrade(path: Path, reason: str, *, full_text: bool) -> Opened:
    """In-memory history seeded from whatever of ``path`` is readable."""
    log.warning("history: %s; keeping this session's history in memory only", reason)
    seed = read_only_copy(path)
    try:
        conn = in_memory(full_text=full_text, seed=seed)
    finally:
        if seed is not None:
            seed.close()
    return Opened(conn, degraded_reason=reason)


def open_history(path: Path, *, full_text: bool) -> Opened:
    """Open (creating if needed) the history database at ``path``; never raises sqlite3 errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return degrade(
            path, f"cannot create {path.parent} ({exc.strerror or exc})", full_text=full_text
        )
    moved: Path | None = None
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        try:
            moved = move_aside(path)
        except OSError as exc:
            return degrade(
                path, f"cannot read or write {path} ({exc.strerror or exc})", full_text=full_text
            )
    for attempt in range(2):
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(str(path))
            retry_busy(partial(prepare, conn, full_text=full_text, on_disk=True))
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if primary_error(exc) not in CORRUPTION_CODES or attempt > 0:
                return degrade(path, f"cannot write {path} ({exc})", full_text=full_text)
            conn = None  # damaged: moved aside below, then a fresh file
        if conn is None or (attempt == 0 and failed_check(conn, path)):
            if conn is not None:
                conn.close()
            try:
                moved = move_aside(path)
            except OSError as move_error:
                return degrade(
                    path,
                    f"{path} is damaged and cannot be moved aside ({move_error})",
                    full_text=full_text,
                )
            continue
        notice = None
        if moved is not None:
            notice = (
                f"The history file could not be read; it was moved to {moved} "
                "and a new, empty history was started."
            )
            log.warning("history: %s", notice)
        return Opened(conn, notice=notice, moved_aside=moved)
    raise AssertionError("unreachable")  # pragma: no cover


BUSY_CODES = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
"""Lock errors SQLite can return at once, without waiting out the busy timeout (another
process switching the new file to WAL or recovering it): worth a few short retries."""

BUSY_RETRY_SECONDS = 1.0
"""How long to keep retrying those (an error after the full busy timeout is not retried)."""

BUSY_PAUSE = 0.05
"""Seconds between those retries."""


def retry_busy(action: Callable[[], T]) -> T:
    """``action()``, retried for up to ``BUSY_RETRY_SECONDS`` while it fails with a lock error."""
    deadline = time.monotonic() + BUSY_RETRY_SECONDS
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if primary_error(exc) not in BUSY_CODES or time.monotonic() > deadline:
                raise
            time.sleep(BUSY_PAUSE)


def suspect_marker(path: Path) -> Path:
    """Left next to the file when a session met corruption: the next open checks it fully."""
    return path.with_name(path.name + ".suspect")


def mark_suspect(path: Path) -> None:
    """Ask the next open to run ``PRAGMA quick_check`` (too slow to run on every open)."""
    with contextlib.suppress(OSError):
        suspect_marker(path).touch()


def failed_check(conn: sqlite3.Connection, path: Path) -> bool:
    """True when ``path`` was marked suspect and ``quick_check`` finds damage; clears the mark."""
    marker = suspect_marker(path)
    if not marker.exists():
        return False
    try:
        verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError:
        verdict = "unreadable"
    with contextlib.suppress(OSError):
        marker.unlink()
    return bool(verdict != "ok")


def primary_error(exc: BaseException) -> str:
    """SQLite's primary error name (``SQLITE_FULL`` for ``SQLITE_FULL_...``), or ``""``."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    parts = name.split("_")
    return "_".join(parts[:2]) if len(parts) >= 2 else name
