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


def export_progress(stage: str = "querying", rows: int = 0, **kw: object) -> object:
    from workbench.export.progress import ExportProgress

    fields: dict[str, object] = dict(pages=1, total_rows=200_000, elapsed=1.0)
    fields.update(rows_per_second=None, eta=None, waiting=None, query_id="page-1")
    fields.update(kw)
    return ExportProgress(stage, rows, **fields)  # type: ignore[arg-type]


def test_an_export_run_is_a_typed_entry_that_listeners_do_not_hear_about(
    tmp_path: object,
) -> None:
    from pathlib import Path

    from workbench.export.progress import ExportSummary
    from workbench.runs import ExportTask

    clock = Clock()
    registry = RunRegistry(clock=clock)
    heard: list[str] = []
    registry.add_submit_listener(lambda run: heard.append("submit " + run.client_query_id))
    registry.add_finish_listener(lambda run: heard.append("finish " + run.client_query_id))
    task = ExportTask(Path("/tmp/out.csv"), "csv", "timestamp")
    run = registry.submit("e1", "select 1", export=task)
    assert run.is_export and run.state is RunState.QUEUED and run.result is None
    clock.now = 101.0
    registry.record_export_progress("e1", export_progress(rows=50_000))  # type: ignore[arg-type]
    assert run.state is RunState.RUNNING and run.reported_at == 101.0
    assert task.rows_written == 50_000 and task.page_query_id == "page-1"
    registry.record_export_progress("e1", export_progress("waiting", 50_000, waiting=38.0))  # type: ignore[arg-type]
    assert task.page_query_id is None  # a rate wait has no query in flight
    clock.now = 106.5
    registry.finish_export("e1", ExportSummary(Path("/tmp/out.csv"), 200_000, 4, 5.0))
    assert run.state is RunState.DONE and run.elapsed(clock.now) == 6.5
    assert task.rows_written == 200_000
    # The query the export re-reads was recorded when it ran; the export is not a new one.
    assert heard == []
    registry.submit("q1", "select 1")
    with pytest.raises(ValueError):
        registry.record_export_progress("q1", export_progress())  # type: ignore[arg-type]


def test_export_lines_read_well() -> None:
    from pathlib import Path

    from workbench.app.export_text import (
        export_outcome_line,
        export_progress_line,
        export_title,
    )
    from workbench.export.progress import ExportSummary
    from workbench.runs import ExportTask

    clock = Clock()
    registry = RunRegistry(clock=clock)
    task = ExportTask(Path("/data/out.csv"), "csv", "timestamp")
    run = registry.submit("e1", "select 1", export=task)
    assert export_title(run) == "export → out.csv"
    assert export_progress_line(run, clock.now) == "starting…"
    registry.record_export_progress("e1", export_progress("counting", total_rows=None))  # type: ignore[arg-type]
    assert export_progress_line(run, clock.now) == "counting rows…"
    registry.record_export_progress(
        "e1",
        export_progress(rows=120_000, pages=3, rows_per_second=40_000.0, eta=2.0),  # type: ignore[arg-type]
    )
    line = export_progress_line(run, clock.now)
    assert line == "120,000 / 200,000 rows · 3 pages · 40,000 rows/s · ~2.0 s left"
    registry.record_export_progress(
        "e1",
        export_progress("waiting", 120_000, pages=3, waiting=38.0),  # type: ignore[arg-type]
    )
    clock.now += 10.0  # the wait counts down on the registry clock
    line = export_progress_line(run, clock.now)
    assert line == "120,000 / 200,000 rows · 3 pages · waiting 28 s for the query budget"
    clock.now = 106.2
    registry.finish_export("e1", ExportSummary(task.destination, 200_000, 5, 6.0))
    assert export_outcome_line(run, clock.now) == "Exported 200,000 rows to out.csv in 6.2 s"

    stopped = registry.submit("e2", "select 1", export=ExportTask(task.destination, "csv", "t"))
    registry.record_export_progress("e2", export_progress(rows=50_000))  # type: ignore[arg-type]
    registry.mark_cancelled("e2")
    assert stopped.export is not None
    stopped.export.resumable = True
    assert export_outcome_line(stopped, clock.now) == "Cancelled after 50,000 rows: alt+r resumes"


def test_a_failed_export_names_the_reason() -> None:
    from pathlib import Path

    from workbench.app.export_text import export_outcome_line
    from workbench.client.errors import NetworkError, RateLimited
    from workbench.export import ExportError
    from workbench.runs import ExportTask

    registry = RunRegistry(clock=Clock())
    cases = [
        (ExportError("No space left on the device while writing /d/out.csv."), "No space left"),
        (RateLimited("Rate limit exceeded", retry_after=30.0), "Rate limited"),
        (NetworkError("connection reset", kind="reset"), "Network error (reset)"),
    ]
    for index, (error, expected) in enumerate(cases):
        task = ExportTask(Path("/d/out.csv"), "csv", "timestamp", resumable=True)
        run = registry.submit(f"e{index}", "select 1", export=task)
        registry.fail(run.client_query_id, error)
        line = export_outcome_line(run, 100.0)
        assert line.startswith("Failed after 0 rows: alt+r resumes. "), line
        assert expected in line, line
