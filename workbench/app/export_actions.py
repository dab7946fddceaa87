"""What ctrl+e does: the Export dialog for the shown result, then the export off the UI thread.

A file export of the rows in memory runs in a thread worker (``write_rows`` is atomic: a
failure leaves the destination as it was). "Export all" runs ``ExportJob`` in an async worker
in the ``export-all`` group; its progress is a line in the status bar, and ``cancel_export``
(or cancelling the worker) cancels the in-flight page query on the server too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from workbench.app.describe import describe_error

if TYPE_CHECKING:
    from workbench.app.screens.export_dialog import ExportChoice
    from workbench.app.screens.main import MainScreen
    from workbench.client.models import QueryResult
    from workbench.export.progress import ExportProgress, ExportSummary
    from workbench.runs.registry import QueryRun

EXPORT_ALL_GROUP = "export-all"
"""Worker group of a running export-all (one at a time)."""


def shown_run(screen: MainScreen) -> QueryRun | None:
    """The run whose result the results area shows, if it has one."""
    run_id = screen.results.shown_run_id
    run = screen.registry.find(run_id) if run_id is not None else None
    return run if run is not None and run.result is not None else None


def open_export_dialog(screen: MainScreen) -> None:
    """Ask how to export the shown result; a clear notice when there is none."""
    run = shown_run(screen)
    if run is None or run.result is None:
        screen.notify("No result is shown: run a query first.", severity="warning", markup=False)
        return
    from workbench.app.screens.export_dialog import ExportDialog

    result = run.result
    summary = f"{result.to_arrow().num_rows:,} rows × {len(result.columns)} columns"
    if result.truncated:
        summary += " (truncated: tick 'export all' for every row)"

    def chosen(choice: ExportChoice | None) -> None:
        if choice is not None:
            start_export(screen, run, choice)

    screen.app.push_screen(ExportDialog(summary), chosen)


def start_export(screen: MainScreen, run: QueryRun, choice: ExportChoice) -> None:
    """Do what ``choice`` asks with ``run``'s result."""
    result = run.result
    if result is None:
        return
    if choice.clipboard:
        copy_to_clipboard(screen, result)
    elif choice.export_all:
        start_export_all(screen, run.sql, choice)
    else:
        write_file(screen, result, choice)


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


def result_rows(result: QueryResult) -> list[list[Any]]:
    """The result's rows: the Python rows when kept, else read back from its Arrow table
    (the app drops the Python rows once the grid's table is built)."""
    if result.rows:
        return [list(row) for row in result.rows]
    table = result.to_arrow()
    columns = [[wire_value(v) for v in column.to_pylist()] for column in table.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def copy_to_clipboard(screen: MainScreen, result: QueryResult) -> None:
    """The rows as TSV over OSC 52; refused with a message above the clipboard cap."""
    from workbench.export import ExportError, clipboard_text

    try:
        rows = result_rows(result)
        text = clipboard_text(result.columns, rows)
    except ExportError as exc:
        screen.notify(str(exc), title="Export", severity="error", markup=False)
        return
    screen.app.copy_to_clipboard(text)
    screen.notify(f"Copied {len(rows):,} rows as TSV (OSC 52)", markup=False)


def write_file(screen: MainScreen, result: QueryResult, choice: ExportChoice) -> None:
    """Write the rows in memory to ``choice.destination`` in a thread worker."""
    from workbench.export import ExportError, write_rows

    columns, types = list(result.columns), list(result.types)
    app = screen.app

    def work() -> None:
        try:
            rows = result_rows(result)
            write_rows(choice.destination, choice.fmt, columns, types, rows)
        except ExportError as exc:
            message = f"Nothing written: {exc}"
            app.call_from_thread(
                screen.notify, message, title="Export", severity="error", markup=False
            )
            return
        except OSError as exc:
            message = f"Nothing written: {exc.strerror or exc}"
            app.call_from_thread(
                screen.notify, message, title="Export", severity="error", markup=False
            )
            return
        except Exception as exc:  # a value the format cannot hold must not vanish silently
            message = f"Nothing written: {describe_error(exc)}"
            app.call_from_thread(
                screen.notify, message, title="Export", severity="error", markup=False
            )
            return
        done = f"Wrote {len(rows):,} rows to {choice.destination}"
        app.call_from_thread(screen.notify, done, title="Export", markup=False)

    screen.run_worker(work, thread=True, group="export", exit_on_error=False)


def progress_line(progress: ExportProgress) -> str:
    """One status-bar line for an export-all."""
    line = f"export: {progress.stage} {progress.rows:,}"
    if progress.total_rows is not None:
        line += f"/{progress.total_rows:,}"
    line += " rows"
    if progress.eta is not None:
        line += f", ~{progress.eta:.0f}s left"
    if progress.waiting:
        line += f", waiting {progress.waiting:.0f}s for the rate budget"
    return line + " (alt+e cancels)"


def start_export_all(screen: MainScreen, sql: str, choice: ExportChoice) -> None:
    """Run ``ExportJob`` for every row of ``sql``; one at a time."""
    if any(w.group == EXPORT_ALL_GROUP and not w.is_finished for w in screen.workers):
        screen.notify("An export is already running.", severity="warning", markup=False)
        return
    status = screen.status_bar

    def on_progress(progress: ExportProgress) -> None:
        status.note = progress_line(progress)
        status.redraw()

    async def work() -> None:
        from workbench.export import ExportError, ExportJob

        summary: ExportSummary | None = None
        try:
            client = await screen.context.session.client()
            job = ExportJob(
                cast(Any, client),
                sql,
                choice.destination,
                fmt=choice.fmt,
                key=choice.key,
                on_progress=on_progress,
            )
            summary = await job.run()
        except ExportError as exc:
            screen.notify(f"Export stopped: {exc}", title="Export", severity="error", markup=False)
        except Exception as exc:
            text = f"Export stopped: {describe_error(exc)}"
            screen.notify(text, title="Export", severity="error", markup=False)
        finally:
            status.note = ""
            status.redraw()
        if summary is not None:
            done = f"Exported all {summary.rows:,} rows to {summary.path}"
            screen.notify(done, title="Export", markup=False)

    screen.notify(f"Exporting every row to {choice.destination}…", title="Export", markup=False)
    status.note = "export: starting (alt+e cancels)"
    status.redraw()
    screen.run_worker(work(), group=EXPORT_ALL_GROUP, exit_on_error=False)


def cancel_export(screen: MainScreen) -> None:
    """Cancel a running export-all (its page query is cancelled on the server too)."""
    running = [w for w in screen.workers if w.group == EXPORT_ALL_GROUP and not w.is_finished]
    if not running:
        screen.notify("No export is running.", markup=False)
        return
    for worker in running:
        worker.cancel()
    screen.status_bar.note = ""
    screen.status_bar.redraw()
    screen.notify("Export cancelled; the destination file is unchanged.", markup=False)
