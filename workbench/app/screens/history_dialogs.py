"""The history browser's two small modals: name an entry, confirm a delete."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

DIALOG_CSS = """
DIALOG { align: center middle; }
DIALOG > Vertical { width: 72; height: auto; border: thick $primary; background: $surface;
                    padding: 1 2; }
DIALOG Horizontal { height: auto; margin-top: 1; }
DIALOG Button { margin-right: 2; }
"""
"""Shared look of both dialogs (each puts its type name for ``DIALOG``)."""


class NameEntryPrompt(ModalScreen[str | None]):
    """Asks for a name; dismisses with the text (blank removes the name) or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.replace("DIALOG", "NameEntryPrompt")

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Name this query (empty removes the name):", markup=False)
            yield Input(value=self.current or "", placeholder="weekly signups", id="name-input")

    @on(Input.Submitted, "#name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDelete(ModalScreen[bool]):
    """``y``/enter on Delete confirms; ``n``/escape keeps the entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Keep"),
        Binding("y", "answer(True)", "Delete"),
    ]
    DEFAULT_CSS = DIALOG_CSS.replace("DIALOG", "ConfirmDelete")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            with Horizontal():
                yield Button("Delete (y)", id="confirm-delete", variant="error")
                yield Button("Keep (n)", id="confirm-keep")

    def on_mount(self) -> None:
        self.query_one("#confirm-keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-delete")

    def action_answer(self, delete: bool) -> None:
        self.dismiss(delete)
