"""The Export dialog (alt+e, or ctrl+e outside text fields): format, destination, clipboard,
and "export all rows".

The summary names what a file or clipboard export takes: the rows the grid shows, after its
filter and sort. Export all is the whole query; ``all_note`` says so when a filter is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from workbench.export.formats import FORMATS, SUFFIXES, Format, format_for_path

DEFAULT_DESTINATION = "~/result.csv"
"""Where an export goes unless the user says otherwise."""

DEFAULT_KEY = "timestamp"
"""The ordering column export-all pages on unless the user picks another."""


@dataclass(frozen=True)
class ExportChoice:
    """What the dialog asked for: a file (``destination``, ``fmt``) or the clipboard;
    ``export_all`` pages past 50,000 rows on ``key``."""

    destination: Path
    fmt: Format
    clipboard: bool = False
    export_all: bool = False
    key: str = DEFAULT_KEY


def suffix_for(fmt: Format) -> str:
    """The usual file ending of ``fmt``."""
    return f".{fmt}"


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Asks how to export the shown result; dismisses with an ``ExportChoice`` or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    #export-box {
        width: 76; height: auto; max-height: 100%; overflow-y: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    #export-buttons { height: auto; }
    #export-all-note { width: 100%; color: $text-muted; }
    """

    def __init__(
        self, summary: str, destination: str = DEFAULT_DESTINATION, *, all_note: str = ""
    ) -> None:
        super().__init__()
        self.summary = summary
        self.initial_destination = destination
        self.all_note = all_note

    def compose(self) -> ComposeResult:
        initial_format = format_for_path(Path(self.initial_destination))
        with Vertical(id="export-box"):
            yield Label("Export the shown result", id="export-title")
            yield Label(self.summary, markup=False, id="export-summary")
            yield Input(value=self.initial_destination, id="export-path")
            yield Select(
                [(fmt.upper(), fmt) for fmt in FORMATS],
                value=initial_format,
                allow_blank=False,
                id="export-format",
            )
            yield Checkbox("Copy to the clipboard instead (TSV, OSC 52)", id="export-clipboard")
            yield Checkbox("Export all rows (beyond 50,000), paging on:", id="export-all")
            yield Input(value=DEFAULT_KEY, placeholder="key column", id="export-key")
            if self.all_note:
                yield Label(self.all_note, markup=False, id="export-all-note")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    @property
    def path_input(self) -> Input:
        return self.query_one("#export-path", Input)

    @property
    def format_select(self) -> Select[Format]:
        return self.query_one("#export-format", Select)

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """A known file ending picks the format."""
        suffix = Path(event.value.strip()).suffix.lower()
        fmt = SUFFIXES.get(suffix)
        if fmt is not None and self.format_select.value != fmt:
            self.format_select.value = fmt

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """A new format renames a known file ending to match."""
        fmt = event.value
        if fmt not in FORMATS:
            return
        text = self.path_input.value.strip()
        path = Path(text)
        if text and path.suffix.lower() in SUFFIXES and SUFFIXES[path.suffix.lower()] != fmt:
            self.path_input.value = str(path.with_suffix(suffix_for(fmt)))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-ok")
    def _ok(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def choice(self) -> ExportChoice | None:
        """The choice the widgets describe; None (and a notice) when incomplete."""
        clipboard = self.query_one("#export-clipboard", Checkbox).value
        export_all = self.query_one("#export-all", Checkbox).value
        text = self.path_input.value.strip()
        key = self.query_one("#export-key", Input).value.strip()
        value = self.format_select.value
        fmt: Format = value if value in FORMATS else format_for_path(Path(text))
        if not clipboard and not text:
            self.notify("Give a destination file.", severity="warning", markup=False)
            return None
        if export_all and clipboard:
            self.notify(
                "Export all writes a file: untick the clipboard.", severity="warning", markup=False
            )
            return None
        if export_all and not key:
            self.notify("Give the key column to page on.", severity="warning", markup=False)
            return None
        destination = Path(text).expanduser() if text else Path()
        return ExportChoice(destination, fmt, clipboard, export_all, key or DEFAULT_KEY)

    def action_export(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
