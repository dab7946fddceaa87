"""The history database's tables, their migrations (``PRAGMA user_version``) and FTS5 index.

One row per run in ``runs``. Identical consecutive runs share a ``group_id`` (the first run's
id); only the newest run of a group has ``latest = 1``, and it carries the group's
``run_count``, ``first_started_at``, star and name, so listing folded entries reads one row
each. The FTS5 table (trigram) indexes only those newest rows (SQL text and name).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
"""One schema step; runs inside the migration's transaction."""


V1_STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL,
        latest INTEGER NOT NULL DEFAULT 1,
        run_count INTEGER NOT NULL DEFAULT 1,
        first_started_at REAL NOT NULL,
        sql TEXT NOT NULL,
        name TEXT,
        starred INTEGER NOT NULL DEFAULT 0,
        host TEXT NOT NULL,
        project_id TEXT,
        client_query_id TEXT,
        source TEXT NOT NULL DEFAULT 'app',
        state TEXT NOT NULL DEFAULT 'running',
        started_at REAL NOT NULL,
        ended_at REAL,
        duration REAL,
        row_count INTEGER,
        truncated INTEGER NOT NULL DEFAULT 0,
        from_cache INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        columns TEXT,
        types TEXT,
        has_sample INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE samples ( run_id INTEGER PRIMARY KEY, rows TEXT NOT NULL )""",
    """CREATE INDEX runs_heads ON runs(id) WHERE latest = 1""",
    """CREATE INDEX runs_heads_by_state ON runs(state, id) WHERE latest = 1""",
    """CREATE INDEX runs_heads_by_project ON runs(project_id, id) WHERE latest = 1""",
    """CREATE INDEX runs_heads_by_start ON runs(started_at) WHERE latest = 1""",
    """CREATE INDEX runs_by_group ON runs(group_id)""",
    """CREATE INDEX runs_by_client_query_id ON runs(client_query_id)""",
    """CREATE INDEX runs_unsaved_by_age ON runs(id) WHERE starred = 0 AND name IS NULL""",
    """CREATE TRIGGER runs_drop_sample AFTER DELETE ON runs BEGIN
        DELETE FROM samples WHERE run_id = old.id;
    END""",
)
"""Version 1: runs, samples, indexes for the browser's filters, sample clean-up trigger."""


def _v1(conn: sqlite3.Connection) -> None:
    # Not executescript: it commits first, which would end the migration's transaction.
    for statement in V1_STATEMENTS:
        conn.execute(statement)


def _v2(conn: sqlite3.Connection) -> None:
    # The saved-queries list read every head without it (~40 ms at 100,000 entries).
    conn.execute(
        "CREATE INDEX runs_saved ON runs(id) WHERE latest = 1 AND (starred = 1 OR name IS NOT NULL)"
    )


MIGRATIONS: tuple[Migration, ...] = (_v1, _v2)
"""Schema steps in order; ``user_version`` is how many have run. Append, never edit."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The version this code writes; a newer file is opened as is (additive changes only)."""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to ``SCHEMA_VERSION``; safe when another process migrates at once."""
    conn.execute("BEGIN IMMEDIATE")  # serialises concurrent first opens
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[version:]:
            step(conn)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


FTS_TOKENIZER = "tokenize='trigram'"
"""Index every 3-character substring: a quoted word then matches anywhere, like LIKE does,
and each term is read lazily newest first (no prefix merges, so a typo costs nothing)."""


def fts5_available() -> bool:
    """True when this SQLite build has FTS5 with the trigram tokenizer (SQLite >= 3.34)."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute(f"CREATE VIRTUAL TABLE probe USING fts5(text, {FTS_TOKENIZER})")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


FTS_TRIGGERS = {
    "runs_fts_insert": """
        CREATE TRIGGER runs_fts_insert AFTER INSERT ON runs WHEN new.latest = 1 BEGIN
            INSERT INTO runs_fts(rowid, sql, name) VALUES (new.id, new.sql, new.name);
        END""",
    "runs_fts_delete": """
        CREATE TRIGGER runs_fts_delete AFTER DELETE ON runs WHEN old.latest = 1 BEGIN
            INSERT INTO runs_fts(runs_fts, rowid, sql, name)
            VALUES ('delete', old.id, old.sql, old.name);
        END""",
    "runs_fts_update": """
        CREATE TRIGGER runs_fts_update AFTER UPDATE OF latest, name ON runs
        WHEN old.latest = 1 OR new.latest = 1 BEGIN
            INSERT INTO runs_fts(runs_fts, rowid, sql, name)
            SELECT 'delete', old.id, old.sql, old.name WHERE old.latest = 1;
            INSERT INTO runs_fts(rowid, sql, name)
            SELECT new.id, new.sql, new.name WHERE new.latest = 1;
        END""",
}
"""Keep ``runs_fts`` in step with the newest run of each group. Their presence in the file
means the index is current: a session without FTS5 drops them, the next one with it rebuilds."""


def ensure_full_text(conn: sqlite3.Connection, *, enabled: bool) -> None:
    """Create (and fill) the FTS5 index when ``enabled``; otherwise stop maintaining it.

    Without FTS5 the triggers could not run (every insert would fail), so they are dropped
    and the index is rebuilt from scratch the next time a session has FTS5.
    """
    conn.execute("BEGIN IMMEDIATE")  # read and change under one lock: two opens may race
    try:
        existing = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'runs_fts_%'"
            )
        }
        table = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs_fts'"
        ).fetchone()
        current = table is not None and FTS_TOKENIZER in table[0]
        if not enabled:
            for name in existing:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif existing != set(FTS_TRIGGERS) or not current:
            for name in existing:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute("DROP TABLE IF EXISTS runs_fts")
            conn.execute(
                "CREATE VIRTUAL TABLE runs_fts USING fts5("
                f"sql, name, content='runs', content_rowid='id', {FTS_TOKENIZER})"
            )
            conn.execute(
                "INSERT INTO runs_fts(rowid, sql, name) "
                "SELECT id, sql, name FROM runs WHERE latest = 1"
            )
            for ddl in FTS_TRIGGERS.values():
                conn.execute(ddl)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
