"""F1: every key, from the same table the bindings come from."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.app.keys import EDITOR_KEYS, GRID_KEYS, MAIN_KEYS


def help_text() -> str:
    """The help as plain text, in sections."""
    width = 26
    lines = ["HogQL Workbench: keys", ""]
    lines.append("Workbench")
    for key in MAIN_KEYS:
        keys = key.keys.replace(",", " / ").replace("slash", "/")
        lines.append(f"  {keys:<{width}} {key.description}")
    lines += ["", "Results grid"]
    lines += [f"  {keys:<{width}} {text}" for keys, text in GRID_KEYS]
    lines += ["", "Editor and app"]
    lines += [f"  {keys:<{width}} {text}" for keys, text in EDITOR_KEYS]
    lines += ["", "Click a query or an export in the sidebar to show it; ✕ cancels it on the"]
    lines += ["server, ↻ resumes a stopped export where it left off."]
    lines += ["Drag the ⇕ bar between editor and results to resize them, the ⇔ bar to widen"]
    lines += ["or narrow the sidebar."]
    lines += ["Press esc or F1 to close."]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_text(), markup=False, id="help-text")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
