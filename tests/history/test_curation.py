"""Folding identical consecutive runs; star, name, delete; the saved-queries list."""

from __future__ import annotations

from tests.history.conftest import HOST, Clock, record
from workbench.history import HistoryStore


def test_identical_consecutive_runs_fold(store: HistoryStore, clock: Clock) -> None:
    first = record(store, "SELECT 1")
    first_start = store.get(first).started_at  # type: ignore[union-attr]
    clock.advance(5)
    record(store, "SELECT 1\n", state="failed")  # trailing whitespace: still identical
    clock.advance(5)
    newest = record(store, "SELECT 1")
    (entry,) = store.recent()
    assert entry.id == newest and entry.run_count == 3 and entry.state == "done"
    assert entry.first_started_at == first_start and entry.started_at > first_start
    assert [run.id for run in store.runs_of(newest)] == [newest, newest - 1, first]
    assert store.count() == 3  # every run is kept


def test_runs_fold_only_when_consecutive_and_same_connection(store: HistoryStore) -> None:
    record(store, "SELECT 1")
    record(store, "SELECT 2")
    record(store, "SELECT 1")
    record(store, "SELECT 1", project=2)
    record(store, "SELECT 1", project=2, host="https://eu.posthog.com")
    assert [e.run_count for e in store.recent()] == [1, 1, 1, 1, 1]


def test_star_and_name_act_on_the_whole_fold_and_carry_on(store: HistoryStore) -> None:
    entry_id = record(store, "SELECT saved")
    record(store, "SELECT other")
    assert store.set_starred(entry_id)
    assert store.set_name(entry_id, "  my query  ")
    assert [(e.id, e.name, e.starred) for e in store.saved()] == [(entry_id, "my query", True)]
    # A new identical run folds into the newest entry only (SELECT other), so not here:
    record(store, "SELECT other")
    assert [e.id for e in store.saved()] == [entry_id]
    assert [e.id for e in store.search(starred_only=True)] == [entry_id]


def test_a_run_folded_into_a_starred_entry_stays_starred(store: HistoryStore) -> None:
    entry_id = record(store, "SELECT fav")
    store.set_starred(entry_id)
    newest = record(store, "SELECT fav")
    (entry,) = store.saved()
    assert (entry.id, entry.run_count, entry.starred) == (newest, 2, True)
    assert store.set_starred(entry_id, False)  # any run id of the fold works
    assert store.saved() == []


def test_blank_name_removes_it(store: HistoryStore) -> None:
    entry_id = record(store, "SELECT 1")
    store.set_name(entry_id, "x")
    store.set_name(entry_id, "   ")
    entry = store.get(entry_id)
    assert entry is not None and entry.name is None and not entry.is_saved


def test_delete_removes_the_fold_and_its_samples(store: HistoryStore) -> None:
    keep = record(store, "SELECT keep")
    record(store, "SELECT gone", rows=[[1]])
    gone = record(store, "SELECT gone", rows=[[2]])
    assert store.delete(gone) == 2
    assert [e.id for e in store.recent()] == [keep]
    assert store.get(gone) is None and store.get(gone - 1) is None
    assert store.delete(gone) == 0


def test_curating_an_unknown_entry_returns_false(store: HistoryStore) -> None:
    assert store.set_starred(404) is False
    assert store.set_name(404, "x") is False
    assert store.runs_of(404) == []


def test_star_a_running_entry_then_finish(store: HistoryStore) -> None:
    entry_id = store.record_submitted("SELECT slow", host=HOST, project_id=1)
    store.set_starred(entry_id)
    store.record_finished(entry_id, state="cancelled")
    entry = store.get(entry_id)
    assert entry is not None and entry.starred and entry.state == "cancelled"
