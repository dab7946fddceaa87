"""A one-row bar between the editor and the results; drag it with the mouse to resize."""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Static

MIN_PANE_ROWS = 4
"""Neither pane is dragged smaller than this many rows."""


class PaneSplitter(Static):
    """Drags set ``above``'s height to the pointer row; the pane below takes the rest."""

    DEFAULT_CSS = """
    PaneSplitter {
        height: 1;
        background: $surface;
        color: $text-disabled;
        content-align: center middle;
    }
    PaneSplitter:hover, PaneSplitter.-dragging {
        background: $primary-darken-2;
        color: $text;
    }
    """

    def __init__(self, above: str, *, id: str | None = None) -> None:
        super().__init__("─" * 3 + " ⇕ " + "─" * 3, markup=False, id=id)
        self.above_selector = above
        self._dragging = False

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._dragging = True
        self.add_class("-dragging")
        self.capture_mouse()
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        above = self.screen.query_one(self.above_selector, Widget)
        parent = self.parent
        assert isinstance(parent, Widget)
        top = above.region.y
        available = parent.region.bottom - top - 1
        height = max(MIN_PANE_ROWS, min(event.screen_y - top, available - MIN_PANE_ROWS))
        above.styles.height = height
        event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.remove_class("-dragging")
            self.release_mouse()
            event.stop()
