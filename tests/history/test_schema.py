"""The file on disk: WAL, schema version, indexes, FTS5 table; migration from empty."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.history.conftest import record
from workbench.history import HistoryStore
from workbench.history.opening import BUSY_TIMEOUT_MS
from workbench.history.schema import SCHEMA_VERSION


def schema_objects(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def test_new_file_is_wal_with_current_version_and_indexes(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT 1")
        conn = sqlite3.connect(history_path)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        conn.close()
    names = schema_objects(history_path)
    assert {"runs", "samples", "runs_fts", "runs_heads", "runs_heads_by_state"} <= names
    assert {"runs_heads_by_project", "runs_heads_by_start", "runs_by_group"} <= names


def test_busy_timeout_is_set(store: HistoryStore) -> None:
    assert store._conn.execute("PRAGMA busy_timeout").fetchone() == (BUSY_TIMEOUT_MS,)


def test_existing_empty_database_is_migrated(history_path: Path) -> None:
    history_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(history_path)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()
    with HistoryStore(history_path) as store:
        assert store.notice is None and store.degraded_reason is None
        record(store, "SELECT 1")
        assert store.count() == 1
    assert "unrelated" in schema_objects(history_path)


def test_fallback_session_stops_maintaining_the_index(history_path: Path) -> None:
    with HistoryStore(history_path, full_text=False) as store:
        record(store, "SELECT 1")
    assert not {n for n in schema_objects(history_path) if n.startswith("runs_fts_")}


def test_older_version_is_migrated_forward(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT kept")
    conn = sqlite3.connect(history_path)
    conn.execute("DROP INDEX runs_saved")  # what version 1 lacked
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with HistoryStore(history_path) as store:
        assert [e.sql for e in store.recent()] == ["SELECT kept"]
    assert "runs_saved" in schema_objects(history_path)
    conn = sqlite3.connect(history_path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()


def test_saved_list_uses_its_index(store: HistoryStore) -> None:
    from workbench.history.search import Filters, build_query

    sql, params = build_query(Filters(saved_only=True), full_text=True, limit=10)
    plan = " ".join(str(row) for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "runs_saved" in plan
