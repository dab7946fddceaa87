"""``RunRecorder`` on the real run registry, and the one-shot helpers for ``workbench query``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.history.conftest import HOST, Clock
from workbench.client import QueryResult
from workbench.client.errors import HogQLError, QueryCancelled, ServerError
from workbench.history import HistoryStore
from workbench.history.recorder import RunRecorder, finish_with_error, finish_with_result
from workbench.runs.registry import RunRegistry


def make_result(rows: list[list[Any]], *, cached: bool = False) -> QueryResult:
    return QueryResult(
        client_query_id="cq",
        columns=("event", "n"),
        types=("String", "UInt64"),
        rows=rows,
        truncated=True,
        limit_added=True,
        row_limit=2,
        is_cached=cached,
        last_refresh=None,
        hogql=None,
        clickhouse=None,
        timings=None,
        elapsed=0.5,
    )


class FakeArrowTable:
    """Just the Arrow calls ``arrow_rows`` makes (``slice``, ``column``, ``num_rows``)."""

    def __init__(self, columns: list[list[Any]]) -> None:
        self.columns = columns
        self.num_rows = len(columns[0])
        self.num_columns = len(columns)

    def slice(self, start: int, length: int) -> FakeArrowTable:
        return FakeArrowTable([c[start : start + length] for c in self.columns])

    def column(self, i: int) -> FakeArrowTable:
        self._picked = self.columns[i]
        return self

    def to_pylist(self) -> list[Any]:
        return list(self._picked)


@pytest.fixture
def wired(store: HistoryStore) -> tuple[RunRegistry, RunRecorder]:
    ticks = Clock(100.0)
    registry = RunRegistry(clock=ticks)
    recorder = RunRecorder(store, host=HOST, project_id="7")
    registry.add_submit_listener(recorder.on_submit)
    registry.add_finish_listener(recorder.on_finish)
    registry.ticks = ticks  # type: ignore[attr-defined]
    return registry, recorder


def test_a_run_is_recorded_at_submit_and_at_its_end(
    store: HistoryStore, wired: tuple[RunRegistry, RunRecorder]
) -> None:
    registry, recorder = wired
    registry.submit("cq-1", "SELECT event, count() FROM events")
    entry_id = recorder.entry_id("cq-1")
    assert entry_id is not None
    running = store.get(entry_id)
    assert running is not None and running.state == "running" and running.project_id == "7"
    registry.ticks.advance(1.25)  # type: ignore[attr-defined]
    registry.finish("cq-1", make_result([["$pageview", 3], ["$identify", 1]], cached=True))
    entry = store.get(entry_id)
    assert entry is not None and recorder.entry_id("cq-1") is None
    assert (entry.state, entry.from_cache, entry.truncated, entry.row_count) == (
        "done",
        True,
        True,
        2,
    )
    assert entry.duration == 1.25 and entry.client_query_id == "cq-1"
    assert entry.sample is not None and entry.sample.rows == (("$pageview", 3), ("$identify", 1))


def test_sample_comes_from_the_display_table_when_rows_were_dropped(
    store: HistoryStore, wired: tuple[RunRegistry, RunRecorder]
) -> None:
    registry, recorder = wired
    registry.submit("cq-2", "SELECT 1")
    entry_id = recorder.entry_id("cq-2")
    registry.finish("cq-2", make_result([]), FakeArrowTable([["a", "b", "c"], [1, 2, 3]]))
    entry = store.get(entry_id or 0)
    assert entry is not None and entry.row_count == 3
    assert entry.sample is not None and entry.sample.rows == (("a", 1), ("b", 2), ("c", 3))


def test_failures_and_cancellations(
    store: HistoryStore, wired: tuple[RunRegistry, RunRecorder]
) -> None:
    registry, recorder = wired
    registry.submit("bad", "SELEC 1")
    bad = recorder.entry_id("bad")
    registry.fail("bad", HogQLError("Syntax error at 1", code="syntax_error"))
    registry.submit("gone", "SELECT sleep(3)")
    gone = recorder.entry_id("gone")
    registry.mark_cancelled("gone")
    failed, cancelled = store.get(bad or 0), store.get(gone or 0)
    assert failed is not None and cancelled is not None
    assert (failed.state, failed.error_code, failed.error_message) == (
        "failed",
        "syntax_error",
        "Syntax error at 1",
    )
    assert cancelled.state == "cancelled"


def test_switching_connection_applies_to_later_runs(
    store: HistoryStore, wired: tuple[RunRegistry, RunRecorder]
) -> None:
    registry, recorder = wired
    recorder.set_connection("https://eu.posthog.com", 9)
    registry.submit("cq-3", "SELECT 1")
    entry = store.get(recorder.entry_id("cq-3") or 0)
    assert entry is not None and (entry.host, entry.project_id) == ("https://eu.posthog.com", "9")


@pytest.mark.parametrize(
    ("error", "state", "code"),
    [
        (ServerError("boom"), "failed", "ServerError"),
        (QueryCancelled("cancelled on the server"), "cancelled", "QueryCancelled"),
        (asyncio.CancelledError(), "cancelled", "CancelledError"),
        (KeyboardInterrupt(), "cancelled", "KeyboardInterrupt"),
    ],
)
def test_one_shot_error_helper(
    store: HistoryStore, error: BaseException, state: str, code: str
) -> None:
    entry_id = store.record_submitted("SELECT 1", host=HOST, project_id=1, source="cli")
    assert finish_with_error(store, entry_id, error, duration=0.2)
    entry = store.get(entry_id)
    assert entry is not None and (entry.state, entry.error_code) == (state, code)


def test_one_shot_result_helper_uses_the_client_elapsed(store: HistoryStore) -> None:
    entry_id = store.record_submitted("SELECT 1", host=HOST, project_id=1, source="cli")
    assert finish_with_result(store, entry_id, make_result([["x", 1]]))
    entry = store.get(entry_id)
    assert entry is not None and entry.duration == 0.5 and entry.row_count == 1


def test_a_malformed_result_is_logged_not_raised(store: HistoryStore) -> None:
    entry_id = store.record_submitted("SELECT 1", host=HOST, project_id=1)
    assert finish_with_result(store, entry_id, object()) is False
