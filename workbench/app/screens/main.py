"""The workbench screen: editor tabs over results, the queries sidebar, status and footer."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer

from workbench.app import workers
from workbench.app.context import WorkbenchContext
from workbench.app.describe import describe_error
from workbench.app.keys import main_bindings
from workbench.app.messages import ClientConnected, ClientFailed
from workbench.app.screens.editor_screen import EditorScreen
from workbench.app.widgets.editor_tabs import EditorTabs
from workbench.app.widgets.grid_messages import CellSelectedLike, CopyRequested
from workbench.app.widgets.results import ResultsPane
from workbench.app.widgets.sidebar import RunsSidebar
from workbench.app.widgets.splitter import PaneSplitter, SideSplitter
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
"""Sidebar width limits in columns when resized with alt+left/right or dragged."""


class MainScreen(EditorScreen):
    """Composes the layout; handles connection, layout, focus and result actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(main_bindings())

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self._layout_index = 0

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
            yield SideSplitter("#sidebar", limits=SIDEBAR_WIDTH_RANGE, id="side-splitter")
            yield RunsSidebar(id="sidebar")
        yield StatusBar(self.context.host_label, self.context.project_label, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.editor_tabs.current_editor.focus()
        self.start_ticking()
        self.set_interval(AUTOSAVE_SECONDS, self._autosave)
        # Connect after the first frame: importing the client and httpx is not free.
        self.call_after_refresh(self._connect)
        self.call_after_refresh(self._look_after_history)

    def _look_after_history(self) -> None:
        """Open history; say once if it is degraded; close abandoned runs and prune in a thread."""
        if self.context.history is None and self.context.open_history is not None:
            self.context.open_history()
        store = self.context.history
        if store is None:
            return
        for text in (store.notice, store.degraded_reason):
            if text:
                self.notify(text, title="History", severity="warning", timeout=10, markup=False)

        def upkeep() -> None:
            store.close_abandoned()
            store.prune()

        self.run_worker(upkeep, thread=True, group="history", exit_on_error=False)

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

        self.app.push_screen(
            ConnectionPicker(config_path=self.context.config_path), self._connection_chosen
        )

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

    # -- layout and focus ---------------------------------------------------------------

    def action_toggle_sidebar(self) -> None:
        sidebar = self.sidebar
        sidebar.display = not sidebar.display
        self.query_one("#side-splitter").display = sidebar.display

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

    def action_export(self) -> None:
        """Export the shown result (ExportDialog): to a file, the clipboard, or every row."""
        from workbench.app.export_actions import open_export_dialog

        open_export_dialog(self)

    def action_resume_export(self) -> None:
        """Resume the selected (or shown, or newest) stopped export from its sidecar state."""
        from workbench.app.export_actions import resume_export

        resume_export(self)

    def action_history(self) -> None:
        """Browse history; the choice opens (or re-runs) the SQL in a new tab."""
        from workbench.app.history_actions import apply_history_choice, history_browser_for

        browser = history_browser_for(self.context)
        if browser is None:
            self.notify("Query history is off in this session.", markup=False)
        else:
            self.app.push_screen(browser, partial(apply_history_choice, self))

    def action_help(self) -> None:
        from workbench.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
