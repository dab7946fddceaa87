"""What the export key does: the Export dialog for the shown result, then the export.

Three ways out of the dialog. The clipboard and a file take the rows the grid shows, in the
order it shows them (its filter and sort; ``ResultsPane.view``), from the result's raw
Arrow table; the file is written in a thread worker, atomically. "Export all" pages through
every row of the query with ``ExportJob`` as a run in the registry: an entry in the queries
sidebar with its progress, cancelled with F9 or its button like a query, and resumed from
its sidecar state (alt+r, the entry's Resume button, or the dialog's offer).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.app.describe import describe_error
from workbench.app.export_text import export_outcome_line, failure_text

if TYPE_CHECKING:
    from workbench.app.screens.export_dialog import ExportChoice
    from workbench.app.screens.main import MainScreen
    from workbench.app.screens.runs_screen import RunsScreen
    from workbench.app.widgets.results import GridViewInfo
    from workbench.client.models import QueryResult
    from workbench.export.state import ExportState
    from workbench.runs.registry import QueryRun

EXPORT_PAGE_ROWS: int | None = None
"""Rows per export-all page; None is ``ExportJob``'s default (PostHog's 50,000 cap).
Tests set a smaller value to get several pages from a small server."""

EXPORT_COUNT_TOTAL = True
"""Count the rows first (one cheap query) so progress has a total and a time left."""


def shown_run(screen: RunsScreen) -> QueryRun | None:
    """The query run whose result the results area shows, if it has one."""
    run_id = screen.results.shown_run_id
    run = screen.registry.find(run_id) if run_id is not None else None
    return run if run is not None and run.result is not None else None


def view_summary(result: QueryResult, view: GridViewInfo) -> str:
    """``1,234 rows (filtered, sorted by n ↓) × 8 columns`` and the truncation note."""
    summary = f"{view.rows:,} rows"
    if view.description:
        summary += f" ({view.description})"
    summary += f" × {len(result.columns)} columns"
    if result.truncated:
        summary += " (truncated: tick 'export all' for every row)"
    return summary


def open_export_dialog(screen: MainScreen) -> None:
    """Ask how to export the shown result; a clear notice when there is none."""
    run = shown_run(screen)
    if run is None or run.result is None:
        screen.notify("No result is shown: run a query first.", severity="warning", markup=False)
        return
    from workbench.app.screens.export_dialog import ExportDialog

    view = screen.results.view()
    all_note = ""
    if view.description:
        all_note = (
            "Export all writes every row of the query: the grid's filter and sort do not apply."
        )

    def chosen(choice: ExportChoice | None) -> None:
        if choice is not None:
            start_export(screen, run, choice)

    screen.app.push_screen(ExportDialog(view_summary(run.result, view), all_note=all_note), chosen)


def start_export(screen: MainScreen, run: QueryRun, choice: ExportChoice) -> None:
    """Do what ``choice`` asks with ``run``'s result."""
    result = run.result
    if result is None:
        return
    if choice.export_all:
        offer_resume_or_start(screen, run.sql, choice)
        return
    row_ids = screen.results.view().row_ids
    if choice.clipboard:
        copy_to_clipboard(screen, result, row_ids)
    else:
        write_file(screen, result, row_ids, choice)


def wire_value(value: Any) -> Any:
    """An Arrow value back in the form PostHog sent it (dates and times as ISO text)."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [wire_value(item) for item in value]
    return value


def result_rows(result: QueryResult, row_ids: Any = None) -> list[list[Any]]:
    """The result's rows, or those at ``row_ids`` (an Arrow index array) in that order.

    Read from the raw Arrow table (not the grid's escaped copy), which has the same rows in
    the same order as the grid's base table.
    """
    if row_ids is None and result.rows:
        return [list(row) for row in result.rows]
    table = result.to_arrow()
    if row_ids is not None:
        table = table.take(row_ids)
    columns = [[wire_value(v) for v in column.to_pylist()] for column in table.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def copy_to_clipboard(screen: MainScreen, result: QueryResult, row_ids: Any) -> None:
    """The shown rows as TSV over OSC 52; refused with a message above the clipboard cap."""
    from workbench.export import ExportError, clipboard_text

    try:
        rows = result_rows(result, row_ids)
        text = clipboard_text(result.columns, rows)
    except ExportError as exc:
        screen.notify(str(exc), title="Export", severity="error", markup=False)
        return
    screen.app.copy_to_clipboard(text)
    screen.notify(f"Copied {len(rows):,} rows as TSV (OSC 52)", markup=False)


def write_file(screen: MainScreen, result: QueryResult, row_ids: Any, choice: ExportChoice) -> None:
    """Write the shown rows to ``choice.destination`` in a thread worker."""
    from workbench.export import ExportError, write_rows

    columns, types = list(result.columns), list(result.types)
    app = screen.app

    def tell(message: str, *, error: bool = False) -> None:
        severity = "error" if error else "information"
        app.call_from_thread(
            screen.notify, message, title="Export", severity=severity, markup=False
        )

    def work() -> None:
        try:
            rows = result_rows(result, row_ids)
            write_rows(choice.destination, choice.fmt, columns, types, rows)
        except ExportError as exc:
            tell(f"Nothing written: {exc}", error=True)
        except OSError as exc:
            tell(f"Nothing written: {exc.strerror or exc}", error=True)
        except Exception as exc:  # a value the format cannot hold must not vanish silently
            tell(f"Nothing written: {describe_error(exc)}", error=True)
        else:
            tell(f"Wrote {len(rows):,} rows to {choice.destination}")

    screen.run_worker(work, thread=True, group="export", exit_on_error=False)


# -- export all: a run in the registry ------------------------------------------------------


def saved_state(destination: Path) -> ExportState | None:
    """The destination's resume state, or None when there is none or it cannot be read."""
    from workbench.export import ExportError
    from workbench.export.state import ExportState, state_path

    try:
        return ExportState.load(state_path(destination))
    except ExportError:
        return None


def state_matches(state: ExportState, sql: str, choice: ExportChoice) -> bool:
    """True when ``state`` belongs to an export of ``sql`` with this key and format."""
    from workbench.export.state import query_digest

    wanted = (query_digest(sql), choice.key, None, choice.fmt)
    return (state.sql_sha256, state.key, state.tiebreak, state.format) == wanted


def busy_destination(screen: RunsScreen, destination: Path) -> bool:
    """True (and a notice) when a running export writes ``destination``: two jobs on one
    staging file and sidecar would corrupt both."""
    target = destination.resolve()
    for run in screen.registry.active():
        if run.export is not None and run.export.destination.resolve() == target:
            screen.notify(
                f"An export to {destination} is already running.", severity="warning", markup=False
            )
            return True
    return False


def offer_resume_or_start(screen: RunsScreen, sql: str, choice: ExportChoice) -> None:
    """Start the export; when the destination holds resume state, ask first."""
    if busy_destination(screen, choice.destination):
        return
    state = saved_state(choice.destination)
    if state is None or state.rows_written == 0:
        start_export_all(screen, sql, choice, resume=False)
        return
    from workbench.app.screens.resume_dialog import ResumeDialog, resume_offer

    matches = state_matches(state, sql, choice)

    def answered(answer: str | None) -> None:
        if answer is not None:
            start_export_all(screen, sql, choice, resume=answer == "resume")

    offer = resume_offer(state, matches, choice.destination)
    screen.app.push_screen(ResumeDialog(offer, can_resume=matches), answered)


def start_export_all(
    screen: RunsScreen, sql: str, choice: ExportChoice, *, resume: bool
) -> QueryRun | None:
    """Register an export-all run and start its worker (several may run at once, each to
    its own file); None when the destination is busy."""
    from workbench.app.export_worker import ExportOrder, run_export
    from workbench.runs import ExportTask

    if busy_destination(screen, choice.destination):
        return None
    state = saved_state(choice.destination) if resume else None
    task = ExportTask(
        choice.destination,
        choice.fmt,
        choice.key,
        resumed_from=state.rows_written if state is not None else 0,
    )
    client_query_id = screen.context.new_query_id()
    run = screen.registry.submit(client_query_id, sql, export=task)
    order = ExportOrder(
        sql,
        choice.destination,
        choice.fmt,
        choice.key,
        resume=resume,
        page_size=EXPORT_PAGE_ROWS,
        count_total=EXPORT_COUNT_TOTAL,
    )
    screen.start_run_worker(
        client_query_id,
        run_export(screen.context.session, screen.post_message, client_query_id, order),
        group="exports",
    )
    screen.sidebar.highlight(client_query_id)
    return run


def resume_export(screen: RunsScreen, client_query_id: str | None = None) -> None:
    """Resume a stopped export: the given one, else the selected or shown one, else the newest."""
    from workbench.app.screens.export_dialog import ExportChoice
    from workbench.export.formats import FORMATS

    run = screen.registry.find(client_query_id) if client_query_id is not None else None
    if run is None:
        run = resumable_target(screen)
    if run is None or run.export is None or not run.export.resumable:
        screen.notify("No stopped export to resume here.", markup=False)
        return
    task = run.export
    fmt = next(f for f in FORMATS if f == task.fmt)
    choice = ExportChoice(task.destination, fmt, export_all=True, key=task.key)
    if start_export_all(screen, run.sql, choice, resume=True) is not None:
        task.resumable, task.resumed_later = False, True  # the new run takes over the sidecar


def resumable_target(screen: RunsScreen) -> QueryRun | None:
    """The export alt+r means: the sidebar's selection, the shown run, or the newest stopped."""
    candidates = [screen.sidebar.highlighted_run_id(), screen.results.shown_run_id]
    for run_id in candidates:
        run = screen.registry.find(run_id) if run_id is not None else None
        if run is not None and run.export is not None and run.export.resumable:
            return run
    stopped = [r for r in screen.registry if r.export is not None and r.export.resumable]
    return stopped[-1] if stopped else None


def export_settled(screen: RunsScreen, run: QueryRun) -> None:
    """An export run ended: note whether it can resume, and say how it ended."""
    from workbench.export.state import state_path
    from workbench.runs import RunState

    task = run.export
    assert task is not None
    task.resumable = run.state is not RunState.DONE and state_path(task.destination).exists()
    line = export_outcome_line(run, screen.registry.clock())
    if run.state is RunState.FAILED and run.error is not None and not task.resumable:
        line = f"Export failed: {failure_text(run.error)}"
    if run.state is RunState.FAILED:
        screen.notify(line, title="Export", severity="error", markup=False)
    else:
        screen.notify(line, title="Export", markup=False)
