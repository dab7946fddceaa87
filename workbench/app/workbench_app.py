"""The Textual ``App``: thin. It holds the context, the stylesheet and the quit path.

State lives in the ``RunRegistry`` and the screens; I/O in workers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from workbench.app import workers
from workbench.app.context import WorkbenchContext
from workbench.app.keys import MAIN_KEYS
from workbench.app.screens.main import MainScreen

QUIT_CANCEL_TIMEOUT = 3.0
"""Seconds to spend cancelling still-running queries on the server when quitting."""


class WorkbenchApp(App[int]):
    """HogQL Workbench. ``context`` says what to connect to and where state lives."""

    CSS_PATH = "app.tcss"
    TITLE = "HogQL Workbench"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.context)

    @property
    def main_screen(self) -> MainScreen:
        """The workbench screen (the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists every workbench action by name, plus Textual's own."""
        yield from super().get_system_commands(screen)
        main = self.main_screen
        for key in MAIN_KEYS:
            callback = partial(main.run_action, key.action)
            yield SystemCommand(key.label, key.description, callback)

    async def action_quit(self) -> None:
        """Save buffers, cancel running queries on the server, close the client, exit."""
        main = self.main_screen
        try:
            main.save_buffers()
        except OSError as exc:
            self.notify(f"Could not save the editor buffers: {exc}", severity="error", markup=False)
        active = [run.client_query_id for run in self.context.registry.active()]
        if active:
            cancels = (workers.cancel_query(main.session_of(cid), cid) for cid in active)
            # Bounded: a server that does not answer must not keep the user from quitting.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*cancels), QUIT_CANCEL_TIMEOUT)
        self.workers.cancel_all()
        for session in self.context.all_sessions:
            # Closing is best effort on the way out: a failure must not block quitting.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(session.aclose(), QUIT_CANCEL_TIMEOUT)
        if self.context.history is not None:
            self.context.history.close()
        self.exit(0)
