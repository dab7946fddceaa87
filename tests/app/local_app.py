"""The real app on a local server, for Pilot tests: one way to build it, one way to wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.workbench_app import WorkbenchApp
from workbench.app.workers import ClientSession, QueryClient
from workbench.connection import ConnectionSettings
from workbench.server.launcher import LocalServer

MAX_WAIT_PAUSES = 600
"""pilot.pause() calls to wait for the server before giving up (a bound, not a timing)."""


def local_app(server: LocalServer, text: str = "", **client_options: Any) -> WorkbenchApp:
    """The app with one tab holding ``text``, its client built with ``client_options``."""
    settings = ConnectionSettings(
        host=server.base_url, project_id=str(server.project_id), api_key=server.api_key
    )

    def make_client() -> QueryClient:
        from workbench.client import PostHogClient

        return PostHogClient(settings, **client_options)

    context = WorkbenchContext(
        host_label=server.base_url,
        project_label=str(server.project_id),
        session=ClientSession(make_client),
        initial_buffers=SavedBuffers([SavedBuffer(title="query", text=text)]),
    )
    return WorkbenchApp(context)


async def wait_for(
    pilot: Pilot[object], condition: Callable[[], bool], pauses: int = MAX_WAIT_PAUSES
) -> None:
    """Pause until ``condition()`` holds; fail after ``pauses`` pauses."""
    for _ in range(pauses):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not reach the expected state")
