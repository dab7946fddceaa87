"""The shared part of editor intelligence on the main screen: pacing, offline, the client.

``AssistBase`` → ``ValidationScreen`` → ``AssistScreen`` (completion, schema browser) sit
between ``RunsScreen`` and ``EditorScreen``. Each server request takes a token from the
``RequestPacer`` (about one per 1.5 s while typing, none while idle); after a network
failure or a 429 the server is left alone for a while and completion is answered locally.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from workbench.app.assist import requests
from workbench.app.assist.pacer import RequestPacer
from workbench.app.screens.runs_screen import RunsScreen

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.client import DatabaseSchema

OFFLINE_RETRY_SECONDS = 30.0
"""After a network failure or a 429, the server is left alone this long (local meanwhile)."""

MIN_TIMER_SECONDS = 0.01
"""Shortest timer (a zero interval breaks Textual's timer)."""

CACHE_SIZE = 128
"""Answers remembered per kind (text and position); enough for undo/redo and moving about."""


def remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    """Put ``key`` in a bounded LRU ``cache``."""
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def is_connection_trouble(error: BaseException | None) -> bool:
    """Errors after which the server is left alone for ``OFFLINE_RETRY_SECONDS``."""
    from workbench.client.errors import NetworkError, RateLimited

    return isinstance(error, NetworkError | RateLimited | TimeoutError)


class AssistBase(RunsScreen):
    """Pacing, the offline state, the schema fetch and the status-bar count."""

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self.pacer = RequestPacer()
        """Spends and counts the editor's requests (tests swap in one with a fake clock)."""
        self._validate_timer: Timer | None = None
        self._complete_timer: Timer | None = None
        self._offline_until = 0.0
        self._local_reason = ""
        self.schema: DatabaseSchema | None = None
        self._schema_asked = False

    @property
    def assist_idle(self) -> bool:
        """No request is waiting for a timer or in flight: nothing will be sent until an edit."""
        if self._validate_timer is not None or self._complete_timer is not None:
            return False
        return not any(
            worker.group.startswith("assist-") and not worker.is_finished for worker in self.workers
        )

    def _later(self, delay: float, callback: Callable[[], None]) -> Timer:
        # Textual's timers divide by their interval: never zero.
        return self.set_timer(max(MIN_TIMER_SECONDS, delay), callback)

    @property
    def _offline(self) -> bool:
        return self.pacer.now() < self._offline_until

    def _note_failure(self, error: BaseException | None) -> None:
        if is_connection_trouble(error):
            self._offline_until = self.pacer.now() + OFFLINE_RETRY_SECONDS

    def _client_can(self, method: str) -> bool:
        client = self.context.session.current
        return client is not None and callable(getattr(client, method, None))

    def _budget_low(self) -> bool:
        budget = getattr(self.context.session.current, "budget", None)
        try:
            return bool(budget is not None and budget.should_warn("other"))
        except (AttributeError, TypeError):
            return False

    def _show_budget(self) -> None:
        text = f"editor calls {self.pacer.sent} (≤1 per {self.pacer.refill_seconds:g} s)"
        budget = getattr(self.context.session.current, "budget", None)
        # The 1,200/hour bucket these calls spend; fakes have no budget.
        with contextlib.suppress(AttributeError, KeyError, TypeError):
            text += f" · {budget.remaining('sustained')}/h left"  # type: ignore[union-attr]
        if self._local_reason:
            text += f" · local ({self._local_reason})"
        self.status_bar.set_assist(text)

    def _ensure_schema(self) -> None:
        if self._schema_asked or not self._client_can("schema"):
            return
        if self.schema is None and not self.pacer.try_spend():
            return  # asked again on the next completion or browser opening
        self._schema_asked = True
        self._show_budget()
        self.run_worker(
            requests.load_schema(self.context.session, self.post_message),
            group="assist-schema",
            exit_on_error=False,
        )
