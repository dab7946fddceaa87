"""Make screenshots/*.png from the app itself, running on the local demo server.

Each scene drives the real app headless (Textual's Pilot) against ``workbench serve`` on a
throwaway data directory, saves Textual's SVG, swaps the web font "Fira Code" for
"DejaVu Sans Mono" (so cairosvg lays out a monospace grid) and converts it with cairosvg.

Usage: ``.venv/bin/python scripts/screenshots.py [--events N] [--out screenshots]``
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.demo_queries import DEMO_QUERIES
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.workbench_app import WorkbenchApp
from workbench.app.workers import ClientSession, QueryClient
from workbench.connection import ConnectionSettings
from workbench.history import HistoryStore
from workbench.runs import RunState
from workbench.server.launcher import LocalServer, start_local_server

SIZE = (160, 44)
"""Terminal size of every screenshot (columns, rows)."""

SLOW_QUERIES = (
    "select count() from events as a cross join events as b",
    "select a.distinct_id, count() from events as a cross join events as b group by a.distinct_id",
    "select uniq(a.uuid, b.uuid) from events as a cross join events as b",
)
"""Cross joins: long enough on the demo data to show progress, then cancelled."""

ERROR_SQL = "-- a typo in a function name\nselect event, cuont() as n\nfrom events\ngroup by event"
"""A query the server rejects with a HogQL error and its position."""

Scene = Callable[[Pilot[object]], Awaitable[None]]


HISTORY_FILE_NAME = "history.sqlite3"
"""One history for every scene, so the history scene shows the runs of the scenes before it."""


def make_app(server: LocalServer, text: str, history_dir: Path) -> WorkbenchApp:
    settings = ConnectionSettings(
        host=server.base_url, project_id=str(server.project_id), api_key=server.api_key
    )

    def client() -> QueryClient:
        from workbench.client import PostHogClient

        return PostHogClient(settings)

    context = WorkbenchContext(
        host_label="local demo " + server.base_url.removeprefix("http://"),
        project_label=str(server.project_id),
        session=ClientSession(client),
        initial_buffers=SavedBuffers([SavedBuffer(title="examples", text=text)]),
    )
    context.record_history(
        HistoryStore(history_dir / HISTORY_FILE_NAME),
        host="local-demo",
        project_id=str(server.project_id),
    )
    return WorkbenchApp(context)


async def settle(pilot: Pilot[object]) -> None:
    for editor in pilot.app.query(HogQLEditor):
        editor.cursor_blink = False
    await pilot.pause(0.2)


async def wait_until(pilot: Pilot[object], done: Callable[[], bool], limit: float = 60) -> None:
    """Pause until ``done()``; a scene that never gets there fails instead of shooting."""
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the scene did not reach its state within {limit:g} s")
        await pilot.pause(0.1)


def app_of(pilot: Pilot[object]) -> WorkbenchApp:
    assert isinstance(pilot.app, WorkbenchApp)
    return pilot.app


async def scene_opened(pilot: Pilot[object]) -> None:
    await wait_until(
        pilot, lambda: "connected" in app_of(pilot).main_screen.status_bar.connection_state
    )
    await settle(pilot)


async def scene_result(pilot: Pilot[object]) -> None:
    app = app_of(pilot)
    app.main_screen.editor_tabs.current_editor.cursor_location = (5, 0)
    await pilot.press("f5")
    await wait_until(pilot, lambda: all(r.state.is_final for r in app.context.registry))
    await settle(pilot)


async def scene_running(pilot: Pilot[object]) -> None:
    app = app_of(pilot)
    editor = app.main_screen.editor_tabs.current_editor
    for row in range(len(SLOW_QUERIES)):
        editor.cursor_location = (row, 0)
        await pilot.press("f5")
        await pilot.pause(0.4)
    registry = app.context.registry
    await wait_until(pilot, lambda: all(r.progress is not None for r in registry), limit=30)
    await pilot.pause(1.0)
    await settle(pilot)


async def scene_error(pilot: Pilot[object]) -> None:
    app = app_of(pilot)
    app.main_screen.editor_tabs.current_editor.cursor_location = (2, 0)
    await pilot.press("f5")
    registry = app.context.registry
    await wait_until(pilot, lambda: all(r.state is RunState.FAILED for r in registry))
    await settle(pilot)


async def scene_help(pilot: Pilot[object]) -> None:
    await scene_opened(pilot)
    await pilot.press("f1")
    await settle(pilot)


async def scene_history(pilot: Pilot[object]) -> None:
    await scene_opened(pilot)
    await pilot.press("f8")
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)


COMPLETION_SQL = "-- editor intelligence: completion, validation, schema\nselect  from events e\n"
"""Where the completion, validation and schema scenes type."""


async def scene_completion(pilot: Pilot[object]) -> None:
    await scene_opened(pilot)
    screen = app_of(pilot).main_screen
    screen.editor_tabs.current_editor.cursor_location = (1, 7)
    await pilot.press(*"e.properties.$b")
    await wait_until(pilot, lambda: screen.popup.is_open and screen.popup.source == "server")
    await settle(pilot)


async def scene_validation(pilot: Pilot[object]) -> None:
    await scene_opened(pilot)
    screen = app_of(pilot).main_screen
    editor = screen.editor_tabs.current_editor
    editor.cursor_location = (1, 7)
    await pilot.press(*"e.evnt")
    await pilot.press("escape")
    await wait_until(pilot, lambda: bool(editor.diagnostic_spans))
    editor.cursor_location = (1, 10)
    await settle(pilot)


async def scene_schema(pilot: Pilot[object]) -> None:
    await scene_opened(pilot)
    screen = app_of(pilot).main_screen
    await pilot.press("f12")
    await wait_until(pilot, lambda: screen.schema_browser.schema is not None)
    await pilot.press(*"person")
    await settle(pilot)


EXPORT_SQL = (
    "-- export every row past the 50,000 cap: alt+e, tick 'export all'\n"
    "select uuid, timestamp, event, distinct_id, properties.$current_url as url\nfrom events\n"
)
"""The export scene's query: every event, paged by timestamp into a CSV file."""


async def scene_export(pilot: Pilot[object]) -> None:
    from textual.widgets import Checkbox, Input

    from workbench.app import export_actions

    export_actions.EXPORT_PAGE_ROWS = 5_000  # small pages: the export is still running below
    app = app_of(pilot)
    screen = app.main_screen
    registry = app.context.registry
    screen.editor_tabs.current_editor.cursor_location = (1, 0)
    await pilot.press("f5")
    await wait_until(pilot, lambda: all(r.state.is_final for r in registry))
    await pilot.press("alt+e")
    await settle(pilot)
    destination = Path(tempfile.gettempdir()) / f"workbench-shot-events-{time.time_ns()}.csv"
    dialog = app.screen
    dialog.query_one("#export-path", Input).value = str(destination)
    dialog.query_one("#export-all", Checkbox).value = True
    await settle(pilot)
    dialog.action_export()  # type: ignore[attr-defined]

    def halfway() -> bool:
        run = registry.newest()
        progress = run.export.progress if run is not None and run.export is not None else None
        return progress is not None and progress.rows >= 40_000

    await wait_until(pilot, halfway)
    await settle(pilot)


SCENES: tuple[tuple[str, str, Scene], ...] = (
    ("demo-opened", DEMO_QUERIES, scene_opened),
    ("result", DEMO_QUERIES, scene_result),
    ("running-queries", ";\n".join(SLOW_QUERIES) + ";\n", scene_running),
    ("hogql-error", ERROR_SQL + "\n", scene_error),
    ("help", DEMO_QUERIES, scene_help),
    ("completion", COMPLETION_SQL, scene_completion),
    ("validation", COMPLETION_SQL, scene_validation),
    ("schema-browser", COMPLETION_SQL, scene_schema),
    ("export-running", EXPORT_SQL, scene_export),
    ("history", DEMO_QUERIES, scene_history),
)
"""(file name, editor text, what to do before the screenshot)."""


def svg_to_png(svg: str, target: Path) -> None:
    """Convert with the monospace font swapped in (Rich's SVG asks for the web font)."""
    import cairosvg

    fixed = svg.replace("Fira Code", "DejaVu Sans Mono")
    cairosvg.svg2png(bytestring=fixed.encode("utf-8"), write_to=str(target))


async def shoot(
    server: LocalServer, name: str, text: str, scene: Scene, out: Path, history_dir: Path
) -> Path:
    app = make_app(server, text, history_dir)
    async with app.run_test(size=SIZE) as pilot:
        await scene(pilot)
        svg = app.export_screenshot(title=f"HogQL Workbench: {name}")
        # Leave no query running on the server behind us.
        registry = app.context.registry
        for run in registry.active():
            app.main_screen.cancel_run(run.client_query_id)
        await wait_until(pilot, lambda: not registry.active(), limit=15)
    target = out / f"{name}.png"
    svg_to_png(svg, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000, help="demo events to generate")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--only", nargs="*", default=None, help="scene names to shoot (all)")
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="workbench-shots-") as data_dir,
        tempfile.TemporaryDirectory(prefix="workbench-shots-history-") as history_dir,
    ):
        server = start_local_server(
            data_dir=Path(data_dir),
            events=options.events,
            extra_args=["--no-rate-limits", "--async-max-execution-time", "120"],
            timeout=300,
        )
        try:
            for name, text, scene in SCENES:
                if options.only is not None and name not in options.only:
                    continue
                path = asyncio.run(shoot(server, name, text, scene, options.out, Path(history_dir)))
                print(path, file=sys.stderr)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
