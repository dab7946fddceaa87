"""Helpers for the editor-intelligence tests: an app on the local server, waiting, the popup."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.app.local_app import local_app
from tests.app.local_app import wait_for as wait_for_state
from workbench.app.screens.assist_screen import AssistScreen
from workbench.app.widgets.completion_popup import CompletionPopup
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.workbench_app import WorkbenchApp
from workbench.server.launcher import LocalServer

SIZE = (140, 40)

MAX_WAIT_PAUSES = 400
"""pilot.pause() calls to wait for the server before giving up (a bound, not a timing)."""


class RequestLog:
    """The client's ``on_request`` hook: every HTTP request the app made, by path."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, method: str, path: str, status: int | None, seconds: float) -> None:
        self.paths.append(path)

    @property
    def query_kinds(self) -> int:
        """Requests to the query endpoint (metadata, autocomplete, schema)."""
        return sum(1 for path in self.paths if path.endswith("/query/"))


def assist_app(server: LocalServer, text: str = "", log: RequestLog | None = None) -> WorkbenchApp:
    from workbench.client.budget import RateBudget

    # A budget of its own: the session's shared key budget must not leak between tests.
    return local_app(server, text, budget=RateBudget(), on_request=log)


async def wait_for(pilot: Pilot[object], condition: Callable[[], bool]) -> None:
    await wait_for_state(pilot, condition, MAX_WAIT_PAUSES)


def screen_of(pilot: Pilot[object]) -> AssistScreen:
    app = pilot.app
    assert isinstance(app, WorkbenchApp)
    return app.main_screen


def editor_of(pilot: Pilot[object]) -> HogQLEditor:
    return screen_of(pilot).editor_tabs.current_editor


def popup_of(pilot: Pilot[object]) -> CompletionPopup:
    return screen_of(pilot).popup


def labels(pilot: Pilot[object]) -> list[str]:
    return [s.label for s in popup_of(pilot).suggestions]


async def connected(pilot: Pilot[object]) -> None:
    """Wait until the client exists (the app connects after its first frame)."""
    screen = screen_of(pilot)
    await wait_for(pilot, lambda: screen.context.session.current is not None)


async def type_at(pilot: Pilot[object], text: str, at: tuple[int, int] | None = None) -> None:
    """Move the cursor (if ``at``) and type ``text`` key by key."""
    editor = editor_of(pilot)
    if at is not None:
        editor.cursor_location = at
    await pilot.press(*text)


def diagnostic_text(pilot: Pilot[object]) -> str:
    """The message shown for the diagnostic under the cursor ("" when none)."""
    line = screen_of(pilot).diagnostic_line
    assert line is not None
    return line.text
