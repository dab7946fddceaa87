"""Export the grid's view (filter and sort), and the export keys (alt+e; ctrl+e outside text)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from fakes import FakeClient, Script, make_app, make_result
from test_app_export import AT, COLUMNS, TYPES, export_to, fake_app, messages, run_query
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Label, TextArea

from workbench.app.screens.export_dialog import ExportDialog
from workbench.app.workbench_app import WorkbenchApp


async def filter_and_sort(app: WorkbenchApp, pilot: Pilot[Any]) -> None:
    """Filter on "a" (rows n=1 and n=2), then sort by n descending."""
    await pilot.press("f3", "slash", "a")
    await pilot.pause(0.3)
    await pilot.press("enter")  # back to the grid
    grid = app.main_screen.results.grid
    assert grid is not None and grid.row_count == 2
    grid.move_cursor(row=0, column=0)
    await pilot.press("s", "s")
    await pilot.pause()
    grid = app.main_screen.results.grid
    assert grid is not None
    assert [grid.get_cell_at(Coordinate(r, 0)) for r in range(2)] == [2, 1]


async def test_a_file_export_takes_the_filtered_sorted_rows_in_order(tmp_path: Path) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        await filter_and_sort(app, pilot)
        await pilot.press("alt+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        summary = str(dialog.query_one("#export-summary", Label).render())
        assert summary == "2 rows (filtered, sorted by n ↓) × 4 columns"
        note = str(dialog.query_one("#export-all-note", Label).render())
        assert "every row of the query" in note
        await pilot.press("escape")
        destination = tmp_path / "view.csv"
        await export_to(app, pilot, destination)
        with destination.open(newline="") as handle:
            read = list(csv.reader(handle))
        # The raw values (the tab is a tab, not the grid's escape), in the grid's order.
        assert read == [COLUMNS, ["2", "beta", "-1.0", AT], ["1", "tab\there", "2.5", AT]]
        assert any(f"Wrote 2 rows to {destination}" in m for m in messages(app))


async def test_the_sort_survives_a_filter_change_and_the_clipboard_takes_the_view() -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        await pilot.press("f3")
        grid = app.main_screen.results.grid
        assert grid is not None
        grid.move_cursor(row=0, column=0)
        await pilot.press("s")  # ascending: 1, 2, 3
        await pilot.press("slash", "e")  # keeps "tab\there" (n=1) and "beta" (n=2)
        await pilot.pause(0.3)
        grid = app.main_screen.results.grid
        assert grid is not None and grid.sorted_by == (0, "ascending")
        assert [grid.get_cell_at(Coordinate(r, 0)) for r in range(grid.row_count)] == [1, 2]
        view = app.main_screen.results.view()
        assert view.description == "filtered, sorted by n ↑" and view.rows == 2
        await pilot.press("escape")  # closes the filter: every row, still sorted
        await pilot.pause(0.3)
        grid = app.main_screen.results.grid
        assert grid is not None
        assert [grid.get_cell_at(Coordinate(r, 0)) for r in range(3)] == [1, 2, 3]
        await pilot.press("f3", "alt+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-clipboard").value = True  # type: ignore[attr-defined]
        dialog.action_export()
        await pilot.pause()
        assert [line.split("\t")[0] for line in app.clipboard.splitlines()] == [
            "n",
            "1",
            "2",
            "3",
        ]


async def test_an_unchanged_grid_exports_every_row_in_result_order(tmp_path: Path) -> None:
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        view = app.main_screen.results.view()
        assert view.row_ids is None and view.rows == 3 and view.description == ""
        destination = tmp_path / "all.csv"
        await export_to(app, pilot, destination)
        rows = list(csv.reader(destination.open(newline="")))
        assert [row[0] for row in rows] == ["n", "3", "1", "2"]


async def test_a_sort_arrow_cannot_do_leaves_the_view_as_it_was() -> None:
    result = make_result(["tags", "n"], ["Array(String)", "UInt8"], [[["b"], 2], [["a"], 1]])
    app = make_app(FakeClient({"select 1": Script(result=result)}))
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(app, pilot)
        await pilot.press("f3", "s")
        await pilot.pause()
        grid = app.main_screen.results.grid
        assert grid is not None and grid.sorted_by is None
        assert grid.row_ids.to_pylist() == [0, 1]
        assert grid.get_cell_at(Coordinate(0, 1)) == 2


async def test_ctrl_e_is_end_of_line_in_the_editor_and_export_elsewhere() -> None:
    result = make_result(COLUMNS, TYPES, [[1, "a", 1.0, AT]])
    app = make_app(FakeClient({"select 1": Script(result=result)}))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.query_one(TextArea)
        await run_query(app, pilot)
        editor.focus()
        editor.move_cursor((0, 0))
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert editor.cursor_location == (0, len("select 1"))
        editor.move_cursor((0, 0))
        await pilot.press("end")
        assert editor.cursor_location == (0, len("select 1"))
        await pilot.press("alt+e")  # export from the editor
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f3", "ctrl+e")  # export from the grid
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+g", "ctrl+e")  # and from the queries list
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)


def test_export_has_one_key_entry_and_ctrl_e_is_a_fallback_binding() -> None:
    from workbench.app.keys import MAIN_KEYS, main_bindings
    from workbench.app.screens.help import help_text

    assert [key.keys for key in MAIN_KEYS if key.action == "export"] == ["alt+e"]
    bindings = {binding.key: binding for binding in main_bindings()}
    assert bindings["alt+e"].priority and bindings["alt+e"].action == "export"
    assert not bindings["ctrl+e"].priority and bindings["ctrl+e"].action == "export"
    assert "ctrl+e outside the editor" in help_text()
