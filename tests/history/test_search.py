"""Search as you type, with FTS5 and with the LIKE fallback forced; filters; newest first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.history.conftest import HOST, Clock, record
from workbench.history import HistoryStore


@pytest.fixture
def searchable(history_path: Path, clock: Clock, full_text: bool) -> Iterator[HistoryStore]:
    with HistoryStore(history_path, clock=clock, full_text=full_text) as store:
        assert store.full_text is full_text
        record(store, "SELECT count() FROM events")  # id 1
        clock.advance(60)
        record(store, "SELECT person_id FROM persons", project=2, state="failed")  # id 2
        clock.advance(60)
        record(store, "SELECT properties.$browser FROM events WHERE x LIKE '100%'")  # id 3
        clock.advance(60)
        record(store, "SELECT 1", state=None)  # id 4, still running
        yield store


def ids(entries: list) -> list[int]:  # type: ignore[type-arg]
    return [entry.id for entry in entries]


def test_empty_text_lists_everything_newest_first(searchable: HistoryStore) -> None:
    assert ids(searchable.search("")) == [4, 3, 2, 1]
    assert ids(searchable.recent(limit=2)) == [4, 3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events", [3, 1]),
        ("sel cou", [1]),  # every word a prefix, as typed
        ("COUNT", [1]),  # case-insensitive
        ("ount", [1]),  # anywhere in a word
        ("person_id", [2]),
        ("$browser", [3]),
        ("100%", [3]),
        ("%", [3]),  # punctuation only: literal substring
        ("events persons", []),
        ('"unbalanced', []),
    ],
)
def test_text_matches_words(searchable: HistoryStore, text: str, expected: list[int]) -> None:
    assert ids(searchable.search(text)) == expected


def test_filters_combine(searchable: HistoryStore, clock: Clock) -> None:
    assert ids(searchable.search(state="failed")) == [2]
    assert ids(searchable.search(state="running")) == [4]
    assert ids(searchable.search(project=2)) == [2]
    assert ids(searchable.search("select", project="1", state="done")) == [3, 1]
    assert ids(searchable.search(host="https://eu.posthog.com")) == []
    t0 = datetime.fromtimestamp(clock.now, tz=UTC) - timedelta(seconds=180)
    assert ids(searchable.search(since=t0 + timedelta(seconds=60))) == [4, 3, 2]
    assert ids(searchable.search(until=t0 + timedelta(seconds=60))) == [1]
    assert ids(searchable.search("events", limit=1)) == [3]


def test_unknown_state_filter_is_an_error(searchable: HistoryStore) -> None:
    with pytest.raises(ValueError, match="unknown state"):
        searchable.search(state="exploded")


def test_names_are_searchable(searchable: HistoryStore) -> None:
    searchable.set_name(2, "weekly persons report")
    assert ids(searchable.search("weekly rep")) == [2]
    searchable.set_name(2, None)
    assert ids(searchable.search("weekly")) == []


def test_index_rebuilt_after_a_session_without_fts5(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT alpha")
    with HistoryStore(history_path, full_text=False) as store:
        record(store, "SELECT beta")  # index not maintained in this session
        assert ids(store.search("beta")) == [2]
    with HistoryStore(history_path, full_text=True) as store:
        assert ids(store.search("alpha")) == [1]
        assert ids(store.search("beta")) == [2]
        record(store, "SELECT gamma")
        assert ids(store.search("gamma")) == [3]


def test_folded_entry_is_found_once(store: HistoryStore) -> None:
    for _ in range(3):
        record(store, "SELECT again")
    found = store.search("again")
    assert [(e.id, e.run_count) for e in found] == [(3, 3)]


def test_host_is_stored_clean(store: HistoryStore) -> None:
    record(store, "SELECT 1", host=HOST + "/")
    assert ids(store.search(host=HOST)) == [1]
