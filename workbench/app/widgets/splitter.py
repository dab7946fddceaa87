"""Bars dragged with the mouse to resize panes: editor over results, and the sidebar's width."""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Static

MIN_PANE_ROWS = 4
"""Neither pane is dragged smaller than this many rows."""


class _DragBar(Static):
    """Captures the mouse from press to release and hands each move to ``drag_to``."""

    DEFAULT_CSS = """
    _DragBar {
        background: $surface;
        color: $text-disabled;
        content-align: center middle;
    }
    _DragBar:hover, _DragBar.-dragging {
        background: $primary-darken-2;
        color: $text;
    }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(label, markup=False, id=id)
        self._dragging = False

    def drag_to(self, event: events.MouseMove) -> None:
        """Resize for the pointer at ``event.screen_x``/``screen_y``."""
        raise NotImplementedError

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._dragging = True
        self.add_class("-dragging")
        self.capture_mouse()
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self.drag_to(event)
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.remove_class("-dragging")
            self.release_mouse()
            event.stop()


class PaneSplitter(_DragBar):
    """A one-row bar: drags set ``above``'s height to the pointer row; the pane below takes
    the rest."""

    DEFAULT_CSS = "PaneSplitter { height: 1; }"

    def __init__(self, above: str, *, id: str | None = None) -> None:
        super().__init__("─" * 3 + " ⇕ " + "─" * 3, id=id)
        self.above_selector = above

    def drag_to(self, event: events.MouseMove) -> None:
        above = self.screen.query_one(self.above_selector, Widget)
        parent = self.parent
        assert isinstance(parent, Widget)
        top = above.region.y
        available = parent.region.bottom - top - 1
        above.styles.height = max(
            MIN_PANE_ROWS, min(event.screen_y - top, available - MIN_PANE_ROWS)
        )


class SideSplitter(_DragBar):
    """A one-column bar left of ``side``: drags set its width so its left edge follows the
    pointer, within ``limits`` (columns)."""

    DEFAULT_CSS = "SideSplitter { width: 1; height: 1fr; }"

    def __init__(self, side: str, *, limits: tuple[int, int], id: str | None = None) -> None:
        super().__init__("⇔", id=id)
        self.side_selector = side
        self.limits = limits

    def drag_to(self, event: events.MouseMove) -> None:
        side = self.screen.query_one(self.side_selector, Widget)
        low, high = self.limits
        side.styles.width = max(low, min(high, side.region.right - event.screen_x - 1))
