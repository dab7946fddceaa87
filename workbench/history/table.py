"""The SQL behind ``HistoryStore``: one function per operation, each one short transaction.

Callers hold the store's lock and pass already-cleaned values (secrets scrubbed, times in
epoch seconds). Curation acts on a whole fold: every run sharing the entry's ``group_id``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from workbench.history.model import HistoryEntry, ResultSample
from workbench.history.rows import row_to_entry
from workbench.history.samples import decode_sample
from workbench.history.search import ENTRY_COLUMNS

SAME_FOLD = "group_id = (SELECT group_id FROM runs WHERE id = ?)"
"""SQL condition selecting every run folded together with the run whose id is bound."""


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction taken up front, so it never fails half-way on a lock upgrade."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def insert_run(
    conn: sqlite3.Connection,
    *,
    sql: str,
    host: str,
    project: str | None,
    client_query_id: str | None,
    source: str,
    started: float,
) -> int:
    """Insert a submitted run, folding it into the newest entry when identical; its id."""
    with transaction(conn):
        head = conn.execute(
            "SELECT id, group_id, sql, host, project_id, run_count, first_started_at, "
            "starred, name FROM runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if head is not None and (head[2].strip(), head[3], head[4]) == (
            sql.strip(),
            host,
            project,
        ):
            # The newest run of a fold carries the fold's count, first start, star and name.
            conn.execute("UPDATE runs SET latest = 0 WHERE id = ?", (head[0],))
            group, count, first, starred, name = head[1], head[5] + 1, head[6], head[7], head[8]
        else:
            group, count, first, starred, name = None, 1, started, 0, None
        cursor = conn.execute(
            "INSERT INTO runs (group_id, run_count, first_started_at, sql, name, starred,"
            " host, project_id, client_query_id, source, started_at)"
            " VALUES (coalesce(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (group, count, first, sql, name, starred, host, project, client_query_id, source,
             started),
        )  # fmt: skip
        new_id = int(cursor.lastrowid or 0)
        if group is None:
            conn.execute("UPDATE runs SET group_id = id WHERE id = ?", (new_id,))
        return new_id


def finish_run(
    conn: sqlite3.Connection, entry_id: int, values: tuple[object, ...], sample: str | None
) -> bool:
    """Store a run's end (``values`` in the UPDATE's order) and its sample; False if unknown."""
    with transaction(conn):
        updated = conn.execute(
            "UPDATE runs SET state = ?, ended_at = ?,"
            " duration = coalesce(?, max(0.0, ? - started_at)), row_count = ?,"
            " truncated = ?, from_cache = ?, error_code = ?, error_message = ?,"
            " columns = ?, types = ?, has_sample = ? WHERE id = ?",
            (*values, entry_id),
        ).rowcount
        if updated and sample is not None:
            conn.execute(
                "INSERT OR REPLACE INTO samples (run_id, rows) VALUES (?, ?)", (entry_id, sample)
            )
        return bool(updated)


def fetch_entry(conn: sqlite3.Connection, entry_id: int) -> HistoryEntry | None:
    """One run as an entry, with its sample when it has one."""
    row = conn.execute(f"SELECT {ENTRY_COLUMNS} FROM runs WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        return None
    entry = row_to_entry(row)
    if not entry.has_sample:
        return entry
    stored = conn.execute("SELECT rows FROM samples WHERE run_id = ?", (entry_id,)).fetchone()
    if stored is None:
        return entry
    rows = decode_sample(stored[0])
    truncated = entry.row_count is not None and len(rows) < entry.row_count
    return replace(entry, sample=ResultSample(entry.columns, rows, truncated))


def fetch_fold(conn: sqlite3.Connection, entry_id: int) -> list[HistoryEntry]:
    """Every run folded with ``entry_id``, newest first (without samples)."""
    rows = conn.execute(
        f"SELECT {ENTRY_COLUMNS} FROM runs WHERE {SAME_FOLD} ORDER BY id DESC", (entry_id,)
    ).fetchall()
    return [row_to_entry(row) for row in rows]


def update_fold(conn: sqlite3.Connection, column: str, value: object, entry_id: int) -> bool:
    """Set ``column`` (``starred`` or ``name``) on every run of the fold; False if none."""
    if column not in ("starred", "name"):
        raise ValueError(f"not a curated column: {column!r}")
    with transaction(conn):
        cursor = conn.execute(f"UPDATE runs SET {column} = ? WHERE {SAME_FOLD}", (value, entry_id))
        return bool(cursor.rowcount)


def delete_fold(conn: sqlite3.Connection, entry_id: int) -> int:
    """Delete every run of the fold (their samples go by trigger); how many were deleted."""
    with transaction(conn):
        return int(conn.execute(f"DELETE FROM runs WHERE {SAME_FOLD}", (entry_id,)).rowcount)


def close_running(conn: sqlite3.Connection, cutoff: float) -> int:
    """Mark runs still ``running`` that started before ``cutoff`` (epoch s) as interrupted."""
    with transaction(conn):
        cursor = conn.execute(
            "UPDATE runs SET state = 'cancelled', error_code = 'interrupted',"
            " error_message = 'the app ended before this run did'"
            " WHERE state = 'running' AND started_at < ?",
            (cutoff,),
        )
        return int(cursor.rowcount)
