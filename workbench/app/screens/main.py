"""The workbench screen: editor tabs over results, the queries sidebar, status and footer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.document._document import Location
from textual.widgets import Button, Footer

from workbench.app import workers
from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.demo_queries import NEW_TAB_TEXT
from workbench.app.describe import describe_error
from workbench.app.keys import main_bindings
from workbench.app.messages import ClientConnected, ClientFailed
from workbench.app.screens.runs_screen import RunsScreen
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.widgets.editor_tabs import EditorTabs
from workbench.app.widgets.grid_messages import CellSelectedLike, CopyRequested
from workbench.app.widgets.results import ResultsPane
from workbench.app.widgets.sidebar import RunsSidebar
from workbench.app.widgets.splitter import PaneSplitter
from workbench.app.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from workbench.app.screens.connection_picker import ConnectionChoice
    from workbench.connection import ConnectionSettings

LAYOUTS = ("split", "editor-only", "results-only")
"""What F7 cycles through."""

AUTOSAVE_SECONDS = 5.0
"""Buffers are saved this often when changed, so a crash or a kill loses little."""

EDITOR_HEIGHT_RANGE = (5, 60)
"""Editor pane height limits in rows when resized with alt+up/down."""

SIDEBAR_WIDTH_RANGE = (24, 100)
"""Sidebar width limits in columns when resized with alt+left/right."""


def sql_to_run(editor: HogQLEditor, *, whole_buffer: bool = False) -> tuple[str, int] | None:
    """(sql, character offset in the buffer): the selection, the statement at the cursor, or all."""
    from workbench.hogql.split import statement_at

    text = editor.text
    if whole_buffer:
        stripped = text.strip()
        return (stripped, text.index(stripped)) if stripped else None
    selection = editor.selection
    if selection.start != selection.end:
        start = min(selection.start, selection.end)
        start_index = editor.index_of(start)
        selected = editor.selected_text
        stripped = selected.strip()
        if stripped:
            return stripped, start_index + selected.index(stripped)
    cursor = editor.index_of(editor.cursor_location)
    statement = statement_at(text, cursor)
    return None if statement is None else (statement.text, statement.start)


def expand_path(path: str) -> Path:
    """``~`` expanded."""
    return Path(path).expanduser()


def read_sql_file(path: Path) -> str:
    """A .sql file's text (small files: read on the event loop without harm)."""
    return path.read_text(encoding="utf-8")


class MainScreen(RunsScreen):
    """Composes the layout and handles editor, file and layout actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(main_bindings())

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self._layout_index = 0
        self._saved_snapshot: SavedBuffers | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="work"):
                with Vertical(id="editor-pane"):
                    yield EditorTabs(self.context.load_buffers(), id="editors")
                    with Horizontal(id="editor-bar"):
                        yield Button("▶ Run  F5", id="run-button", variant="primary")
                        yield Button("Run all  F6", id="run-all-button")
                        yield Button("Format  F4", id="format-button")
                yield PaneSplitter("#editor-pane", id="splitter")
                yield ResultsPane(id="results")
            yield RunsSidebar(id="sidebar")
        yield StatusBar(self.context.host_label, self.context.project_label, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.editor_tabs.current_editor.focus()
        self.start_ticking()
        self.set_interval(AUTOSAVE_SECONDS, self._autosave)
        # Connect after the first frame: importing the client and httpx is not free.
        self.call_after_refresh(self._connect)

    def _connect(self) -> None:
        self.run_worker(
            workers.connect(self.context.session, self.post_message),
            group="connect",
            exit_on_error=False,
        )

    def action_switch_connection(self) -> None:
        """Pick a profile and project (ConnectionPicker), then connect to it."""
        if self.context.session_for is None:
            self.notify("Switching connections is not available here.", markup=False)
            return
        from workbench.app.screens.connection_picker import ConnectionPicker

        self.app.push_screen(ConnectionPicker(), self._connection_chosen)

    def _connection_chosen(self, choice: ConnectionChoice | None) -> None:
        if choice is not None:
            self.switch_connection(choice.settings, choice.host_label, choice.project_label)

    def switch_connection(
        self, settings: ConnectionSettings, host_label: str, project_label: str
    ) -> None:
        """New runs go to ``settings``; runs already going finish on their old connection."""
        self.context.switch_session(settings)
        status = self.status_bar
        status.host, status.project, status.project_name = host_label, project_label, None
        status.set_budget("")
        status.set_connection_state("connecting…")
        self._connect()

    def on_client_connected(self, message: ClientConnected) -> None:
        self.status_bar.set_connection_state("● connected", message.project_name)
        self.status_bar.set_budget(self.context.budget_text())

    def on_client_failed(self, message: ClientFailed) -> None:
        self.status_bar.set_connection_state("✗ not connected")
        self.notify(
            describe_error(message.error), title="Connection", severity="error", markup=False
        )

    # -- running ------------------------------------------------------------------------

    def _run_from_editor(self, *, whole_buffer: bool) -> None:
        editor = self.editor_tabs.current_editor
        editor.clear_error_span()
        picked = sql_to_run(editor, whole_buffer=whole_buffer)
        if picked is None:
            self.notify(
                "Nothing to run: the buffer has no statement.", severity="warning", markup=False
            )
            return
        sql, offset = picked
        self.submit(sql, editor_id=editor.id or "", sql_offset=offset)

    def action_run(self) -> None:
        self._run_from_editor(whole_buffer=False)

    def action_run_all(self) -> None:
        self._run_from_editor(whole_buffer=True)

    @on(Button.Pressed, "#run-button")
    def _run_pressed(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#run-all-button")
    def _run_all_pressed(self) -> None:
        self.action_run_all()

    @on(Button.Pressed, "#format-button")
    def _format_pressed(self) -> None:
        self.action_format()

    def action_format(self) -> None:
        """Format the selection, or the whole buffer, as one undoable edit.

        sqlparse takes ~1 s for 2,000 lines, so it runs in a thread; the edit is applied
        only if the text did not change meanwhile.
        """
        editor = self.editor_tabs.current_editor
        selection = editor.selection
        if selection.start != selection.end:
            start, end = sorted((selection.start, selection.end))
        else:
            start, end = (0, 0), editor.document.end
        text = editor.get_text_range(start, end)
        self.run_worker(
            self._format_range(editor, text, start, end),
            group="format",
            exclusive=True,
            exit_on_error=False,
        )

    async def _format_range(
        self, editor: HogQLEditor, text: str, start: Location, end: Location
    ) -> None:
        from workbench.hogql.format import format_hogql_checked

        result = await asyncio.to_thread(format_hogql_checked, text)
        if editor.get_text_range(start, end) != text:
            self.notify("The text changed while formatting; press F4 again.", markup=False)
        elif result.error is not None:
            self.notify(f"Not formatted: {result.error}", severity="warning", markup=False)
        elif result.changed:
            editor.replace(result.sql, start, end)

    # -- tabs and files -----------------------------------------------------------------

    async def action_new_tab(self) -> None:
        count = len(self.editor_tabs.editors) + 1
        await self.editor_tabs.add_buffer(SavedBuffer(title=f"query {count}", text=NEW_TAB_TEXT))

    async def action_close_tab(self) -> None:
        if not await self.editor_tabs.close_current():
            self.notify("The last tab stays open.", markup=False)

    def action_open_file(self) -> None:
        from workbench.app.screens.path_prompt import PathPrompt

        self.app.push_screen(PathPrompt("Open a .sql file:"), self._open_path)

    async def _open_path(self, path: str | None) -> None:
        if not path:
            return
        target = expand_path(path)
        try:
            text = read_sql_file(target)
        except (OSError, UnicodeDecodeError) as exc:
            self.notify(
                f"Could not open {path}: {exc.__class__.__name__}", severity="error", markup=False
            )
            return
        editor = await self.editor_tabs.add_buffer(
            SavedBuffer(title=target.name, text=text, path=str(target))
        )
        self.editor_tabs.set_path(editor.id or "", str(target))

    def action_save_file(self) -> None:
        from workbench.app.screens.path_prompt import PathPrompt

        editor = self.editor_tabs.current_editor
        current = self.editor_tabs.path_of(editor.id or "") or ""
        self.app.push_screen(PathPrompt("Save this tab as:", current), self._save_path)

    def _save_path(self, path: str | None) -> None:
        if not path:
            return
        editor = self.editor_tabs.current_editor
        target = Path(path).expanduser()
        try:
            target.write_text(editor.text, encoding="utf-8")
        except OSError as exc:
            self.notify(
                f"Could not save {path}: {exc.__class__.__name__}", severity="error", markup=False
            )
            return
        self.editor_tabs.set_path(editor.id or "", str(target))
        self.notify(f"Saved {target.name}", markup=False)

    def save_buffers(self) -> None:
        """Persist every tab (on quit, and every few seconds when something changed)."""
        store = self.context.buffer_store
        if store is not None:
            snapshot = self.editor_tabs.snapshot()
            store.save(snapshot)
            self._saved_snapshot = snapshot

    def _autosave(self) -> None:
        if self.context.buffer_store is None:
            return
        if self.editor_tabs.snapshot() != self._saved_snapshot:
            try:
                self.save_buffers()
            except OSError as exc:
                self.notify(f"Could not save the buffers: {exc}", severity="error", markup=False)

    # -- layout and focus ---------------------------------------------------------------

    def action_toggle_sidebar(self) -> None:
        sidebar = self.sidebar
        sidebar.display = not sidebar.display

    def action_cycle_layout(self) -> None:
        self._layout_index = (self._layout_index + 1) % len(LAYOUTS)
        layout = LAYOUTS[self._layout_index]
        self.query_one("#editor-pane").display = layout != "results-only"
        self.results.display = layout != "editor-only"
        self.query_one("#splitter").display = layout == "split"

    def action_resize_editor(self, delta: int) -> None:
        pane = self.query_one("#editor-pane")
        current = pane.outer_size.height or 16
        low, high = EDITOR_HEIGHT_RANGE
        pane.styles.height = max(low, min(high, current + delta))

    def action_resize_sidebar(self, delta: int) -> None:
        sidebar = self.sidebar
        low, high = SIDEBAR_WIDTH_RANGE
        current = sidebar.outer_size.width or 38
        sidebar.styles.width = max(low, min(high, current + delta))

    def action_focus_editor(self) -> None:
        self.editor_tabs.current_editor.focus()

    def action_focus_results(self) -> None:
        grid = self.results.grid
        if grid is not None:
            grid.focus()

    def action_focus_sidebar(self) -> None:
        self.sidebar.list_view.focus()

    def action_filter(self) -> None:
        self.results.open_filter()

    def action_close_filter(self) -> None:
        self.results.close_filter()

    # -- results: detail and copy ---------------------------------------------------------

    def on_copy_requested(self, message: CopyRequested) -> None:
        self.app.copy_to_clipboard(message.text)
        self.notify(f"Copied the {message.what} (OSC 52)", markup=False)

    def on_data_table_cell_selected(self, message: CellSelectedLike) -> None:
        from workbench.app.screens.cell_detail import CellDetailScreen
        from workbench.app.widgets.grid import cell_text

        column_index = message.coordinate.column
        columns = self.results.columns
        name = columns[column_index] if column_index < len(columns) else "value"
        self.app.push_screen(CellDetailScreen(name, cell_text(message.value)))

    def action_help(self) -> None:
        from workbench.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
