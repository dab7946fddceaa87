"""The running-queries sidebar: a view of the ``RunRegistry``, newest first.

It reads runs and posts ``RunSelected`` / ``CancelRequested`` / ``ResumeRequested``; the
screen owns the state. Export-all runs are entries too (``export → out.csv``), cancelled
the same way as queries.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Label, ListItem, ListView, ProgressBar, Static

from workbench.app.describe import human_duration, progress_line, short_error
from workbench.app.export_text import export_outcome_line, export_progress_line, export_title
from workbench.app.literal import escape_control
from workbench.runs import QueryRun, RunRegistry, RunState

STATE_ICONS: dict[RunState, str] = {
    RunState.QUEUED: "…",
    RunState.RUNNING: "▶",
    RunState.CANCELLING: "■",
    RunState.DONE: "✓",
    RunState.CACHED: "✓",
    RunState.FAILED: "✗",
    RunState.CANCELLED: "■",
}
"""One glyph per state, so the list reads at a glance."""

SNIPPET_CHARACTERS = 120
"""Enough SQL for two sidebar lines; the widget crops the rest."""


def entry_id(client_query_id: str) -> str:
    """Widget id of a run's entry (ids must not start with a digit)."""
    return f"run-{client_query_id}"


class RunSelected(Message):
    """The user picked a run in the sidebar: show its result or error."""

    def __init__(self, client_query_id: str) -> None:
        super().__init__()
        self.client_query_id = client_query_id


class CancelRequested(Message):
    """The user pressed a run's Cancel button."""

    def __init__(self, client_query_id: str) -> None:
        super().__init__()
        self.client_query_id = client_query_id


class ResumeRequested(Message):
    """The user pressed a stopped export's Resume button."""

    def __init__(self, client_query_id: str) -> None:
        super().__init__()
        self.client_query_id = client_query_id


class ClearRequested(Message):
    """The user asked to clear finished runs."""


class RunEntry(ListItem):
    """One run: state and elapsed time, the SQL, progress numbers and bar, Cancel.

    An export run shows ``export → file`` instead of the SQL, and a Resume button once it
    stopped with resume state. Children are created up front so the entry can be updated
    before it is mounted.
    """

    # Here rather than in app.tcss: the rules belong to the entry's export form.
    DEFAULT_CSS = """
    .run-resume { height: 1; min-width: 10; border: none; background: $primary-darken-2; }
    .run-entry.-export .run-sql { color: $accent; }
    """

    def __init__(self, run: QueryRun) -> None:
        super().__init__(id=entry_id(run.client_query_id), classes="run-entry")
        self.client_query_id = run.client_query_id
        self._state = Static("", markup=False, classes="run-state")
        self._cancel = Button("✕ Cancel", id=f"cancel-{run.client_query_id}", classes="run-cancel")
        self._resume = Button("↻ Resume", id=f"resume-{run.client_query_id}", classes="run-resume")
        self._resume.display = False
        title = export_title(run) if run.is_export else sql_snippet(run.sql)
        self._sql = Static(
            escape_control(title[:SNIPPET_CHARACTERS]), markup=False, classes="run-sql"
        )
        self.set_class(run.is_export, "-export")
        self._progress = Static("", markup=False, classes="run-progress")
        self._bar = ProgressBar(total=1.0, show_eta=False, show_percentage=False, classes="run-bar")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="run-head"):
            yield self._state
            yield self._cancel
            yield self._resume
        yield self._sql
        yield self._progress
        yield self._bar

    def update_from(self, run: QueryRun, now: float) -> None:
        """Redraw from the run's current state; ``now`` is the registry clock."""
        elapsed = human_duration(run.elapsed(now))
        state = "exporting" if run.is_export and run.state is RunState.RUNNING else run.state.value
        self._state.update(f"{STATE_ICONS[run.state]} {state}  {elapsed}")
        for each in RunState:
            self.set_class(each is run.state, f"-{each.name.lower()}")
        if run.export is not None:
            final = run.state.is_final
            line = export_outcome_line(run, now) if final else export_progress_line(run, now)
            progress = run.export.progress
            fraction = progress.fraction if progress is not None else None
            self._resume.display = final and run.export.resumable
        else:
            line = outcome_line(run) if run.state.is_final else progress_line(run)
            fraction = run.progress_fraction
        self._progress.update(line)
        self._bar.display = fraction is not None and not run.state.is_final
        if fraction is not None:
            self._bar.update(progress=fraction)
        self._cancel.display = not run.state.is_final

    @on(Button.Pressed, ".run-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(CancelRequested(self.client_query_id))

    @on(Button.Pressed, ".run-resume")
    def _resume_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(ResumeRequested(self.client_query_id))


def outcome_line(run: QueryRun) -> str:
    """What a finished run produced: its row count, or the kind of failure."""
    if run.result is not None:
        line = f"{run.row_count:,} rows"
        return line + " (truncated)" if run.result.truncated else line
    if run.error is not None:
        return escape_control(short_error(run.error))
    return ""


def sql_snippet(sql: str) -> str:
    """The SQL on one line without its leading ``--`` comment lines."""
    lines = sql.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return " ".join(" ".join(lines).split()) or " ".join(sql.split())


class RunsSidebar(Vertical):
    """Header with a Clear button over a list of ``RunEntry``."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="runs-head"):
            yield Label("Queries", id="runs-title")
            yield Button("Clear", id="runs-clear")
        yield ListView(id="runs-list")

    @property
    def list_view(self) -> ListView:
        return self.query_one("#runs-list", ListView)

    def sync(self, registry: RunRegistry, now: float) -> None:
        """Add entries for new runs, drop cleared ones, redraw the rest."""
        list_view = self.list_view
        shown = {item.client_query_id: item for item in list_view.query(RunEntry)}
        inserted = False
        for run in registry:
            entry = shown.pop(run.client_query_id, None)
            if entry is None:
                entry = RunEntry(run)
                list_view.insert(0, [entry])
                inserted = True
            entry.update_from(run, now)
        if inserted:
            # The newest run is on top; ListView keeps its old cursor in view, which can
            # leave the new entry's first line scrolled off once it has its full height.
            self.call_after_refresh(list_view.scroll_home, animate=False)
        for stale in shown.values():
            stale.remove()

    def highlighted_run_id(self) -> str | None:
        """The run under the list's cursor, if any."""
        item = self.list_view.highlighted_child
        return item.client_query_id if isinstance(item, RunEntry) else None

    def highlight(self, client_query_id: str) -> None:
        """Move the list's cursor to that run without posting a selection."""
        for index, item in enumerate(self.list_view.children):
            if isinstance(item, RunEntry) and item.client_query_id == client_query_id:
                self.list_view.index = index
                return

    @on(ListView.Selected, "#runs-list")
    def _run_clicked(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, RunEntry):
            self.post_message(RunSelected(event.item.client_query_id))

    @on(Button.Pressed, "#runs-clear")
    def _clear_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(ClearRequested())
