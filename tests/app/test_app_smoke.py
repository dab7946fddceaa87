"""Quick Pilot checks of the shell over a fake client."""

from __future__ import annotations

from fakes import FakeClient, make_app

from workbench.app.widgets.results import ResultsPane
from workbench.runs import RunState


async def test_f5_runs_the_statement_and_shows_rows() -> None:
    client = FakeClient()
    app = make_app(client, text="select 1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        run = app.context.registry.get("q1")
        assert run.state is RunState.DONE
        results = app.main_screen.query_one(ResultsPane)
        assert results.grid is not None
        assert results.grid.row_count == 1
        assert client.submitted == [("q1", "select 1")]
