"""Editor actions: format (F4) with undo, open and save .sql files, ctrl+enter."""

from __future__ import annotations

from pathlib import Path

from fakes import FakeClient, make_app
from textual.widgets import Input

from workbench.app.screens.path_prompt import PathPrompt


async def type_path(app: object, pilot: object, path: str) -> None:
    """Fill the prompt (typing a long path key by key is slow) and press enter."""
    app.screen.query_one(Input).value = path  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]


async def test_f4_formats_the_buffer_and_ctrl_z_undoes_it() -> None:
    original = "select a,b from events where x=1"
    app = make_app(FakeClient(), text=original)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        assert editor.text == "SELECT a,\n       b\nFROM events\nWHERE x=1"
        await pilot.press("ctrl+z")
        assert editor.text == original


async def test_format_leaves_hogql_property_access_and_placeholders_alone() -> None:
    original = "select properties.$browser, `odd name` from events where {filters}"
    app = make_app(FakeClient(), text=original)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        assert editor.text.startswith("SELECT")
        assert "properties.$browser" in editor.text
        assert "`odd name`" in editor.text and "{filters}" in editor.text


async def test_ctrl_enter_runs_where_the_terminal_reports_it() -> None:
    client = FakeClient()
    app = make_app(client, text="select 42")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+enter")
        await app.workers.wait_for_complete()
        assert [sql for _, sql in client.submitted] == ["select 42"]


async def test_save_then_open_a_sql_file(tmp_path: Path) -> None:
    target = tmp_path / "[b]top_pages.sql"
    app = make_app(FakeClient(), text="select 1 -- saved")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathPrompt)
        await type_path(app, pilot, str(target))
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "select 1 -- saved"
        tabs = app.main_screen.editor_tabs
        assert tabs.tabbed.get_tab("buffer-1").label.plain == "[b]top_pages.sql"

        target.write_text("select 2 -- from disk", encoding="utf-8")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_path(app, pilot, str(target))
        await pilot.pause()
        assert len(tabs.editors) == 2
        assert tabs.current_editor.text == "select 2 -- from disk"


async def test_opening_a_missing_file_says_so() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_path(app, pilot, "/nonexistent/x.sql")
        await pilot.pause()
        assert len(app.main_screen.editor_tabs.editors) == 1
        assert any("Could not open" in str(n.message) for n in app._notifications)
