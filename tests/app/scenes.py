"""Deterministic app states over the fake client, shared by snapshot tests."""

from __future__ import annotations

import asyncio

from fakes import FakeClient, FrozenClock, Script, make_app, make_result
from textual.pilot import Pilot

from workbench.app.demo_queries import DEMO_QUERIES
from workbench.app.screens.editor_screen import sql_to_run
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.workbench_app import WorkbenchApp
from workbench.client import HogQLError, QueryProgress

PAGES = ["/", "/pricing", "/blog/hogql", "/docs", "/signup", "/about", "/careers", "/changelog"]

SLOW_QUERIES = (
    "select count() from events as a cross join events as b",
    "select distinct_id, count() from events group by distinct_id",
    "select uniq(person_id) from events where timestamp > now() - interval 90 day",
)


def pageview_result() -> Script:
    rows = [[f"https://example.com{page}", 5000 - 480 * i] for i, page in enumerate(PAGES)]
    return Script(result=make_result(["url", "views"], ["Nullable(String)", "UInt64"], rows))


def statement_sql(app: WorkbenchApp, row: int) -> str:
    editor = app.main_screen.editor_tabs.current_editor
    editor.cursor_location = (row, 0)
    picked = sql_to_run(editor)
    assert picked is not None
    return picked[0]


def no_blink(pilot: Pilot[object]) -> None:
    """Stop the cursor blinking (before any key, so the cursor is always drawn)."""
    for editor in pilot.app.query(HogQLEditor):
        editor.cursor_blink = False


async def quiet(pilot: Pilot[object]) -> None:
    """Wait for workers, stop the cursor blinking, settle."""
    no_blink(pilot)
    await pilot.app.workers.wait_for_complete()
    no_blink(pilot)
    await pilot.pause()


def opened_app() -> tuple[WorkbenchApp, FakeClient]:
    client = FakeClient()
    return make_app(client, text=DEMO_QUERIES), client


async def run_first_statement(pilot: Pilot[object]) -> None:
    app = pilot.app
    assert isinstance(app, WorkbenchApp)
    await pilot.pause()
    no_blink(pilot)
    client = await app.context.session.client()
    assert isinstance(client, FakeClient)
    client.scripts[statement_sql(app, 5)] = pageview_result()
    await pilot.press("f5")
    await quiet(pilot)


def running_app() -> tuple[WorkbenchApp, FakeClient, FrozenClock]:
    clock = FrozenClock()
    gate = asyncio.Event()
    progress = [
        [QueryProgress(12_400_000, 980_000_000, 50_000_000, 3.2, 5.1)],
        [QueryProgress(310_000, 22_000_000, 0, 1.0, 0.9)],
        [QueryProgress(2_000_000, 150_000_000, 2_500_000, 2.0, 1.7)],
    ]
    scripts = {
        sql: Script(progress=p, gate=gate) for sql, p in zip(SLOW_QUERIES, progress, strict=True)
    }
    client = FakeClient(scripts)
    app = make_app(client, text=";\n".join(SLOW_QUERIES) + ";\n", clock=clock)
    return app, client, clock


async def start_three(pilot: Pilot[object], clock: FrozenClock) -> None:
    await pilot.pause()
    no_blink(pilot)
    for row in range(3):
        pilot.app.main_screen.editor_tabs.current_editor.cursor_location = (row, 0)  # type: ignore[attr-defined]
        await pilot.press("f5")
        clock.now += 1.5
    await pilot.pause()
    for editor in pilot.app.query(HogQLEditor):
        editor.cursor_blink = False
    pilot.app.main_screen.refresh_runs()  # type: ignore[attr-defined]
    await pilot.pause()


ERROR_SQL = "select event, nosuchfunction(properties.$browser)\nfrom events\nlimit 10"


def error_app() -> tuple[WorkbenchApp, FakeClient]:
    # Leading comments belong to the statement, so offsets count from "-- a typo".
    sql = f"-- a typo\n{ERROR_SQL}"
    start = sql.index("nosuchfunction")
    end = sql.index("\nfrom")
    error = HogQLError("Unsupported function call 'nosuchfunction(...)'", start=start, end=end)
    client = FakeClient({sql: Script(error=error)})
    return make_app(client, text=f"{sql}\n"), client


async def run_error(pilot: Pilot[object]) -> None:
    await pilot.pause()
    no_blink(pilot)
    pilot.app.main_screen.editor_tabs.current_editor.cursor_location = (2, 0)  # type: ignore[attr-defined]
    await pilot.press("f5")
    await quiet(pilot)
