"""Pruning on a worker thread interleaves with recording; FTS5 and LIKE agree on results."""

from __future__ import annotations

import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.history.conftest import HOST
from workbench.history import HistorySettings, HistoryStore

WORDS = ("select", "count", "events", "person_id", "$browser", "100%", "a_b", "ÉTÉ", "x")
"""Vocabulary for generated queries and searches (case, punctuation, underscores, accents)."""


def test_prune_on_a_worker_thread_while_recording(tmp_path: Path) -> None:
    settings = HistorySettings(max_entries=50, max_age_days=None)
    with HistoryStore(tmp_path / "h.sqlite3", settings=settings) as store:
        for i in range(300):
            store.record_submitted(f"SELECT {i}", host=HOST, project_id=1)
        pruned: list[int] = []
        worker = threading.Thread(target=lambda: pruned.append(store.prune(batch_size=10)))
        worker.start()
        recorded = [
            store.record_submitted(f"SELECT new {i}", host=HOST, project_id=1) for i in range(100)
        ]
        worker.join(timeout=60)
        assert not worker.is_alive() and store.degraded_reason is None
        assert all(entry_id > 0 for entry_id in recorded)
        assert {e.id for e in store.recent(limit=1000)} >= set(recorded[-50:])
        assert pruned[0] >= 250
        store.prune()
        assert store.count() == 50


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    queries=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), min_size=1, max_size=8
    ),
    search=st.lists(
        st.sampled_from(WORDS).flatmap(
            lambda w: st.tuples(st.integers(1, len(w)), st.booleans()).map(
                # ASCII case differences only: LIKE folds ASCII case alone.
                lambda cut: w[: cut[0]].upper() if cut[1] and w.isascii() else w[: cut[0]]
            )
        ),
        max_size=3,
    ),
)
def test_full_text_and_like_find_the_same_entries(
    tmp_path: Path, queries: list[list[str]], search: list[str]
) -> None:
    text = " ".join(search)
    found = []
    for full_text in (True, False):
        with HistoryStore(in_memory_only=True, full_text=full_text) as store:
            for words in queries:
                store.record_submitted(" ".join(words), host=HOST, project_id=1)
            found.append([e.id for e in store.search(text, limit=1000)])
    assert found[0] == found[1]
