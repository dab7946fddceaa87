"""The query half of the main screen: submit, track, cancel and show runs.

Workers post messages; the handlers here update the ``RunRegistry`` and redraw the views.
View rule: a new run takes the results area; a run that finishes later does not steal it
from the run the user is looking at; selecting a sidebar entry shows that run. Export-all
runs (``QueryRun.export``) live in the same registry and are cancelled the same way; what
starts and resumes them is in ``workbench.app.export_actions``.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from workbench.app import workers
from workbench.app.describe import human_duration
from workbench.app.messages import (
    ExportFinished,
    ExportProgressed,
    QueryCancelled,
    QueryFailed,
    QueryProgressed,
    QueryStarted,
    ResultsFetched,
)
from workbench.app.run_text import error_text, result_info
from workbench.app.widgets.results import ResultsPane
from workbench.app.widgets.sidebar import (
    CancelRequested,
    ClearRequested,
    ResumeRequested,
    RunSelected,
    RunsSidebar,
)
from workbench.app.widgets.status_bar import StatusBar
from workbench.app.workers import ClientSession
from workbench.runs import QueryRun, RunState

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.app.widgets.editor_tabs import EditorTabs

TICK_SECONDS = 0.25
"""How often elapsed times are redrawn while something runs."""

RUN_GROUPS = frozenset({"queries", "exports"})
"""Worker groups whose workers are named by the ``client_query_id`` of their run."""


class RunsScreen(Screen[None]):
    """Base of ``MainScreen``: everything about runs; the subclass composes the widgets."""

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(id="main")
        self.context = context
        self.registry = context.registry
        self._workers: dict[str, Worker[None]] = {}
        self._sessions: dict[str, ClientSession] = {}

    # Widgets the subclass composes.
    @property
    def results(self) -> ResultsPane:
        return self.query_one("#results", ResultsPane)

    @property
    def sidebar(self) -> RunsSidebar:
        return self.query_one("#sidebar", RunsSidebar)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def editor_tabs(self) -> EditorTabs:
        from workbench.app.widgets.editor_tabs import EditorTabs

        return self.query_one("#editors", EditorTabs)

    def start_ticking(self) -> None:
        self.set_interval(TICK_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.registry.active():
            self.refresh_runs()
            shown = self.results.shown_run_id
            run = self.registry.find(shown) if shown is not None else None
            if run is not None and run.is_export and not run.state.is_final:
                self.show_run(run)  # a rate-budget wait counts down

    def refresh_runs(self) -> None:
        """Redraw the sidebar from the registry."""
        self.sidebar.sync(self.registry, self.registry.clock())

    # -- submitting and cancelling ------------------------------------------------------

    def submit(self, sql: str, *, editor_id: str, sql_offset: int) -> QueryRun:
        """Register a run, start its worker, and show it."""
        client_query_id = self.context.new_query_id()
        run = self.registry.submit(client_query_id, sql, editor_id=editor_id, sql_offset=sql_offset)
        self.start_run_worker(
            client_query_id,
            workers.run_query(
                self.context.session,
                self.post_message,
                client_query_id,
                sql,
                row_limit=self.context.row_limit,
            ),
            group="queries",
        )
        self.show_run(run)
        return run

    def start_run_worker(
        self, client_query_id: str, work: Coroutine[Any, Any, None], *, group: str
    ) -> None:
        """Run ``work`` for a registered run on the current session; cancel_run can stop it."""
        self._sessions[client_query_id] = self.context.session
        self._workers[client_query_id] = self.run_worker(
            work, name=client_query_id, group=group, exclusive=False, exit_on_error=False
        )
        self.refresh_runs()

    def cancel_run(self, client_query_id: str) -> None:
        """Cancel locally (the HTTP request) and on the server (DELETE)."""
        run = self.registry.find(client_query_id)
        if run is None or run.state.is_final:
            return
        # An export's own id names no server query: its page query in flight does. Cancelling
        # the worker cancels that request (the client sends DELETE); this DELETE is the
        # belt to those braces, bounded and idempotent like a query's.
        server_id = run.export.page_query_id if run.export is not None else client_query_id
        self.registry.mark_cancelling(client_query_id)
        worker = self._workers.get(client_query_id)
        if worker is not None:
            worker.cancel()
        if server_id is not None:
            self.run_worker(
                workers.cancel_query(self.session_of(client_query_id), server_id),
                group="cancels",
                exclusive=False,
                exit_on_error=False,
            )
        self.refresh_runs()
        self._redraw_if_shown(client_query_id)

    def session_of(self, client_query_id: str) -> ClientSession:
        """The session a run was submitted on (the connection may have changed since)."""
        return self._sessions.get(client_query_id, self.context.session)

    def on_cancel_requested(self, message: CancelRequested) -> None:
        self.cancel_run(message.client_query_id)

    def on_resume_requested(self, message: ResumeRequested) -> None:
        from workbench.app.export_actions import resume_export

        resume_export(self, message.client_query_id)

    def on_clear_requested(self, message: ClearRequested) -> None:
        self.action_clear_finished()

    def action_clear_finished(self) -> None:
        for client_query_id in self.registry.clear_finished():
            self._workers.pop(client_query_id, None)
        self.refresh_runs()

    def action_cancel_selected(self) -> None:
        """Cancel the run under the sidebar cursor when the list has focus, else the shown one
        while it runs, else the newest running one (an export started from a shown result)."""
        target = None
        if self.sidebar.list_view.has_focus:
            target = self.sidebar.highlighted_run_id()
        shown = self.results.shown_run_id
        shown_run = self.registry.find(shown) if shown is not None else None
        if target is None and shown_run is not None and not shown_run.state.is_final:
            target = shown
        if target is None:
            active = self.registry.active()
            target = active[-1].client_query_id if active else shown
        if target is not None:
            self.cancel_run(target)

    # -- worker messages ----------------------------------------------------------------

    def on_query_started(self, message: QueryStarted) -> None:
        if message.client_query_id in self.registry:
            self.registry.mark_running(message.client_query_id)
            self.refresh_runs()
            self.status_bar.set_budget(self.context.budget_text())

    def on_query_progressed(self, message: QueryProgressed) -> None:
        if message.client_query_id in self.registry:
            self.registry.record_progress(message.client_query_id, message.progress)
            self.refresh_runs()

    def on_export_progressed(self, message: ExportProgressed) -> None:
        if message.client_query_id in self.registry:
            self.registry.record_export_progress(message.client_query_id, message.progress)
            self.refresh_runs()
            self._redraw_if_shown(message.client_query_id)

    def on_export_finished(self, message: ExportFinished) -> None:
        if message.client_query_id not in self.registry:
            return
        self.registry.finish_export(message.client_query_id, message.summary)
        self._run_settled(message.client_query_id)

    def on_results_fetched(self, message: ResultsFetched) -> None:
        if message.client_query_id not in self.registry:
            return
        self.registry.finish(message.client_query_id, message.result, message.display_table)
        self._run_settled(message.client_query_id)

    def on_query_failed(self, message: QueryFailed) -> None:
        if message.client_query_id not in self.registry:
            return
        self.registry.fail(message.client_query_id, message.error)
        self._run_settled(message.client_query_id)

    def on_query_cancelled(self, message: QueryCancelled) -> None:
        if message.client_query_id not in self.registry:
            return
        self.registry.mark_cancelled(message.client_query_id)
        self._run_settled(message.client_query_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker cancelled before it ran, or one that crashed, still settles its run."""
        name = event.worker.name
        if event.worker.group not in RUN_GROUPS or name not in self.registry:
            return
        if event.state is WorkerState.CANCELLED:
            self.registry.mark_cancelled(name)
            self._run_settled(name)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            self.registry.fail(name, event.worker.error)
            self._run_settled(name)

    def _run_settled(self, client_query_id: str) -> None:
        from workbench.client.errors import NetworkError

        self._workers.pop(client_query_id, None)
        run = self.registry.get(client_query_id)
        if run.export is not None:
            from workbench.app.export_actions import export_settled

            export_settled(self, run)
        self.refresh_runs()
        status = self.status_bar
        status.set_budget(self.context.budget_text())
        if isinstance(run.error, NetworkError):
            status.set_connection_state(f"✗ {run.error.kind}")
        elif run.result is not None:
            status.set_connection_state("● connected")
        self._redraw_if_shown(client_query_id)

    def _redraw_if_shown(self, client_query_id: str) -> None:
        if self.results.shown_run_id == client_query_id:
            self.show_run(self.registry.get(client_query_id))

    # -- showing a run ------------------------------------------------------------------

    def on_run_selected(self, message: RunSelected) -> None:
        run = self.registry.find(message.client_query_id)
        if run is not None:
            self.show_run(run)

    def show_run(self, run: QueryRun) -> None:
        """Put ``run`` in the results area: its rows, its error, or where it is."""
        results = self.results
        cid = run.client_query_id
        if run.export is not None:
            from workbench.app.export_text import export_details

            failed = run.state is RunState.FAILED
            results.show_message(cid, export_details(run, self.registry.clock()), error=failed)
        elif run.result is not None and run.display_table is not None:
            result = run.result
            try:
                results.show_table(
                    cid,
                    run.display_table,
                    list(result.columns),
                    list(result.types),
                    result_info(run, self.context.wall_clock()),
                )
            except Exception as exc:  # a result the grid cannot take must not end the app
                results.show_message(cid, f"Could not display the result: {exc!r}", error=True)
        elif run.state is RunState.FAILED and run.error is not None:
            results.show_message(cid, error_text(run, self.context.budget_text()), error=True)
            self.underline_error(run)
        elif run.state is RunState.CANCELLED:
            results.show_message(cid, f"Cancelled after {self._elapsed(run)}.\n\n{run.sql}")
        elif run.state is RunState.CANCELLING:
            results.show_message(cid, "Cancelling on the server…")
        else:
            results.show_message(
                cid, f"Running… (progress in the sidebar; F9 cancels)\n\n{run.sql}"
            )

    def _elapsed(self, run: QueryRun) -> str:
        return human_duration(run.elapsed(self.registry.clock()))

    def underline_error(self, run: QueryRun) -> None:
        """Underline a HogQL error's span in the editor the query came from, if unchanged."""
        from workbench.client import errors

        error = run.error
        if not isinstance(error, errors.HogQLError) or error.start is None:
            return
        editor = self.editor_tabs.editor(run.editor_id)
        if editor is None:
            return
        offset = run.sql_offset
        if editor.text[offset : offset + len(run.sql)] != run.sql:
            return  # edited since: the positions no longer point at the same text
        end = error.end if error.end is not None else error.start + 1
        editor.set_error_span(offset + error.start, offset + end)
