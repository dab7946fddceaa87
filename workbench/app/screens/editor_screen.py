"""The editor half of the main screen: run from the editor, format, tabs, files, buffers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import on
from textual.document._document import Location
from textual.widgets import Button, TabbedContent

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.demo_queries import NEW_TAB_TEXT
from workbench.app.screens.assist_screen import AssistScreen
from workbench.app.widgets.editor import HogQLEditor
from workbench.runs import QueryRun


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


class EditorScreen(AssistScreen):
    """Base of ``MainScreen``: actions on the editor tabs and their buffers."""

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self._saved_snapshot: SavedBuffers | None = None
        self._shown_in_tab: dict[str, str] = {}
        """Editor id → the run its tab last showed: switching tabs brings that back."""

    def show_run(self, run: QueryRun) -> None:
        """Show ``run`` and remember it as what the current tab shows."""
        super().show_run(run)
        pane = self.editor_tabs.tabbed.active_pane
        editor_id = pane.query_one(HogQLEditor).id if pane is not None else None
        if editor_id:
            self._shown_in_tab[editor_id] = run.client_query_id

    @on(TabbedContent.TabActivated, "#editor-tabbed")
    def _tab_switched(self, event: TabbedContent.TabActivated) -> None:
        """Each tab keeps its own result: show the run this tab showed last, if any."""
        from workbench.app.widgets.results import PLACEHOLDER_TEXT

        editor_id = event.pane.query_one(HogQLEditor).id or ""
        run_id = self._shown_in_tab.get(editor_id)
        run = self.registry.find(run_id) if run_id is not None else None
        if run is not None:
            self.show_run(run)
        elif self.results.shown_run_id is not None:
            self.results.show_message(None, PLACEHOLDER_TEXT)

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
