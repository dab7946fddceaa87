"""Running queries over a scripted client: keys, several at once, view rule, cancel, errors."""

from __future__ import annotations

import asyncio

from fakes import FakeClient, Script, make_app, make_result

from workbench.app.widgets.results import ResultsPane
from workbench.app.widgets.sidebar import RunEntry
from workbench.client import HogQLError, NetworkError, QueryProgress, RateLimited
from workbench.runs import RunState

TWO_STATEMENTS = "select 1;\nselect 2;\n"


def shown_text(app: object) -> str:
    from textual.widgets import Static

    pane = app.main_screen.query_one(ResultsPane)  # type: ignore[attr-defined]
    return str(pane.query_one("#results-message", Static).render())


async def settle(app: object, pilot: object) -> None:
    await app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_each_run_key_runs_the_statement_under_the_cursor() -> None:
    client = FakeClient()
    app = make_app(client, text=TWO_STATEMENTS)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        editor.cursor_location = (1, 3)
        await pilot.press("f5")
        await pilot.press("ctrl+j")
        editor.cursor_location = (0, 2)
        assert await pilot.click("#run-button")
        await settle(app, pilot)
        assert [sql for _, sql in client.submitted] == ["select 2", "select 2", "select 1"]
        # The typed newline of ctrl+j must not reach the buffer.
        assert editor.text == TWO_STATEMENTS


async def test_a_selection_runs_instead_of_the_statement_and_f6_runs_everything() -> None:
    client = FakeClient()
    app = make_app(client, text=TWO_STATEMENTS)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        editor.select_line(1)
        await pilot.press("f5")
        await pilot.press("f6")
        await settle(app, pilot)
        assert [sql for _, sql in client.submitted] == ["select 2;", TWO_STATEMENTS.strip()]
        run = app.context.registry.get("q1")
        assert run.sql_offset == len("select 1;\n")


async def test_three_at_once_newest_shows_and_a_late_one_does_not_steal_the_view() -> None:
    gates = {sql: asyncio.Event() for sql in ("select 'a'", "select 'b'", "select 'c'")}
    scripts = {
        sql: Script(result=make_result(["v"], ["String"], [[sql[-2]]] * (i + 1)), gate=gate)
        for i, (sql, gate) in enumerate(gates.items())
    }
    client = FakeClient(scripts)
    app = make_app(client, text="select 'a';\nselect 'b';\nselect 'c';\n")
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        for row in range(3):
            editor.cursor_location = (row, 1)
            await pilot.press("f5")
        await pilot.pause()
        registry = app.context.registry
        assert [run.state for run in registry] == [RunState.RUNNING] * 3
        results = app.main_screen.query_one(ResultsPane)
        assert results.shown_run_id == "q3"
        assert len(app.main_screen.query(RunEntry)) == 3
        done_entry = app.main_screen.query_one("#run-q3", RunEntry)

        gates["select 'c'"].set()  # the newest finishes: its rows show
        await pilot.pause()
        await pilot.pause()
        assert results.grid is not None and results.grid.row_count == 3
        assert str(done_entry.query_one(".run-progress").render()) == "3 rows"

        gates["select 'a'"].set()  # an older one finishes later: the view stays on q3
        await pilot.pause()
        await pilot.pause()
        assert registry.get("q1").state is RunState.DONE
        assert results.shown_run_id == "q3"
        assert results.grid is not None and results.grid.row_count == 3

        assert await pilot.click("#run-q1")  # selecting an entry shows its result
        await pilot.pause()
        assert results.shown_run_id == "q1"
        assert results.grid is not None and results.grid.row_count == 1

        assert await pilot.click("#run-q2")  # still running: says so
        await pilot.pause()
        assert results.shown_run_id == "q2"
        assert "Running" in shown_text(app)
        gates["select 'b'"].set()
        await settle(app, pilot)


async def test_cancel_button_cancels_on_the_server_and_keeps_the_entry() -> None:
    gate = asyncio.Event()
    progress = [QueryProgress(500, 4096, 1000, 0.5, 0.1)]
    client = FakeClient({"select sleep": Script(progress=progress, gate=gate)})
    app = make_app(client, text="select sleep")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        run = app.context.registry.get("q1")
        assert run.progress_fraction == 0.5
        entry = app.main_screen.query_one("#run-q1", RunEntry)
        assert "500 / 1,000 rows · 4.1 KB · 50%" in str(entry.query_one(".run-progress").render())
        assert await pilot.click("#cancel-q1")
        await settle(app, pilot)
        assert run.state is RunState.CANCELLED
        assert client.cancelled == ["q1"]
        assert "cancelled" in str(entry.query_one(".run-state").render())
        assert "Cancelled" in shown_text(app)
        # Finished entries stay until cleared.
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert len(app.context.registry) == 0
        assert not app.main_screen.query(RunEntry)


async def test_f8_cancels_the_shown_running_query() -> None:
    client = FakeClient({"select sleep": Script(gate=asyncio.Event())})
    app = make_app(client, text="select sleep")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("f9")
        await settle(app, pilot)
        assert app.context.registry.get("q1").state is RunState.CANCELLED
        assert client.cancelled == ["q1"]


async def test_a_hogql_error_shows_its_message_and_underlines_the_span() -> None:
    sql = "select nosuchfunction(1) from events"
    error = HogQLError("Unsupported function call 'nosuchfunction(...)'", start=7, end=24)
    client = FakeClient({sql: Script(error=error)})
    app = make_app(client, text=f"select 1;\n\n{sql};\n")
    async with app.run_test(size=(120, 40)) as pilot:
        editor = app.main_screen.editor_tabs.current_editor
        editor.cursor_location = (2, 0)
        await pilot.press("f5")
        await settle(app, pilot)
        assert "HogQL error at line 1, column 8: Unsupported function call" in shown_text(app)
        entry = app.main_screen.query_one("#run-q1", RunEntry)
        assert str(entry.query_one(".run-progress").render()) == "HogQL error"
        start, end = editor.error_span or (0, 0)
        assert editor.text[start:end] == "nosuchfunction(1)"
        spans = editor._highlights[2]
        assert (7, 24, "hogql.error") in spans
        await pilot.press("x")  # editing makes the positions stale: the underline goes
        assert editor.error_span is None


async def test_a_rate_limit_shows_when_to_retry_and_the_budget() -> None:
    from workbench.client import RateBudget

    client = FakeClient({"select 1": Script(error=RateLimited("Rate limit hit", retry_after=42))})
    client.budget = RateBudget()  # type: ignore[assignment]
    app = make_app(client, text="select 1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        text = shown_text(app)
        assert "Retry in 42.0 s" in text
        assert "budget 120/120 queries/h" in text


async def test_a_network_error_says_what_failed() -> None:
    error = NetworkError("Could not connect to 127.0.0.1:9", kind="refused")
    client = FakeClient({"select 1": Script(error=error)})
    app = make_app(client, text="select 1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        assert "Network error (refused): Could not connect to 127.0.0.1:9" in shown_text(app)
        assert app.main_screen.status_bar.connection_state == "✗ refused"
        assert app.context.registry.get("q1").state is RunState.FAILED


async def test_an_unexpected_exception_fails_the_run_not_the_app() -> None:
    client = FakeClient({"select 1": Script(error=KeyError("results"))})
    app = make_app(client, text="select 1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        assert "Unexpected KeyError" in shown_text(app)
        assert app.is_running


async def test_the_status_bar_warns_when_the_budget_runs_low() -> None:
    from workbench.client import RateBudget

    client = FakeClient()
    client.budget = RateBudget(warn_before=119)  # type: ignore[assignment]
    app = make_app(client, text="select 1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.main_screen.status_bar.budget_text == "budget 120/120 queries/h"
        client.budget.record("hogql")  # what the real client does per query
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.main_screen.status_bar.budget_text == "budget 119/120 queries/h ⚠ low"


async def test_switching_connection_sends_new_runs_to_the_new_client() -> None:
    from workbench.app.workers import ClientSession
    from workbench.connection import ConnectionSettings

    old = FakeClient({"select sleep": Script(gate=asyncio.Event())})
    new = FakeClient()
    app = make_app(old, text="select sleep")
    app.context.session_for = lambda settings: ClientSession(lambda: new)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        settings = ConnectionSettings("https://eu.posthog.com", "42", "phx_" + "k" * 40)
        app.main_screen.switch_connection(settings, "https://eu.posthog.com", "42")
        await pilot.pause()
        status = str(app.main_screen.status_bar.render())
        assert "https://eu.posthog.com" in status and "project 42" in status
        assert "phx_" not in status
        app.main_screen.editor_tabs.current_editor.text = "select 1"
        await pilot.press("f5")
        await pilot.pause()
        assert [sql for _, sql in new.submitted] == ["select 1"]
        await pilot.click("#cancel-q1")  # the old run is cancelled on its own connection
        await settle(app, pilot)
        assert old.cancelled == ["q1"] and new.cancelled == []
        await pilot.press("ctrl+q")
    assert old.closed and new.closed
