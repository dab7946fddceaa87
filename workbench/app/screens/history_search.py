"""The searching half of the history browser: debounced thread searches, list and preview.

``HistoryBrowser`` (``history_browser``) adds the layout, the keys and the curating. Every
store call runs in a thread worker, so a 100,000-entry history never stalls a key press.
Each search carries a generation number and only the newest one's rows are shown: a slow,
stale search that finishes late is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from textual import on
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from workbench.app.history_query import PROJECT_CHOICES, BrowserQuery, HistoryChoice
from workbench.app.widgets.history_list import HistoryList
from workbench.app.widgets.history_preview import HistoryPreview
from workbench.history import HistoryEntry, HistoryStore
from workbench.history.redact import clean_host

LIST_LIMIT = 200
"""Rows listed at most: typing narrows a big history; drawing more would slow every key."""

SEARCH_DEBOUNCE_SECONDS = 0.08
"""Wait this long after a keystroke before searching, so fast typing searches once."""


@dataclass(frozen=True)
class _Searched:
    generation: int
    entries: list[HistoryEntry]


@dataclass(frozen=True)
class _SampleLoaded:
    entry: HistoryEntry


@dataclass(frozen=True)
class _Curated:
    message: str


def utc_now() -> datetime:
    """The wall clock (tests inject a frozen one for relative times)."""
    return datetime.now(UTC)


class HistorySearchScreen(ModalScreen[HistoryChoice | None]):
    """Runs searches and fills ``#history-list``, ``#history-status`` and the preview.

    Subclasses compose an ``Input#history-filter``, a ``HistoryList#history-list``, a
    ``Static#history-status`` and a ``HistoryPreview``.
    """

    def __init__(
        self,
        store: HistoryStore,
        *,
        project_id: str | int | None = None,
        host: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        saved: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.project_id = None if project_id is None else str(project_id)
        self.host = None if host is None else clean_host(host)
        self.clock = clock
        project = PROJECT_CHOICES[0 if self.project_id is not None else 1]
        self.query_state = BrowserQuery(saved=saved, project=project)
        self._generation = 0
        self._shown_generation = 0
        self._debounce: Timer | None = None
        self._curating = 0
        self._last_change = ""
        """What the last star/name/delete did: shown with the next search's count, once."""
        self._previewed: HistoryEntry | None = None
        self._keep_cursor = False

    # -- parts ----------------------------------------------------------------------------

    @property
    def filter_input(self) -> Input:
        return self.query_one("#history-filter", Input)

    @property
    def history_list(self) -> HistoryList:
        return self.query_one("#history-list", HistoryList)

    @property
    def busy(self) -> bool:
        """True while a search is pending or running, or a change is being saved."""
        pending = self._debounce is not None
        return pending or self._shown_generation != self._generation or self._curating > 0

    # -- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_state = replace(self.query_state, text=event.value)
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE_SECONDS, self.search_now)

    def search_now(self, *, keep_cursor: bool = False) -> None:
        """Search with the current text and filters in a thread; newer searches win.

        New text or filters put the cursor on the newest match; ``keep_cursor`` (after a
        star, name or delete) leaves it where it was.
        """
        self._keep_cursor = keep_cursor
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._generation += 1
        kwargs = self.query_state.search_kwargs(
            self.clock(), project_id=self.project_id, host=self.host
        )
        work = partial(self._search_in_thread, self._generation, kwargs)
        self.run_worker(work, thread=True, group="history-search", exit_on_error=False)

    def _search_in_thread(self, generation: int, kwargs: dict[str, Any]) -> _Searched:
        return _Searched(generation, self.store.search(limit=LIST_LIMIT, **kwargs))

    def _show_results(self, result: _Searched) -> None:
        if result.generation != self._generation:
            return  # a newer search is on its way
        self._shown_generation = result.generation
        history_list = self.history_list
        history_list.show_entries(result.entries, self.clock(), keep_cursor=self._keep_cursor)
        count = len(result.entries)
        more = f" (the newest {LIST_LIMIT}: type to narrow)" if count >= LIST_LIMIT else ""
        singular, plural = (
            ("saved query", "saved queries") if self.query_state.saved else ("entry", "entries")
        )
        view = singular if count == 1 else plural
        change = f" · {self._last_change}" if self._last_change else ""
        self._last_change = ""
        self.query_one("#history-status", Static).update(f"{count:,} {view}{more}{change}")
        self._preview(history_list.highlighted_entry)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = event.worker.result
        if event.state is WorkerState.ERROR:
            self._worker_failed(event.worker)
        elif event.state is not WorkerState.SUCCESS:
            return
        elif isinstance(result, _Searched):
            self._show_results(result)
        elif isinstance(result, _SampleLoaded):
            if result.entry.id == getattr(self.history_list.highlighted_entry, "id", None):
                self.query_one(HistoryPreview).show(result.entry, result.entry.sample)
        elif isinstance(result, _Curated):
            self._curating -= 1
            self._last_change = result.message
            self.search_now(keep_cursor=True)

    def _worker_failed(self, worker: Worker[Any]) -> None:
        """Say what failed and stop waiting for it (the store itself rarely raises)."""
        if worker.group == "history-curate":
            self._curating -= 1
        elif worker.group == "history-search":
            self._shown_generation = self._generation
        self.notify(f"History: {worker.error}", severity="error", markup=False)

    # -- preview --------------------------------------------------------------------------

    @on(HistoryList.OptionHighlighted, "#history-list")
    def _highlighted(self, event: HistoryList.OptionHighlighted) -> None:
        self._preview(self.history_list.highlighted_entry)

    def _preview(self, entry: HistoryEntry | None) -> None:
        if entry == self._previewed and entry is not None:
            return  # typing that keeps the same entry on top must not re-lex its SQL
        self._previewed = entry
        self.query_one(HistoryPreview).show(entry)
        if entry is not None and entry.has_sample:
            self.run_worker(
                partial(self._load_sample, entry.id),
                thread=True,
                group="history-sample",
                exit_on_error=False,
            )

    def _load_sample(self, entry_id: int) -> _SampleLoaded | None:
        entry = self.store.get(entry_id)
        return None if entry is None else _SampleLoaded(entry)

    # -- curating (writes run in a thread; the list is searched again afterwards) ---------

    def _curate(self, work: Callable[[], str]) -> None:
        self._curating += 1
        self.run_worker(
            lambda: _Curated(work()), thread=True, group="history-curate", exit_on_error=False
        )
