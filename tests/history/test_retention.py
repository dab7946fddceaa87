"""Retention: oldest runs beyond a count or an age are pruned in batches; saved ones stay."""

from __future__ import annotations

from pathlib import Path

from tests.history.conftest import Clock, record
from workbench.history import HistorySettings, HistoryStore


def test_prunes_oldest_beyond_max_entries_in_batches(history_path: Path) -> None:
    settings = HistorySettings(max_entries=10, max_age_days=None)
    with HistoryStore(history_path, settings=settings) as store:
        for i in range(25):
            record(store, f"SELECT {i}")
        assert store.prune(batch_size=4, max_batches=2) == 8  # stops after two batches
        assert store.count() == 17
        assert store.prune(batch_size=4) == 7
        assert [e.sql for e in store.recent()] == [f"SELECT {i}" for i in range(24, 14, -1)]
        assert store.prune() == 0


def test_prunes_by_age(history_path: Path, clock: Clock) -> None:
    settings = HistorySettings(max_entries=None, max_age_days=1)
    with HistoryStore(history_path, settings=settings, clock=clock) as store:
        old = record(store, "SELECT old")
        clock.advance(12 * 3600)
        middle = record(store, "SELECT middle")
        clock.advance(13 * 3600)
        assert store.prune() == 1
        assert [e.id for e in store.recent()] == [middle]
        assert store.get(old) is None


def test_saved_entries_are_never_pruned(history_path: Path, clock: Clock) -> None:
    settings = HistorySettings(max_entries=1, max_age_days=1)
    with HistoryStore(history_path, settings=settings, clock=clock) as store:
        starred = record(store, "SELECT starred")
        named = record(store, "SELECT named")
        store.set_starred(starred)
        store.set_name(named, "report")
        record(store, "SELECT a")
        newest = record(store, "SELECT b")
        clock.advance(2 * 86_400)
        store.prune()
        assert {e.id for e in store.recent()} == {starred, named}
        assert newest not in {e.id for e in store.recent()}


def test_prune_drops_samples_with_their_runs(history_path: Path) -> None:
    import sqlite3

    settings = HistorySettings(max_entries=1, max_age_days=None)
    with HistoryStore(history_path, settings=settings) as store:
        record(store, "SELECT 1", rows=[[1]])
        record(store, "SELECT 2", rows=[[2]])
        store.prune()
    (samples,) = sqlite3.connect(history_path).execute("SELECT count(*) FROM samples").fetchone()
    assert samples == 1


def test_runs_left_running_by_a_dead_process_are_closed(history_path: Path, clock: Clock) -> None:
    with HistoryStore(history_path, clock=clock) as store:
        old = record(store, "SELECT crashed", state=None)
        clock.advance(3600)
        recent = record(store, "SELECT maybe elsewhere", state=None)
        assert store.close_abandoned(older_than=600) == 1
        closed, running = store.get(old), store.get(recent)
        assert closed is not None and running is not None
        assert (closed.state, closed.error_code) == ("cancelled", "interrupted")
        assert running.state == "running"
