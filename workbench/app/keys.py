"""Every key of the main screen in one table: bindings, F1 help and the palette use it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeyAction:
    """``keys`` (comma-separated Textual key names) run ``action``; ``label`` is for the footer."""

    keys: str
    action: str
    label: str
    description: str
    show: bool = True
    priority: bool = True
    """Most keys beat the focused widget: TextArea binds f6, f7 and ctrl+w itself."""
    fallback_keys: str = ""
    """Also bound, never with priority: they act only where the focused widget has no use
    for them (one palette entry and one help line for both)."""


MAIN_KEYS: tuple[KeyAction, ...] = (
    # ctrl+j works in every terminal (it is LF); ctrl+enter only where the terminal reports it.
    KeyAction(
        "f5,ctrl+j,ctrl+enter",
        "run",
        "Run",
        "Run the selection, or the statement under the cursor",
        priority=True,
    ),
    KeyAction("f6", "run_all", "Run all", "Run the whole buffer"),
    KeyAction(
        "f9",
        "cancel_selected",
        "Cancel",
        "Cancel the selected or shown query or export, on the server too",
        priority=True,
    ),
    KeyAction("f8,ctrl+r", "history", "History", "Browse query history and saved queries"),
    KeyAction("f4", "format", "Format", "Format the buffer (or selection) as HogQL"),
    # Export: alt+e works everywhere. ctrl+e is end-of-line in the editor and in inputs (as
    # in readline and emacs), so it is only a fallback key: it exports where no text field
    # takes it (the grid, the queries list).
    KeyAction(
        "alt+e",
        "export",
        "Export",
        "Export the rows shown, or all rows; ctrl+e outside the editor",
        show=False,
        fallback_keys="ctrl+e",
    ),
    KeyAction(
        "alt+r",
        "resume_export",
        "Resume export",
        "Resume the selected stopped export (F9 cancels one)",
        show=False,
    ),
    KeyAction("f1", "help", "Help", "Show the keys"),
    KeyAction("ctrl+t", "new_tab", "New tab", "Open a new editor tab", show=False),
    KeyAction("ctrl+w", "close_tab", "Close tab", "Close the current editor tab", show=False),
    KeyAction("ctrl+o", "open_file", "Open", "Open a .sql file in a new tab", show=False),
    KeyAction("ctrl+s", "save_file", "Save", "Save the current tab to a .sql file", show=False),
    KeyAction(
        "ctrl+l", "clear_finished", "Clear", "Clear finished queries from the sidebar", show=False
    ),
    KeyAction("f10", "switch_connection", "Connection", "Switch profile or project", show=False),
    KeyAction("ctrl+b", "toggle_sidebar", "Sidebar", "Show or hide the queries sidebar"),
    KeyAction(
        "f7",
        "cycle_layout",
        "Layout",
        "Editor and results / editor only / results only",
        show=False,
    ),
    KeyAction(
        "alt+up", "resize_editor(-3)", "Shrink editor", "Make the editor smaller", show=False
    ),
    KeyAction("alt+down", "resize_editor(3)", "Grow editor", "Make the editor larger", show=False),
    KeyAction(
        "alt+left", "resize_sidebar(4)", "Wider sidebar", "Make the sidebar wider", show=False
    ),
    KeyAction(
        "alt+right",
        "resize_sidebar(-4)",
        "Narrower sidebar",
        "Make the sidebar narrower",
        show=False,
    ),
    KeyAction("f2", "focus_editor", "Editor", "Focus the editor", show=False),
    KeyAction("f3", "focus_results", "Results", "Focus the results grid", show=False),
    KeyAction("ctrl+g", "focus_sidebar", "Queries", "Focus the queries list", show=False),
    KeyAction(
        "slash", "filter", "Filter", "Quick filter over the rows (in the results)", show=False
    ),
    KeyAction("escape", "close_filter", "Close filter", "Close the quick filter", show=False),
    KeyAction("ctrl+space", "complete", "Complete", "Open the completion popup", show=False),
    KeyAction(
        "alt+f",
        "quick_fix",
        "Quick fix",
        "Apply the fix for the problem under the cursor",
        show=False,
    ),
    KeyAction("f12", "toggle_schema", "Schema", "Show or hide the schema browser", show=False),
)
"""Screen-level keys; the help screen lists these plus ``GRID_KEYS``."""

GRID_KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "Open the cell in a detail view (pretty JSON)"),
    ("c", "Copy the cell (OSC 52: works over SSH)"),
    ("shift+r", "Copy the row, tab-separated"),
    ("shift+c", "Copy the column, one value per line"),
    ("s / click header", "Sort by the column; again to reverse"),
)
"""Keys of the results grid, for the help screen."""

EDITOR_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+z / ctrl+y", "Undo / redo"),
    ("shift+arrows", "Select text"),
    ("ctrl+q", "Quit (buffers are saved)"),
    ("ctrl+p", "Command palette: every action by name"),
    ("tab / enter", "Accept the completion (while the popup is open)"),
    ("up / down / escape", "Move in / close the completion popup"),
)
"""Editor and app keys, for the help screen."""


def main_bindings() -> list[Binding]:
    """Textual bindings for ``MAIN_KEYS``."""
    bindings = [
        Binding(key.keys, key.action, key.label, show=key.show, priority=key.priority)
        for key in MAIN_KEYS
    ]
    bindings += [
        Binding(key.fallback_keys, key.action, key.label, show=False, priority=False)
        for key in MAIN_KEYS
        if key.fallback_keys
    ]
    return bindings
