"""The run registry: states, progress, finishing, clearing, listeners (headless)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from workbench.runs import RunRegistry, RunState
from workbench.runs.registry import UnknownRun


@dataclass
class Progress:
    rows_read: int
    bytes_read: int
    estimated_rows_total: int
    time_elapsed: float = 0.0
    active_cpu_time: float = 0.0


@dataclass
class Result:
    is_cached: bool
    last_refresh: datetime | None = None


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_run_goes_from_queued_to_done_and_keeps_its_elapsed_time() -> None:
    clock = Clock()
    registry = RunRegistry(clock=clock)
    run = registry.submit("q1", "select 1", editor_id="editor-1", sql_offset=5)
    assert run.state is RunState.QUEUED
    clock.now = 101.0
    registry.mark_running("q1")
    assert run.state is RunState.RUNNING
    clock.now = 102.5
    assert run.elapsed(clock()) == pytest.approx(2.5)
    registry.finish("q1", Result(is_cached=False))  # type: ignore[arg-type]
    assert run.state is RunState.DONE
    clock.now = 200.0
    assert run.elapsed(clock()) == pytest.approx(2.5)  # frozen once final
    assert registry.active() == []


def test_a_cached_result_is_shown_as_from_cache() -> None:
    registry = RunRegistry(clock=Clock())
    registry.submit("q1", "select 1")
    run = registry.finish("q1", Result(is_cached=True))  # type: ignore[arg-type]
    assert run.state is RunState.CACHED
    assert run.state.value == "from cache"


def test_progress_gives_a_fraction_only_with_an_estimate() -> None:
    registry = RunRegistry(clock=Clock())
    run = registry.submit("q1", "select 1")
    registry.record_progress("q1", Progress(10, 100, 0))  # type: ignore[arg-type]
    assert run.state is RunState.RUNNING
    assert run.progress_fraction is None
    registry.record_progress("q1", Progress(25, 100, 100))  # type: ignore[arg-type]
    assert run.progress_fraction == pytest.approx(0.25)


def test_nothing_changes_a_final_run() -> None:
    registry = RunRegistry(clock=Clock())
    run = registry.submit("q1", "select 1")
    registry.mark_cancelling("q1")
    assert run.state is RunState.CANCELLING
    registry.mark_cancelled("q1")
    registry.finish("q1", Result(is_cached=False))  # type: ignore[arg-type]
    registry.fail("q1", RuntimeError("late"))
    registry.record_progress("q1", Progress(1, 1, 1))  # type: ignore[arg-type]
    assert run.state is RunState.CANCELLED
    assert run.result is None and run.error is None and run.progress is None


def test_listeners_hear_each_submit_and_each_final_run_once() -> None:
    registry = RunRegistry(clock=Clock())
    heard: list[tuple[str, RunState]] = []
    registry.add_submit_listener(lambda run: heard.append((run.client_query_id, run.state)))
    registry.add_finish_listener(lambda run: heard.append((run.client_query_id, run.state)))
    registry.submit("a", "select 1")
    registry.submit("b", "select 2")
    registry.fail("a", ValueError("bad"))
    registry.fail("a", ValueError("again"))
    registry.finish("b", Result(is_cached=False))  # type: ignore[arg-type]
    assert heard == [
        ("a", RunState.QUEUED),
        ("b", RunState.QUEUED),
        ("a", RunState.FAILED),
        ("b", RunState.DONE),
    ]


def test_clear_finished_keeps_active_runs_in_submission_order() -> None:
    registry = RunRegistry(clock=Clock())
    for cid in ("a", "b", "c"):
        registry.submit(cid, f"select '{cid}'")
    registry.finish("b", Result(is_cached=False))  # type: ignore[arg-type]
    assert registry.clear_finished() == ["b"]
    assert [run.client_query_id for run in registry] == ["a", "c"]
    assert registry.newest() is registry.get("c")
    with pytest.raises(UnknownRun):
        registry.get("b")
    assert registry.find("b") is None


def test_ids_are_unique_and_the_snippet_is_one_line() -> None:
    registry = RunRegistry(clock=Clock())
    run = registry.submit("a", "select\n  1,\n\t2")
    assert run.snippet == "select 1, 2"
    with pytest.raises(ValueError):
        registry.submit("a", "select 2")
