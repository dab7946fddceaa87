"""The results grid: textual-fastdatatable over an Arrow table, shown literally.

The grid knows which rows of the result it shows and in which order (``row_ids``): the
backend carries the row numbers through fastdatatable's own sort, so an export of the view
takes exactly these rows without a second implementation of the sort.
Imported only when the first result arrives: pyarrow and fastdatatable are not needed for
the first frame.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual_fastdatatable import ArrowBackend, DataTable

from workbench.app.literal import escape_control
from workbench.app.widgets.grid_messages import CopyRequested

MAX_COLUMN_WIDTH = 48
"""Cells wider than this are cut (the detail view shows all): keeps paging fast."""

NULL_TEXT = "∅"
"""How NULL is shown; distinct from an empty string."""

SortOrder = Literal["ascending", "descending"]

ROW_ID_COLUMN = "__workbench_row_id"
"""A column that exists only during a sort (grid columns are named c0, c1, …)."""


class ViewBackend(ArrowBackend):
    """An ``ArrowBackend`` that tracks, for each shown row, its index in the result.

    ``row_ids[i]`` is the result row shown at position ``i``; it starts as the given ids
    (the filter's) or 0..n-1, and every sort permutes it with the rows.
    """

    def __init__(self, data: Any, column_names: list[str], row_ids: Any = None) -> None:
        import pyarrow as pa

        super().__init__(data, column_names=column_names)
        if row_ids is None:
            row_ids = pa.array(range(data.num_rows), type=pa.int64())
        self.row_ids: Any = row_ids

    def sort(self, by: Any) -> None:
        """Sort as ``ArrowBackend`` does, with the row ids riding along as one more column."""
        before = self.data
        self.data = before.append_column(ROW_ID_COLUMN, self.row_ids)
        try:
            super().sort(by)
            self.row_ids = self.data.column(ROW_ID_COLUMN).combine_chunks()
            self.data = self.data.drop_columns([ROW_ID_COLUMN])
        except BaseException:
            self.data = before
            raise


def column_label(name: str, type_name: str) -> Text:
    """``name: Type`` with the ClickHouse type dimmed, as Text so neither is parsed as markup.

    One line: fastdatatable cuts multi-line labels to their first line.
    """
    label = Text(escape_control(name), style=Style(bold=True))
    label.append(": " + escape_control(type_name), style=Style(dim=True, bold=False))
    return label


class ResultsGrid(DataTable):
    """The grid, plus copy and sort keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_cell", "Copy cell"),
        Binding("R", "copy_row", "Copy row"),
        Binding("C", "copy_column", "Copy column"),
        Binding("s", "sort_column", "Sort"),
    ]

    def __init__(
        self, table: Any, columns: list[str], types: list[str], row_ids: Any = None, **kwargs: Any
    ) -> None:
        """``row_ids``: the result's row index of each row of ``table`` (None: 0..n-1)."""
        names = [f"c{i}" for i in range(len(columns))]
        backend = ViewBackend(table, column_names=names, row_ids=row_ids)
        super().__init__(
            backend=backend,
            column_labels=[column_label(n, t) for n, t in zip(columns, types, strict=False)],
            max_column_content_width=MAX_COLUMN_WIDTH,
            null_rep=NULL_TEXT,
            render_markup=False,
            zebra_stripes=True,
            **kwargs,
        )
        self.view_backend = backend
        self.source_columns = list(columns)
        self.sorted_by: tuple[int, SortOrder] | None = None

    @property
    def row_ids(self) -> Any:
        """The result's row index of each shown row, in shown order (an Arrow int64 array)."""
        return self.view_backend.row_ids

    def sort_by_column(self, column_index: int, order: SortOrder | None = None) -> None:
        """Sort by that column; again on the same column flips the order (unless ``order``)."""
        import pyarrow as pa

        if order is None:
            flip = self.sorted_by == (column_index, "ascending")
            order = "descending" if flip else "ascending"
        try:
            self.sort([(f"c{column_index}", order)])
        except (pa.ArrowException, ValueError, TypeError) as exc:
            # Arrow cannot order some types (arrays, maps): say so rather than crash.
            name = self.source_columns[column_index]
            self.notify(f"Cannot sort by {name}: {exc}", severity="warning", markup=False)
            return
        self.sorted_by = (column_index, order)

    def action_sort_column(self) -> None:
        self.sort_by_column(self.cursor_column)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by_column(event.column_index)

    def action_copy_cell(self) -> None:
        value = self.get_cell_at(self.cursor_coordinate)
        self.post_message(CopyRequested("cell", cell_text(value)))

    def action_copy_row(self) -> None:
        values = self.get_row_at(self.cursor_row)
        self.post_message(CopyRequested("row", "\t".join(cell_text(v) for v in values)))

    def action_copy_column(self) -> None:
        values = self.get_column_at(self.cursor_column)
        self.post_message(CopyRequested("column", "\n".join(cell_text(v) for v in values)))


def cell_text(value: Any) -> str:
    """A cell value as plain text for copying or the detail view (NULL → empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)
