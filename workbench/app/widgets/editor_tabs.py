"""Several editor buffers in tabs; the state they save and restore."""

from __future__ import annotations

from itertools import count

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import TabbedContent, TabPane

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.literal import escape_control
from workbench.app.widgets.editor import HogQLEditor


def literal_title(title: str) -> Content:
    """A tab title shown as typed: file names may hold ``[`` or control characters."""
    return Content(escape_control(title))


class EditorTabs(Vertical):
    """Tabs of ``HogQLEditor``; pane ids are ``buffer-N`` and editor ids ``editor-N``."""

    def __init__(self, saved: SavedBuffers, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = saved
        self._numbers = count(1)
        self._paths: dict[str, str | None] = {}
        self._titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        active = self._initial.active
        panes = [self._make_pane(buffer) for buffer in self._initial.buffers]
        with TabbedContent(id="editor-tabbed", initial=panes[active].id or ""):
            yield from panes

    def on_mount(self) -> None:
        for pane, buffer in zip(self.query(TabPane), self._initial.buffers, strict=False):
            editor = pane.query_one(HogQLEditor)
            editor.cursor_location = (buffer.cursor_row, buffer.cursor_column)

    def _make_pane(self, buffer: SavedBuffer) -> TabPane:
        number = next(self._numbers)
        editor_id = f"editor-{number}"
        self._paths[editor_id] = buffer.path
        self._titles[editor_id] = buffer.title
        title = literal_title(buffer.title)
        return TabPane(title, HogQLEditor(buffer.text, id=editor_id), id=f"buffer-{number}")

    @property
    def tabbed(self) -> TabbedContent:
        return self.query_one("#editor-tabbed", TabbedContent)

    @property
    def current_editor(self) -> HogQLEditor:
        """The editor of the active tab."""
        pane = self.tabbed.active_pane
        assert pane is not None
        return pane.query_one(HogQLEditor)

    @property
    def editors(self) -> list[HogQLEditor]:
        """All editors, in tab order."""
        return list(self.query(HogQLEditor))

    def editor(self, editor_id: str) -> HogQLEditor | None:
        """The editor with that id, if its tab is still open."""
        matches = self.query(f"#{editor_id}")
        for widget in matches:
            if isinstance(widget, HogQLEditor):
                return widget
        return None

    def path_of(self, editor_id: str) -> str | None:
        """The file a buffer was opened from or saved to."""
        return self._paths.get(editor_id)

    async def add_buffer(self, buffer: SavedBuffer) -> HogQLEditor:
        """Open a new tab with ``buffer`` and focus it."""
        pane = self._make_pane(buffer)
        await self.tabbed.add_pane(pane)
        self.tabbed.active = pane.id or ""
        editor = pane.query_one(HogQLEditor)
        editor.focus()
        return editor

    async def close_current(self) -> bool:
        """Close the active tab; the last tab is never closed (returns False)."""
        tabbed = self.tabbed
        pane = tabbed.active_pane
        if pane is None or tabbed.tab_count <= 1:
            return False
        editor_id = pane.query_one(HogQLEditor).id or ""
        self._paths.pop(editor_id, None)
        self._titles.pop(editor_id, None)
        await tabbed.remove_pane(pane.id or "")
        self.current_editor.focus()
        return True

    def set_path(self, editor_id: str, path: str) -> None:
        """Remember the buffer's file and show its name as the tab title."""
        from pathlib import Path

        self._paths[editor_id] = path
        title = Path(path).name
        self._titles[editor_id] = title
        number = editor_id.removeprefix("editor-")
        self.tabbed.get_tab(f"buffer-{number}").label = literal_title(title)

    def snapshot(self) -> SavedBuffers:
        """Every buffer's text, cursor and path, for saving."""
        buffers: list[SavedBuffer] = []
        active_index = 0
        active_pane = self.tabbed.active_pane
        for index, pane in enumerate(self.query(TabPane)):
            editor = pane.query_one(HogQLEditor)
            editor_id = editor.id or ""
            row, column = editor.cursor_location
            buffers.append(
                SavedBuffer(
                    title=self._titles.get(editor_id, "query"),
                    text=editor.text,
                    cursor_row=row,
                    cursor_column=column,
                    path=self._paths.get(editor_id),
                )
            )
            if pane is active_pane:
                active_index = index
        return SavedBuffers(buffers=buffers, active=active_index)
