"""The shell: help, palette, tabs, buffers surviving a restart, layout toggles, highlighting."""

from __future__ import annotations

from pathlib import Path

from fakes import FakeClient, Script, make_app, make_result

from workbench.app.buffers import BufferStore, SavedBuffer, SavedBuffers
from workbench.app.screens.help import HelpScreen
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.widgets.status_bar import StatusBar


async def test_f1_shows_the_keys_and_escape_closes_it() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        assert "f5 / ctrl+j / ctrl+enter" in text
        assert "Cancel the selected" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_palette_lists_the_workbench_actions() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Run", "Run all", "Cancel", "Format", "New tab"} <= set(titles)


async def test_status_bar_shows_host_and_project_but_never_a_key() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        status = str(app.main_screen.query_one(StatusBar).render())
        assert "http://127.0.0.1:8000" in status
        assert "project 1" in status
        assert "connected" in status
        assert "phx_" not in app.export_screenshot()


async def test_new_and_closed_tabs_and_the_last_tab_stays() -> None:
    app = make_app(FakeClient(), text="select 1")
    async with app.run_test(size=(120, 40)) as pilot:
        tabs = app.main_screen.editor_tabs
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert len(tabs.editors) == 2
        assert tabs.current_editor.has_focus
        await pilot.press("ctrl+w")
        await pilot.pause()
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert len(tabs.editors) == 1
        assert tabs.current_editor.text == "select 1"


async def test_buffers_survive_a_restart(tmp_path: Path) -> None:
    store = BufferStore(tmp_path)
    app = make_app(FakeClient(), text="select 1")
    app.context.buffer_store = store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("end", *" -- two")
        await pilot.press("ctrl+q")
    saved = store.load()
    assert saved is not None
    assert saved.buffers[0].text == "select 1"
    assert saved.buffers[1].text.rstrip("\n").endswith(" -- two")
    assert saved.active == 1

    again = make_app(FakeClient())
    again.context.initial_buffers = None
    again.context.buffer_store = store
    async with again.run_test(size=(120, 40)) as pilot:
        tabs = again.main_screen.editor_tabs
        assert [e.text for e in tabs.editors] == [b.text for b in saved.buffers]
        assert tabs.current_editor is tabs.editors[1]


def test_a_corrupt_buffers_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "buffers.json").write_text("{not json", encoding="utf-8")
    assert BufferStore(tmp_path).load() is None
    BufferStore(tmp_path).save(SavedBuffers([SavedBuffer("t", "select 1")]))
    loaded = BufferStore(tmp_path).load()
    assert loaded is not None and loaded.buffers[0].text == "select 1"
    assert [p.name for p in tmp_path.iterdir()] == ["buffers.json"]  # no temp files left


async def test_sidebar_and_panes_can_be_hidden() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await pilot.press("ctrl+b")
        assert not screen.sidebar.display
        await pilot.press("ctrl+b")
        assert screen.sidebar.display
        await pilot.press("f7")
        assert not screen.results.display
        await pilot.press("f7")
        assert screen.results.display and not screen.query_one("#editor-pane").display
        await pilot.press("f7")
        assert screen.results.display and screen.query_one("#editor-pane").display


async def test_keywords_strings_and_comments_are_highlighted() -> None:
    app = make_app(FakeClient(), text="select 'a' -- note\nfrom events")
    async with app.run_test(size=(120, 40)):
        editor = app.main_screen.query_one(HogQLEditor)
        styles = {name for _, _, name in editor._highlights[0]}
        assert {"keyword", "string", "comment"} <= styles
        assert (0, 4, "keyword") in editor._highlights[1]


async def test_only_lines_near_the_viewport_are_highlighted_in_a_long_buffer() -> None:
    text = "select 1;\n" * 2000
    app = make_app(FakeClient(), text=text)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.query_one(HogQLEditor)
        assert editor._highlights[0]
        assert not editor._highlights.get(1500)
        editor.cursor_location = (1500, 0)
        editor.scroll_cursor_visible()
        await pilot.pause()
        assert editor._highlights.get(1500)


async def test_changed_buffers_are_autosaved_without_quitting(tmp_path: Path) -> None:
    store = BufferStore(tmp_path)
    app = make_app(FakeClient(), text="select 1")
    app.context.buffer_store = store
    async with app.run_test(size=(120, 40)) as pilot:
        app.main_screen._autosave()
        first = store.load()
        assert first is not None and first.buffers[0].text == "select 1"
        await pilot.press("end", "2")
        app.main_screen._autosave()
        second = store.load()
        assert second is not None and second.buffers[0].text == "select 12"


async def test_dragging_the_splitter_resizes_the_editor() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.main_screen.query_one("#editor-pane")
        splitter = app.main_screen.query_one("#splitter")
        await pilot.pause()
        before = pane.region.height
        x, y = splitter.region.x + 5, splitter.region.y
        assert await pilot.mouse_down("#splitter")
        await pilot.hover(offset=(x, y + 8))
        await pilot.mouse_up(offset=(x, y + 8))
        await pilot.pause()
        assert pane.region.height == before + 8


async def test_dragging_the_side_splitter_resizes_the_sidebar_within_limits() -> None:
    from workbench.app.screens.main import SIDEBAR_WIDTH_RANGE

    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.main_screen.query_one("#sidebar")
        splitter = app.main_screen.query_one("#side-splitter")
        await pilot.pause()
        before = sidebar.region.width
        x, y = splitter.region.x, splitter.region.y + 10
        assert await pilot.mouse_down("#side-splitter")
        await pilot.hover(offset=(x - 10, y))
        await pilot.mouse_up(offset=(x - 10, y))
        await pilot.pause()
        assert sidebar.region.width == before + 10
        # Dragged far left, it stops at the widest the layout allows.
        assert await pilot.mouse_down("#side-splitter")
        await pilot.hover(offset=(1, y))
        await pilot.mouse_up(offset=(1, y))
        await pilot.pause()
        assert sidebar.region.width == SIDEBAR_WIDTH_RANGE[1]
        # Hiding the sidebar hides its bar too.
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not sidebar.display and not splitter.display


async def test_a_window_that_starts_inside_a_block_comment_is_still_a_comment() -> None:
    text = "/* a long comment\n" + "still comment\n" * 300 + "*/\n" + "select 1;\n" * 300
    app = make_app(FakeClient(), text=text)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.query_one(HogQLEditor)
        editor.cursor_location = (150, 0)
        editor.scroll_cursor_visible(center=True)
        await pilot.pause()
        first, _ = editor._highlight_window
        assert first > 0
        assert [name for _, _, name in editor._highlights[first]] == ["comment"]
        await pilot.press("x")  # typing inside the window keeps it right
        first, _ = editor._highlight_window
        assert [name for _, _, name in editor._highlights[first]] == ["comment"]
        assert [name for _, _, name in editor._highlights[150]] == ["comment"]
        # Deleting the opener above the window turns the rows back into code.
        editor.replace("", (0, 0), (0, 2))
        await pilot.pause()
        assert "comment" not in [name for _, _, name in editor._highlights[150]]


async def test_alt_arrows_resize_the_sidebar_and_the_editor() -> None:
    app = make_app(FakeClient())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await pilot.pause()
        width = screen.sidebar.outer_size.width
        height = screen.query_one("#editor-pane").outer_size.height
        await pilot.press("alt+left")
        await pilot.press("alt+down")
        await pilot.pause()
        assert screen.sidebar.outer_size.width == width + 4
        assert screen.query_one("#editor-pane").outer_size.height == height + 3


async def test_undo_removes_a_stale_error_underline() -> None:
    app = make_app(FakeClient(), text="select oops")
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.query_one(HogQLEditor)
        await pilot.press("end", "x")
        editor.set_error_span(7, 11)
        await pilot.press("ctrl+z")
        assert editor.error_span is None


def test_the_demo_reopens_the_examples_beside_saved_buffers(tmp_path: Path) -> None:
    from workbench.app.context import WorkbenchContext
    from workbench.app.demo_queries import DEMO_QUERIES
    from workbench.app.workers import ClientSession

    store = BufferStore(tmp_path)
    store.save(SavedBuffers([SavedBuffer("mine", "select 1")]))
    context = WorkbenchContext("h", "1", ClientSession(FakeClient), buffer_store=store)
    assert [b.title for b in context.load_buffers().buffers] == ["mine"]
    context.show_examples = True
    loaded = context.load_buffers()
    assert [b.text for b in loaded.buffers] == ["select 1", DEMO_QUERIES]
    assert loaded.active == 1


async def test_each_tab_keeps_its_own_result() -> None:
    def answer(value: int) -> Script:
        return Script(result=make_result(["x"], ["UInt8"], [[value]]))

    client = FakeClient({"select 1": answer(1), "select 2": answer(2)})
    app = make_app(client, text="select 1", extra_buffers=["select 2"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        tabs, results = screen.editor_tabs, screen.results
        await pilot.press("f5")  # tab 1 runs select 1 (q1)
        await app.workers.wait_for_complete()
        assert results.shown_run_id == "q1"

        tabs.tabbed.active = "buffer-2"
        await pilot.pause()
        # A tab that has run nothing shows the hint, not tab 1's rows.
        assert results.shown_run_id is None and results.grid is None
        tabs.current_editor.focus()
        await pilot.press("f5")  # tab 2 runs select 2 (q2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results.shown_run_id == "q2"

        tabs.tabbed.active = "buffer-1"
        await pilot.pause()
        assert results.shown_run_id == "q1" and results.grid is not None
        tabs.tabbed.active = "buffer-2"
        await pilot.pause()
        assert results.shown_run_id == "q2"


async def test_a_result_shown_again_keeps_its_filter_and_sort() -> None:
    rows = [[3, "gamma"], [1, "alpha"], [2, "alpine"]]
    client = FakeClient(
        {
            "select 1": Script(result=make_result(["n", "w"], ["UInt8", "String"], rows)),
            "select 2": Script(result=make_result(["x"], ["UInt8"], [[9]])),
        }
    )
    app = make_app(client, text="select 1", extra_buffers=["select 2"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        tabs, results = screen.editor_tabs, screen.results
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        results.apply_filter("al")
        assert results.grid is not None
        results.grid.sort_by_column(0, "descending")
        await pilot.pause()
        assert results.view().description == "filtered, sorted by n ↓"

        tabs.tabbed.active = "buffer-2"
        await pilot.pause()
        tabs.current_editor.focus()
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results.view().description == ""  # the other run's own, plain view

        tabs.tabbed.active = "buffer-1"
        await pilot.pause()
        view = results.view()
        assert results.shown_run_id == "q1" and view.description == "filtered, sorted by n ↓"
        assert view.rows == 2 and list(view.row_ids.to_pylist()) == [2, 1]
