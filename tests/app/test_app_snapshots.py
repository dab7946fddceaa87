"""SVG snapshots of the main states (plain ``def``: snap_compare runs its own loop).

Update with ``pytest tests/app/test_app_snapshots.py --snapshot-update`` and look at the
SVGs before committing.
"""

from __future__ import annotations

from typing import Any

from scenes import (
    error_app,
    opened_app,
    quiet,
    run_error,
    run_first_statement,
    running_app,
    start_three,
)

SIZE = (140, 40)


def test_snapshot_opened(snap_compare: Any) -> None:
    app, _ = opened_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=quiet)


def test_snapshot_result(snap_compare: Any) -> None:
    app, _ = opened_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=run_first_statement)


def test_snapshot_running_queries(snap_compare: Any) -> None:
    app, _, clock = running_app()

    async def before(pilot: Any) -> None:
        await start_three(pilot, clock)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_snapshot_hogql_error(snap_compare: Any) -> None:
    app, _ = error_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=run_error)


def test_snapshot_help(snap_compare: Any) -> None:
    app, _ = opened_app()

    async def before(pilot: Any) -> None:
        await quiet(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=before)
