"""A cell's full value: pretty-printed JSON when it is JSON, the full text otherwise."""

from __future__ import annotations

import json
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.app.literal import escape_control


def pretty_value(text: str) -> str:
    """Indented JSON if ``text`` is a JSON object or array, else ``text`` unchanged."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(stripped), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    return text


class CellDetailScreen(ModalScreen[None]):
    """Shows one value literally; ``c`` copies it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Close"),
        Binding("c", "copy", "Copy"),
    ]

    def __init__(self, column: str, value: str) -> None:
        super().__init__()
        self.column = column
        self.value = value

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="cell-box") as box:
            box.border_title = escape_control(self.column)
            box.border_subtitle = "esc close · c copy"
            yield Static(escape_control(pretty_value(self.value)), markup=False, id="cell-text")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.value)
        self.notify("Copied the value", markup=False)
