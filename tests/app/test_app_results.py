"""The results grid: literal data, info line, detail view, copy, sort, filter."""

from __future__ import annotations

import pytest
from fakes import FakeClient, Script, make_app, make_result
from textual.coordinate import Coordinate

from workbench.app.screens.cell_detail import CellDetailScreen, pretty_value
from workbench.app.widgets.results import ResultsPane

EVIL = "[bold]x[/] \x1b[31mred\x1b[0m"
ROWS = [
    [3, "[bold]x[/]", '{"plan": "pro", "seats": [1, 2]}'],
    [1, EVIL, "plain"],
    [2, "beta", None],
]


def script() -> Script:
    return Script(
        result=make_result(["n", "label", "props"], ["UInt8", "String", "Nullable(String)"], ROWS)
    )


async def run_and_focus_grid(app: object, pilot: object) -> ResultsPane:
    await pilot.press("f5")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("f3")  # type: ignore[attr-defined]
    return app.main_screen.query_one(ResultsPane)  # type: ignore[attr-defined, no-any-return]


async def test_markup_and_escape_sequences_are_shown_literally() -> None:
    client = FakeClient({"select 1": script()})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        grid = results.grid
        assert grid is not None
        assert grid.get_cell_at(Coordinate(0, 1)) == "[bold]x[/]"
        assert grid.get_cell_at(Coordinate(1, 1)) == "[bold]x[/] \\x1b[31mred\\x1b[0m"
        svg = app.export_screenshot()
        assert "\x1b" not in svg
        assert "[bold]x[/]" in svg.replace("&#160;", " ")
        assert "\\x1b[31mred" in svg.replace("&#160;", " ")


async def test_the_info_line_says_rows_truncation_cache_and_time() -> None:
    result = make_result(["n"], ["UInt8"], [[1]] * 5, truncated=True, is_cached=True, row_limit=5)
    client = FakeClient({"select 1": Script(result=result)})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        info = str(results.query_one("#results-info").render())
        assert (
            info
            == "5 rows  ·  truncated at 5 rows (LIMIT)  ·  cached, computed 3 min ago  ·  123 ms"
        )


async def test_enter_opens_pretty_json_and_c_copies_the_cell() -> None:
    client = FakeClient({"select 1": script()})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        grid = results.grid
        assert grid is not None
        grid.move_cursor(row=0, column=2)
        await pilot.press("c")
        assert app.clipboard == '{"plan": "pro", "seats": [1, 2]}'
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CellDetailScreen)
        shown = str(app.screen.query_one("#cell-text").render())
        assert '"plan": "pro"' in shown and '\n  "seats": [' in shown
        await pilot.press("escape")
        await pilot.press("R")
        assert app.clipboard == '3\t[bold]x[/]\t{"plan": "pro", "seats": [1, 2]}'
        await pilot.press("C")
        assert app.clipboard.splitlines()[0] == '{"plan": "pro", "seats": [1, 2]}'


async def test_s_sorts_by_the_column_and_again_reverses() -> None:
    client = FakeClient({"select 1": script()})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        grid = results.grid
        assert grid is not None
        await pilot.press("s")
        assert [grid.get_cell_at(Coordinate(r, 0)) for r in range(3)] == [1, 2, 3]
        await pilot.press("s")
        assert [grid.get_cell_at(Coordinate(r, 0)) for r in range(3)] == [3, 2, 1]


async def test_the_quick_filter_keeps_matching_rows() -> None:
    client = FakeClient({"select 1": script()})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"BETA")
        await pilot.pause(0.3)
        grid = results.grid
        assert grid is not None and grid.row_count == 1
        assert grid.get_cell_at(Coordinate(0, 1)) == "beta"
        assert "filter: 1 of 3 rows" in str(results.query_one("#results-info").render())
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert results.grid is not None and results.grid.row_count == 3


def test_pretty_value_indents_json_and_leaves_text_alone() -> None:
    assert pretty_value('{"a":1}') == '{\n  "a": 1\n}'
    assert pretty_value("{not json") == "{not json"
    assert pretty_value("hello") == "hello"


async def test_sorting_an_array_column_explains_instead_of_crashing() -> None:
    result = make_result(["tags"], ["Array(String)"], [[["b"]], [["a", "\x1b"]]])
    client = FakeClient({"select 1": Script(result=result)})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.is_running
        assert any("Cannot sort by tags" in str(n.message) for n in app._notifications)
        assert results.grid is not None and results.grid.row_count == 2
        assert "\x1b" not in app.export_screenshot()


async def test_clicking_a_header_sorts_by_that_column() -> None:
    client = FakeClient({"select 1": script()})
    app = make_app(client)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await run_and_focus_grid(app, pilot)
        grid = results.grid
        assert grid is not None
        await pilot.pause()
        # Row labels take the first columns; the "n" header starts after them.
        x = grid.region.width - grid.scrollable_content_region.width
        for offset in range(0, 12):
            if grid.sorted_by is not None:
                break
            assert await pilot.click(grid, offset=(x + offset, 0))
            await pilot.pause()
        assert grid.sorted_by is not None
        column, order = grid.sorted_by
        assert column in (0, 1)  # the first headers (the third holds NULLs)
        values = [grid.get_cell_at(Coordinate(r, column)) for r in range(3)]
        assert values == sorted(values, reverse=order == "descending")


async def test_the_heap_of_a_results_python_rows_is_handed_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Once the grid's Arrow table is built the Python rows go, and so should the heap they
    # held (bench/app_results.py: 201 → 184-187 MB with 50,000 rows on screen).
    import workbench.memory

    calls: list[int] = []
    monkeypatch.setattr(workbench.memory, "release_free_memory", lambda: calls.append(1))
    app = make_app(FakeClient({"select 1": script()}))
    async with app.run_test(size=(120, 40)) as pilot:
        await run_and_focus_grid(app, pilot)
        run = app.context.registry.newest()
        assert run is not None and run.display_table is not None and run.result is not None
        assert run.result.rows == [] and calls == [1]
