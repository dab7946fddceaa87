"""The results area: an info line, a quick filter, and the grid, a message or an error.

``view()`` tells what the grid shows: which result rows, in which order (the filter's row
ids permuted by the grid's sort), so exports take the same rows without redoing either.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from workbench.app.literal import escape_control

if TYPE_CHECKING:
    from workbench.app.widgets.grid import ResultsGrid

FILTER_DEBOUNCE_SECONDS = 0.15
"""Quiet time after the last key in the filter before rows are filtered."""

VIEWS_REMEMBERED = 64
"""Runs whose filter and sort are kept for when they are shown again (tab switch, click)."""

PLACEHOLDER_TEXT = "Put the cursor in a query and press F5 (or ctrl+j) to run it. F1: all keys."
"""What the results area says before the first run."""


@dataclass(frozen=True)
class GridViewInfo:
    """The rows the grid shows. ``row_ids``: the result's row index of each shown row, in
    shown order, or None when it shows every row in the result's order; ``rows`` is their
    number; ``description`` says what changed (``filtered, sorted by n ↓``) or is empty."""

    row_ids: Any
    rows: int
    description: str


class ResultsPane(Vertical):
    """Shows one run: rows in a grid, or a message, or an error. Never parses markup."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._table: Any = None
        self._columns: list[str] = []
        self._types: list[str] = []
        self._info = ""
        self._grid: ResultsGrid | None = None
        self._filter_timer: Timer | None = None
        self.shown_run_id: str | None = None
        """The run whose result or message is on screen."""
        self._applied_filter = ""
        """The filter text the shown grid is filtered by ("" for none)."""
        self._views: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        """Run id → (filter text, the grid's ``sorted_by``) it was left with."""

    def compose(self) -> ComposeResult:
        yield Static("", id="results-info", markup=False)
        yield Input(placeholder="filter rows (esc to close)", id="results-filter")
        with VerticalScroll(id="results-message-box"):
            yield Static(PLACEHOLDER_TEXT, id="results-message", markup=False)

    def on_mount(self) -> None:
        self._set_info("")

    @property
    def columns(self) -> list[str]:
        """Column names of the shown result."""
        return self._columns

    @property
    def grid(self) -> ResultsGrid | None:
        """The grid, if a result is shown."""
        return self._grid

    def _set_info(self, text: str) -> None:
        self._info = text
        info = self.query_one("#results-info", Static)
        info.update(text)
        info.display = bool(text)

    def _keep_view(self) -> None:
        """Remember the shown result's filter and sort, to restore when it is shown again."""
        run_id, grid = self.shown_run_id, self._grid
        if run_id is None or grid is None:
            return
        needle = self._applied_filter
        self._views.pop(run_id, None)
        if needle or grid.sorted_by is not None:
            self._views[run_id] = (needle, grid.sorted_by)
            while len(self._views) > VIEWS_REMEMBERED:
                self._views.popitem(last=False)

    def show_message(self, run_id: str | None, text: str, *, error: bool = False) -> None:
        """Replace the grid by a message (a running note, cancelled, or an error)."""
        self._keep_view()
        self._applied_filter = ""
        self.shown_run_id = run_id
        self._table = None
        self._remove_grid()
        self._set_info("")
        self.query_one("#results-filter", Input).display = False
        box = self.query_one("#results-message-box")
        box.display = True
        box.set_class(error, "-error")
        self.query_one("#results-message", Static).update(escape_control(text))

    def show_table(
        self, run_id: str, table: Any, columns: list[str], types: list[str], info: str
    ) -> None:
        """Show ``table`` (an Arrow table already literalised) with ``info`` above it, with
        the filter and sort this run was left with, if it was shown before."""
        self._keep_view()
        self._applied_filter = ""
        self.shown_run_id = run_id
        self._table = table
        self._columns = list(columns)
        self._types = list(types)
        needle, sorted_by = self._views.get(run_id, ("", None))
        filter_input = self.query_one("#results-filter", Input)
        with filter_input.prevent(Input.Changed):  # applied below, not again after a debounce
            filter_input.value = needle
        filter_input.display = bool(needle)
        self._mount_grid(table, info)
        if needle:
            self.apply_filter(needle)
        if sorted_by is not None and self._grid is not None:
            self._grid.sort_by_column(*sorted_by)

    def _remove_grid(self) -> None:
        # Removal completes later; the reference goes now so nothing reads the old grid.
        if self._grid is not None:
            self._grid.remove()
            self._grid = None

    def _mount_grid(self, table: Any, info: str, row_ids: Any = None) -> None:
        from workbench.app.widgets.grid import ResultsGrid

        self._remove_grid()
        self.query_one("#results-message-box").display = False
        self._set_info(info)
        self._grid = ResultsGrid(
            table, self._columns, self._types, row_ids=row_ids, classes="results-grid"
        )
        self.mount(self._grid)

    def view(self) -> GridViewInfo:
        """What the grid shows now (every row in order when no grid is shown)."""
        grid = self._grid
        if grid is None or self._table is None:
            rows = self._table.num_rows if self._table is not None else 0
            return GridViewInfo(None, rows, "")
        notes = []
        filtered = grid.row_count != self._table.num_rows
        if filtered:
            notes.append("filtered")
        if grid.sorted_by is not None:
            column, order = grid.sorted_by
            arrow = "↑" if order == "ascending" else "↓"
            notes.append(f"sorted by {escape_control(self._columns[column])} {arrow}")
        row_ids = grid.row_ids if notes else None
        return GridViewInfo(row_ids, grid.row_count, ", ".join(notes))

    def open_filter(self) -> None:
        """Show and focus the quick filter (only when a table is shown)."""
        if self._table is None:
            return
        filter_input = self.query_one("#results-filter", Input)
        filter_input.display = True
        filter_input.focus()

    @on(Input.Changed, "#results-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        # Debounced: filtering 50,000 rows costs tens of ms; typing should not wait on it.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        value = event.value
        self._filter_timer = self.set_timer(
            FILTER_DEBOUNCE_SECONDS, lambda: self.apply_filter(value)
        )

    @on(Input.Submitted, "#results-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        grid = self.grid
        if grid is not None:
            grid.focus()

    def apply_filter(self, needle: str) -> None:
        """Keep rows where any cell contains ``needle`` (case-insensitive); empty shows all."""
        if self._table is None:
            return
        self._applied_filter = needle
        base_info = self._info.split("  ·  filter:")[0]
        # The sort outlives the filter: the new grid is sorted the way the old one was.
        sorted_by = self._grid.sorted_by if self._grid is not None else None
        if not needle:
            self._mount_grid(self._table, base_info)
        else:
            row_ids = filter_indices(self._table, needle)
            filtered = self._table.take(row_ids)
            total = self._table.num_rows
            info = f"{base_info}  ·  filter: {filtered.num_rows:,} of {total:,} rows"
            self._mount_grid(filtered, info, row_ids)
        if sorted_by is not None and self._grid is not None:
            self._grid.sort_by_column(*sorted_by)

    def close_filter(self) -> None:
        """Hide the filter and show every row again."""
        filter_input = self.query_one("#results-filter", Input)
        if filter_input.display:
            filter_input.value = ""
            filter_input.display = False
            self.apply_filter("")


def filter_rows(table: Any, needle: str) -> Any:
    """Rows of the Arrow ``table`` where any column, as text, contains ``needle``."""
    return table.take(filter_indices(table, needle))


def filter_indices(table: Any, needle: str) -> Any:
    """Indices (int64, ascending) of the rows of ``table`` where any column, as text,
    contains ``needle``, case-insensitively."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = None
    for column in table.columns:
        try:
            as_text = pc.cast(column, pa.string())
        except pa.ArrowException:  # e.g. nested types without a text form
            continue
        hits = pc.fill_null(pc.match_substring(as_text, needle, ignore_case=True), False)
        mask = hits if mask is None else pc.or_(mask, hits)
    if mask is None:
        return pa.array([], type=pa.int64())
    return pc.indices_nonzero(mask).cast(pa.int64())
