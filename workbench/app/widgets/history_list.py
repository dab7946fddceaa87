"""The history browser's list: one line per folded entry, newest first.

A row reads ``✓  3 min ago   1.2 s   1,234 rows  ×3 ★ name · select …``. Everything is drawn
from ``rich.text.Text`` pieces, so SQL and names are never read as markup, and control
characters are escaped. A single click highlights a row; a double click selects it (open).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.app.describe import human_age, human_count, human_duration
from workbench.app.literal import escape_control
from workbench.history import EntryState, HistoryEntry

STATE_GLYPHS: dict[EntryState, tuple[str, str]] = {
    "running": ("▶", "bold #5fafff"),
    "done": ("✓", "bold #5fd75f"),
    "failed": ("✗", "bold #ff5f5f"),
    "cancelled": ("■", "bold #d7af5f"),
}
"""Glyph and colour per state, so a column of outcomes reads at a glance."""

SNIPPET_CHARACTERS = 200
"""More SQL than a terminal row shows (cropping costs per character, so no more than that)."""

WHEN_WIDTH = 11
"""``"59 min ago"`` plus a space: the relative-time column stays aligned."""

DURATION_WIDTH = 8
"""``"2m05s"`` / ``"999 ms"`` right-aligned."""

ROWS_WIDTH = 12
"""``"1,234 rows"`` / ``"1.23M rows"`` right-aligned."""

OPTION_CACHE_SIZE = 2_000
"""Rows kept built between searches: successive keystrokes list mostly the same entries, and
a reused ``Option`` keeps its rendered form, so only new rows cost anything."""


def sql_snippet(sql: str) -> str:
    """The SQL on one line, without leading blank and ``--`` comment lines, escaped."""
    lines = sql[: SNIPPET_CHARACTERS * 4].splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    one_line = " ".join(" ".join(lines).split()) or " ".join(sql.split())
    return escape_control(one_line[:SNIPPET_CHARACTERS])


def rows_text(entry: HistoryEntry) -> str:
    """``"1,234 rows"`` (``+`` when truncated: more existed); empty when unknown."""
    if entry.row_count is None:
        return ""
    plus = "+" if entry.truncated else ""
    unit = "row" if entry.row_count == 1 else "rows"
    return f"{human_count(entry.row_count)}{plus} {unit}"


def age_text(entry: HistoryEntry, now: datetime) -> str:
    """``"3 min ago"``: when the entry's newest run started, relative to ``now``."""
    return human_age(max(0.0, (now - entry.started_at).total_seconds()))


def row_text(entry: HistoryEntry, now: datetime) -> Text:
    """The list line for ``entry``; ``now`` makes the relative time deterministic in tests."""
    glyph, glyph_style = STATE_GLYPHS[entry.state]
    duration = "" if entry.duration is None else human_duration(entry.duration)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(glyph, glyph_style)
    line.append(f" {age_text(entry, now):>{WHEN_WIDTH}}", "dim")
    line.append(f"{duration:>{DURATION_WIDTH}}")
    line.append(f"{rows_text(entry):>{ROWS_WIDTH}}  ")
    if entry.run_count > 1:
        line.append(f"×{entry.run_count} ", "bold #5fafff")
    if entry.starred:
        line.append("★ ", "bold #ffd75f")
    if entry.name is not None:
        line.append(escape_control(" ".join(entry.name.split())), "bold")
        line.append(" · ", "dim")
    line.append(sql_snippet(entry.sql))
    return line


def option_id(entry_id: int) -> str:
    """The option id of an entry (its newest run's id as text)."""
    return str(entry_id)


class FilterRequested(Message):
    """Back to the filter input: a letter was typed in the list (``typed``), or up was
    pressed on the first row (``typed`` empty)."""

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed


class HistoryList(OptionList):
    """Folded entries as single lines; ``entries`` mirrors the options, index for index."""

    DEFAULT_CSS = """
    HistoryList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(
        self, *, command_keys: frozenset[str] = frozenset(), id: str | None = None
    ) -> None:
        super().__init__(id=id, markup=False)
        self.entries: list[HistoryEntry] = []
        self.command_keys = command_keys
        """Letters the screen binds (star, name): they act instead of being typed ahead."""
        self._built: dict[tuple[HistoryEntry, str], Option] = {}

    def show_entries(
        self, entries: Sequence[HistoryEntry], now: datetime, *, keep_cursor: bool = False
    ) -> None:
        """Replace the rows; the cursor goes to the top (the newest match), or with
        ``keep_cursor`` stays on the same entry when still listed, else in its place (after a
        delete it rests on the next entry)."""
        previous = self.highlighted_entry if keep_cursor else None
        previous_index = (self.highlighted or 0) if keep_cursor else 0
        self.entries = list(entries)
        self.set_options([self._option_for(entry, now) for entry in self.entries])
        index = min(previous_index, len(self.entries) - 1)
        if previous is not None:
            same = (i for i, e in enumerate(self.entries) if e.id == previous.id)
            index = next(same, index)
        self.highlighted = index if self.entries else None

    def _option_for(self, entry: HistoryEntry, now: datetime) -> Option:
        key = (entry, age_text(entry, now))
        option = self._built.get(key)
        if option is None:
            if len(self._built) >= OPTION_CACHE_SIZE:
                self._built.clear()
            option = self._built[key] = Option(row_text(entry, now), id=option_id(entry.id))
        return option

    @property
    def highlighted_entry(self) -> HistoryEntry | None:
        """The entry under the cursor, if any."""
        index = self.highlighted
        if index is None or index >= len(self.entries):
            return None
        return self.entries[index]

    async def _on_click(self, event: events.Click) -> None:
        # Replaces OptionList's click (which selects at once): one click highlights, a
        # double click selects, so browsing with the mouse never loads a query by accident.
        event.prevent_default()
        index = event.style.meta.get("option")
        if not isinstance(index, int):
            return
        self.focus()
        self.highlighted = index
        if event.chain >= 2:
            self.action_select()

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if event.key in self.command_keys:
            return  # bubbles up to the screen's binding
        if character is not None and character.isprintable() and character != " ":
            event.stop()
            self.post_message(FilterRequested(character))

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.post_message(FilterRequested())
        else:
            super().action_cursor_up()
