"""Recording a run at submission and at its end; samples with their cap and off switch."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.history.conftest import HOST, Clock, record
from workbench.history import HistorySettings, HistoryStore


def test_submitted_run_is_running_with_its_connection(store: HistoryStore, clock: Clock) -> None:
    entry_id = store.record_submitted(
        "SELECT 1", host=HOST, project_id=42, client_query_id="cq-1", source="cli"
    )
    entry = store.get(entry_id)
    assert entry is not None
    assert (entry.sql, entry.host, entry.project_id) == ("SELECT 1", HOST, "42")
    assert (entry.client_query_id, entry.source, entry.state) == ("cq-1", "cli", "running")
    assert entry.started_at == datetime.fromtimestamp(clock.now, tz=UTC)
    assert entry.ended_at is None and entry.duration is None and not entry.is_final


def test_finished_run_keeps_result_facts(store: HistoryStore, clock: Clock) -> None:
    entry_id = store.record_submitted("SELECT event FROM events", host=HOST, project_id=1)
    clock.advance(2.5)
    assert store.record_finished(
        entry_id,
        state="done",
        row_count=1000,
        truncated=True,
        from_cache=True,
        columns=["event", "n"],
        types=["String", "UInt64"],
    )
    entry = store.get(entry_id)
    assert entry is not None
    assert entry.state == "done" and entry.is_final
    assert entry.duration == pytest.approx(2.5)
    assert entry.ended_at == datetime.fromtimestamp(clock.now, tz=UTC)
    assert (entry.row_count, entry.truncated, entry.from_cache) == (1000, True, True)
    assert entry.columns == ("event", "n") and entry.types == ("String", "UInt64")
    assert not entry.has_sample and entry.sample is None


def test_failed_run_keeps_error_and_explicit_duration(store: HistoryStore) -> None:
    entry_id = store.record_submitted("SELEC 1", host=HOST, project_id=1)
    store.record_finished(
        entry_id, state="failed", duration=0.75, error_code=62, error_message="Syntax error"
    )
    entry = store.get(entry_id)
    assert entry is not None
    assert (entry.state, entry.error_code, entry.error_message) == ("failed", "62", "Syntax error")
    assert entry.duration == 0.75


def test_finishing_with_a_non_final_state_is_refused(store: HistoryStore) -> None:
    entry_id = store.record_submitted("SELECT 1", host=HOST, project_id=1)
    with pytest.raises(ValueError, match="state"):
        store.record_finished(entry_id, state="running")  # type: ignore[arg-type]


def test_finishing_an_unknown_run_returns_false(store: HistoryStore) -> None:
    assert store.record_finished(999, state="cancelled") is False


def test_sample_rows_round_trip_as_json(store: HistoryStore, history_path: Path) -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    entry_id = record(store, "SELECT *", rows=[[1, "a", None, when], [2, "b", 1.5, when]])
    entry = store.get(entry_id)
    assert entry is not None and entry.sample is not None
    assert entry.sample.rows == ((1, "a", None, str(when)), (2, "b", 1.5, str(when)))
    assert entry.sample.truncated is False
    raw = sqlite3.connect(history_path).execute("SELECT rows FROM samples").fetchone()[0]
    assert json.loads(raw)[0][:3] == [1, "a", None]  # plain JSON, not pickle


def test_sample_is_capped_in_bytes(history_path: Path) -> None:
    settings = HistorySettings(sample_max_bytes=1_000)
    with HistoryStore(history_path, settings=settings) as store:
        rows: list[list[object]] = [[i, "x" * 90] for i in range(100)]
        entry_id = record(store, "SELECT big", rows=rows)
        entry = store.get(entry_id)
    assert entry is not None and entry.sample is not None
    kept = entry.sample.rows
    assert 0 < len(kept) < 100 and entry.sample.truncated
    assert [row[0] for row in kept] == list(range(len(kept)))  # the leading rows, whole
    assert len(json.dumps([list(r) for r in kept]).encode()) <= 1_000


def test_samples_can_be_switched_off(history_path: Path) -> None:
    with HistoryStore(history_path, settings=HistorySettings(keep_samples=False)) as store:
        entry_id = record(store, "SELECT 1", rows=[[1]])
        entry = store.get(entry_id)
        stored = sqlite3.connect(history_path).execute("SELECT count(*) FROM samples").fetchone()
    assert entry is not None and not entry.has_sample and entry.sample is None
    assert stored == (0,)


def test_entries_survive_reopening(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        entry_id = record(store, "SELECT persisted", rows=[[7]])
    with HistoryStore(history_path) as store:
        entry = store.get(entry_id)
    assert entry is not None and entry.sql == "SELECT persisted"
    assert entry.sample is not None and entry.sample.rows == ((7,),)


def test_memory_only_store_records_without_a_file(tmp_path: Path) -> None:
    with HistoryStore(in_memory_only=True) as store:
        record(store, "SELECT 1")
        assert store.path is None and store.count() == 1
    assert list(tmp_path.iterdir()) == []


def test_closed_store_ignores_calls(store: HistoryStore) -> None:
    store.close()
    assert store.record_submitted("SELECT 1", host=HOST, project_id=1) == 0
    assert store.search("x") == [] and store.get(1) is None
