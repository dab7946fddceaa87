"""Prune old history in small batches, each its own short transaction.

Small batches keep the write lock brief, so another process (or the UI thread recording a
run) waits at most one batch. Saved entries (starred or named) are never pruned.
"""

from __future__ import annotations

import sqlite3

from workbench.history.model import HistorySettings

SECONDS_PER_DAY = 86_400.0
"""Retention ages are configured in days."""


def prune_batch(
    conn: sqlite3.Connection, settings: HistorySettings, *, now: float, batch_size: int
) -> int:
    """Delete at most ``batch_size`` of the oldest unsaved runs that are over a limit.

    Returns how many runs were deleted (0 once nothing is over the limits).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        deleted = 0
        if settings.max_age_days is not None:
            cutoff = now - settings.max_age_days * SECONDS_PER_DAY
            deleted += conn.execute(
                "DELETE FROM runs WHERE id IN (SELECT id FROM runs "
                "WHERE starred = 0 AND name IS NULL AND started_at < ? ORDER BY id LIMIT ?)",
                (cutoff, batch_size),
            ).rowcount
        if settings.max_entries is not None and deleted < batch_size:
            total = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
            excess = min(total - settings.max_entries, batch_size - deleted)
            if excess > 0:
                deleted += conn.execute(
                    "DELETE FROM runs WHERE id IN (SELECT id FROM runs "
                    "WHERE starred = 0 AND name IS NULL ORDER BY id LIMIT ?)",
                    (excess,),
                ).rowcount
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return deleted
