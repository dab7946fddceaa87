"""Asked before an export-all to a destination that holds resume state: resume or start over."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from workbench.app.literal import escape_control

if TYPE_CHECKING:
    from workbench.export.state import ExportState

KEY_VALUE_CHARACTERS = 40
"""A boundary value longer than this is cut in the offer (it is only a landmark)."""


def resume_offer(state: ExportState, matches: bool, destination: Path) -> str:
    """What the dialog says about the interrupted export it found."""
    name = escape_control(destination.name)
    if not matches:
        return (
            f"{name} has resume state from an interrupted export of another query, key or "
            f"format ({state.rows_written:,} rows). Starting over discards it."
        )
    where = ""
    if state.boundary:
        value = escape_control(repr(state.boundary[0]))[:KEY_VALUE_CHARACTERS]
        where = f" ({state.key} {value})"
    return (
        f"An export of this query to {name} was interrupted after {state.rows_written:,} rows."
        f"\nResume from row {state.rows_written + 1:,}{where}, or start over?"
    )


class ResumeDialog(ModalScreen[str | None]):
    """Dismisses with ``"resume"``, ``"restart"`` or None (escape: nothing happens)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ResumeDialog { align: center middle; }
    #resume-box {
        width: 76; height: auto; max-height: 100%; overflow-y: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    #resume-buttons { height: auto; margin-top: 1; }
    """

    def __init__(self, offer: str, *, can_resume: bool) -> None:
        super().__init__()
        self.offer = offer
        self.can_resume = can_resume

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-box"):
            yield Label("Resume the export?", id="resume-title")
            yield Label(self.offer, markup=False, id="resume-offer")
            with Horizontal(id="resume-buttons"):
                if self.can_resume:
                    yield Button("Resume", variant="primary", id="resume-yes")
                yield Button("Start over", id="resume-restart")
                yield Button("Cancel", id="resume-cancel")

    @on(Button.Pressed, "#resume-yes")
    def _resume(self) -> None:
        self.dismiss("resume")

    @on(Button.Pressed, "#resume-restart")
    def _restart(self) -> None:
        self.dismiss("restart")

    @on(Button.Pressed, "#resume-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
