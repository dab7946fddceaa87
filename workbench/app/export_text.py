"""How an export-all run reads in the sidebar and the results area (headless, no Textual).

One place for the words, so the sidebar entry, the results message and the notification
say the same thing: ``export → out.csv``, ``120,000 / 200,000 rows · 40,000 rows/s · ~2 s
left``, ``waiting 38 s for the query budget``, ``Exported 200,000 rows to out.csv in 6.2 s``.
File names and server text are returned as given; callers show them with markup off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.app.describe import describe_error, human_duration
from workbench.app.literal import escape_control
from workbench.runs import RunState

if TYPE_CHECKING:
    from workbench.runs import ExportTask, QueryRun

RESUME_KEY = "alt+r"
"""The key that resumes the selected cancelled or failed export (see ``keys.MAIN_KEYS``)."""


def task_of(run: QueryRun) -> ExportTask:
    """The run's export payload; only call for export runs."""
    assert run.export is not None, "not an export run"
    return run.export


def export_title(run: QueryRun) -> str:
    """``export → out.csv`` (plus ``(resumed)`` when it continues an earlier file)."""
    task = task_of(run)
    title = f"export → {escape_control(task.file_name)}"
    return title + " (resumed)" if task.resumed_from else title


def waiting_left(run: QueryRun, now: float) -> float | None:
    """Seconds left of a rate-budget wait the job is in, counted down on the registry clock."""
    progress = task_of(run).progress
    if progress is None or progress.stage != "waiting" or progress.waiting is None:
        return None
    since = run.reported_at if run.reported_at is not None else now
    return max(0.0, progress.waiting - (now - since))


def export_progress_line(run: QueryRun, now: float) -> str:
    """Where a running export is: rows, pages, speed, time left, or what it waits for."""
    task = task_of(run)
    progress = task.progress
    if progress is None:
        return "starting…"
    rows = f"{progress.rows:,}"
    if progress.total_rows is not None:
        rows += f" / {progress.total_rows:,}"
    parts = [f"{rows} rows", f"{progress.pages} pages"]
    wait = waiting_left(run, now)
    if wait is not None:
        parts.append(f"waiting {wait:.0f} s for the query budget")
        return " · ".join(parts)
    if progress.stage == "counting":
        return "counting rows…" if not progress.rows else f"{progress.rows:,} rows · counting…"
    if progress.stage == "finishing":
        parts.append("finishing the file")
    if progress.rows_per_second:
        parts.append(f"{progress.rows_per_second:,.0f} rows/s")
    if progress.eta is not None and progress.stage == "querying":
        parts.append(f"~{human_duration(progress.eta)} left")
    return " · ".join(parts)


def export_outcome_line(run: QueryRun, now: float) -> str:
    """How a finished export ended, in one line."""
    task = task_of(run)
    elapsed = human_duration(run.elapsed(now))
    name = escape_control(task.file_name)
    if run.state is RunState.DONE:
        return f"Exported {task.rows_written:,} rows to {name} in {elapsed}"
    if task.resumable:
        hint = f": {RESUME_KEY} resumes"
    elif task.resumed_later:
        hint = ": resumed by a later run"
    else:
        hint = ": nothing written" if task.rows_written == 0 else ""
    if run.state is RunState.CANCELLED:
        return f"Cancelled after {task.rows_written:,} rows{hint}"
    if run.error is not None:
        return f"Failed after {task.rows_written:,} rows{hint}. {failure_text(run.error)}"
    return ""


def failure_text(error: BaseException) -> str:
    """The specific reason an export stopped (disk full, 429 after retries, connection lost)."""
    from workbench.export.files import ExportError

    if isinstance(error, ExportError):
        return escape_control(str(error))
    return describe_error(error)


def export_details(run: QueryRun, now: float) -> str:
    """The results area's text for an export run: the outcome or progress, then particulars."""
    task = task_of(run)
    if run.state.is_final:
        head = export_outcome_line(run, now)
    else:
        head = f"Exporting every row… {export_progress_line(run, now)} (F9 cancels)"
    lines = [head, "", f"File: {escape_control(str(task.destination))}"]
    lines.append(f"Format: {task.fmt}; paging on {escape_control(task.key)}")
    if task.resumed_from:
        lines.append(f"Resumed with {task.resumed_from:,} rows already written")
    if run.state.is_final and run.state is not RunState.DONE and task.resumable:
        lines += ["", f"Resume: {RESUME_KEY} on this entry, or in a shell:"]
        lines.append(escape_control(task.resume_command(run.sql)))
    lines += ["", run.sql]
    return "\n".join(lines)
