"""What the app's screens need from the outside, in one object (no globals, easy to fake)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from workbench.app.buffers import BufferStore, SavedBuffer, SavedBuffers
from workbench.app.demo_queries import DEMO_QUERIES
from workbench.app.workers import DEFAULT_ROW_LIMIT, ClientSession
from workbench.runs import RunRegistry

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.connection import ConnectionSettings
    from workbench.history import HistoryStore
    from workbench.history.recorder import RunRecorder


def new_query_id() -> str:
    """A fresh client_query_id: 32 hex characters, like PostHog's own."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    """The wall clock, for the age of cached results."""
    return datetime.now(UTC)


def default_buffers() -> SavedBuffers:
    """One tab with the example queries."""
    return SavedBuffers(buffers=[SavedBuffer(title="examples", text=DEMO_QUERIES)])


@dataclass
class WorkbenchContext:
    """The connection, the run registry, persistence and clocks the screens use.

    ``host_label`` and ``project_label`` are what the status bar shows (never the key).
    ``buffer_store`` None means buffers are neither loaded nor saved (tests, benches).
    """

    host_label: str
    project_label: str
    session: ClientSession
    registry: RunRegistry = field(default_factory=RunRegistry)
    buffer_store: BufferStore | None = None
    new_query_id: Callable[[], str] = new_query_id
    wall_clock: Callable[[], datetime] = utc_now
    row_limit: int = DEFAULT_ROW_LIMIT
    initial_buffers: SavedBuffers | None = None
    show_examples: bool = False
    """Make sure the example queries are open (``--demo``)."""
    session_for: Callable[[ConnectionSettings], ClientSession] | None = None
    """Makes a session for other settings (switching connection); None: switching is off."""
    retired_sessions: list[ClientSession] = field(default_factory=list)
    """Sessions replaced by a switch: their running queries finish on them; closed at quit."""
    config_path: Path | None = None
    """The settings file given with ``--config`` (None: the default one), for switching."""
    open_history: Callable[[], None] | None = None
    """Opens query history (calls ``record_history``) after the first frame: sqlite3 and the
    file cost ~40 ms that the first frame does not need. None: history stays as it is."""
    history: HistoryStore | None = None
    """Query history; None means runs are not recorded (tests, benches)."""
    history_recorder: RunRecorder | None = None
    """Records every run of ``registry`` into ``history`` (listeners set by ``record_history``)."""

    def record_history(self, store: HistoryStore, *, host: str, project_id: str) -> None:
        """Record every run from now on into ``store``, against this host and project."""
        from workbench.history.recorder import RunRecorder

        recorder = RunRecorder(store, host=host, project_id=project_id)
        self.registry.add_submit_listener(recorder.on_submit)
        self.registry.add_finish_listener(recorder.on_finish)
        self.history, self.history_recorder = store, recorder

    def switch_session(self, settings: ConnectionSettings) -> ClientSession:
        """Make ``settings`` the connection for new runs; the old session is retired."""
        if self.session_for is None:
            raise RuntimeError("this app cannot switch connections")
        self.retired_sessions.append(self.session)
        self.session = self.session_for(settings)
        if self.history_recorder is not None:
            self.history_recorder.set_connection(settings.host, settings.project_id)
        return self.session

    @property
    def all_sessions(self) -> list[ClientSession]:
        """The current session and every retired one."""
        return [*self.retired_sessions, self.session]

    def load_buffers(self) -> SavedBuffers:
        """Explicit initial buffers, else the saved ones, else the examples.

        With ``show_examples`` (the demo) the examples tab is added, and opened, when the
        saved buffers no longer have it.
        """
        if self.initial_buffers is not None:
            return self.initial_buffers
        saved = self.buffer_store.load() if self.buffer_store is not None else None
        if saved is None:
            return default_buffers()
        if self.show_examples and all(b.text != DEMO_QUERIES for b in saved.buffers):
            saved.buffers.append(SavedBuffer(title="examples", text=DEMO_QUERIES))
            saved.active = len(saved.buffers) - 1
        return saved

    def budget_text(self) -> str:
        """HogQL queries left this hour by the client's local budget, or ``""``."""
        client = self.session.current
        budget = getattr(client, "budget", None)
        if budget is None:
            return ""
        try:
            left = budget.remaining("hogql")
            limit = budget.rules["hogql"].limit
            low = left <= budget.warn_before
        except (AttributeError, KeyError, TypeError):
            return ""
        return f"budget {left}/{limit} queries/h" + (" ⚠ low" if low else "")
