"""The history browser (F8 / ctrl+r): find a past query, then open it, re-run it or curate it.

Open it over a ``HistoryStore`` and act on the ``HistoryChoice`` it dismisses with::

    browser = HistoryBrowser(store, project_id="1", host="https://us.posthog.com")
    self.app.push_screen(browser, self._history_chosen)   # HistoryChoice | None

Every store call runs in a thread worker, so a 100,000-entry history never stalls a key
press. Typing is debounced; each search carries a generation number and only the newest
search's rows are shown (a slow, stale one that finishes late is dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static, Tab, Tabs
from textual.worker import Worker, WorkerState

from workbench.app.history_query import (
    DATE_CHOICES,
    PROJECT_CHOICES,
    STATE_CHOICES,
    BrowserQuery,
    next_choice,
)
from workbench.app.screens.history_dialogs import ConfirmDelete, NameEntryPrompt
from workbench.app.widgets.history_list import HistoryList, TypedAhead
from workbench.app.widgets.history_preview import HistoryPreview
from workbench.history import HistoryEntry, HistoryStore
from workbench.history.redact import clean_host

LIST_LIMIT = 200
"""Rows listed at most: typing narrows a big history; drawing more would slow every key."""

SEARCH_DEBOUNCE_SECONDS = 0.08
"""Wait this long after a keystroke before searching, so fast typing searches once."""

HISTORY_BINDINGS: list[BindingType] = [
    Binding("escape", "close", "Close"),
    Binding("ctrl+enter,ctrl+j", "choose('run')", "Re-run", priority=True),
    Binding("ctrl+s", "toggle_star", "Star", priority=True),
    Binding("s", "toggle_star", "Star"),
    Binding("n", "name", "Name"),
    Binding("delete", "delete", "Delete"),
    Binding("tab,shift+tab", "toggle_view", "History/Saved", priority=True),
    Binding("f2", "cycle_state", "State"),
    Binding("f3", "cycle_date", "Date"),
    Binding("f4", "cycle_project", "Project"),
    Binding("down", "focus_list", "List", show=False),
]
"""The browser's keys (ctrl+j because not every terminal reports ctrl+enter)."""

LETTER_KEYS = frozenset(
    key
    for binding in HISTORY_BINDINGS
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
    if len(key) == 1
)
"""Single letters bound above: pressed in the list they act, other letters filter."""

HINTS = (
    "enter open in new tab · ctrl+enter/ctrl+j re-run · s star · n name · del delete · "
    "tab history/saved · F2 state · F3 date · F4 project · esc close"
)
"""The keys, shown under the preview (this modal has no footer)."""


@dataclass(frozen=True)
class HistoryChoice:
    """What the user asked for: ``open`` the SQL in a new editor tab, or ``run`` it again."""

    action: Literal["open", "run"]
    sql: str
    entry_id: int
    name: str | None = None


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


class HistoryBrowser(ModalScreen["HistoryChoice | None"]):
    """History and saved queries with a filter box, filters, list and preview."""

    BINDINGS: ClassVar[list[BindingType]] = HISTORY_BINDINGS

    DEFAULT_CSS = """
    HistoryBrowser { align: center middle; }
    #history-box { width: 96%; height: 94%; border: thick $primary; background: $surface;
                   padding: 0 1; }
    #history-views { height: 2; }
    #history-bar { height: 1; margin-bottom: 1; }
    #history-filter { width: 1fr; height: 1; border: none; padding: 0 1; }
    #history-bar Button { margin-left: 1; min-width: 0; }
    #filter-state { width: 18; }
    #filter-date { width: 15; }
    #filter-project { width: 14; }
    #history-notice { color: $warning; height: auto; }
    #history-list { height: 1fr; border: none; }
    #history-preview { height: 1fr; margin-top: 1; }
    #history-status { color: $text-muted; height: 1; }
    #history-hints { color: $text-muted; height: auto; }
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

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box") as box:
            box.border_title = "Query history"
            active = "view-saved" if self.query_state.saved else "view-history"
            yield Tabs(
                Tab("History", id="view-history"),
                Tab("Saved", id="view-saved"),
                active=active,
                id="history-views",
            )
            with Horizontal(id="history-bar"):
                yield Input(
                    placeholder="type to filter: words of the SQL or name",
                    select_on_focus=False,  # a letter typed ahead from the list must stay
                    id="history-filter",
                )
                yield Button("", id="filter-state", compact=True)
                yield Button("", id="filter-date", compact=True)
                yield Button("", id="filter-project", compact=True)
            yield Static("", id="history-notice", markup=False)
            yield HistoryList(command_keys=LETTER_KEYS, id="history-list")
            yield HistoryPreview(id="history-preview")
            yield Static("", id="history-status", markup=False)
            yield Static(HINTS, id="history-hints", markup=False)

    def on_mount(self) -> None:
        for widget in (self.query_one(Tabs), *self.query(Button)):
            widget.can_focus = False  # tab switches the view; the mouse still works
        notices = [text for text in (self.store.notice, self.store.degraded_reason) if text]
        notice = self.query_one("#history-notice", Static)
        notice.update("⚠ " + " · ".join(notices) if notices else "")
        notice.display = bool(notices)
        self._show_filters()
        self.filter_input.focus()
        self.search_now()

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

    def _show_filters(self) -> None:
        query = self.query_state
        project = query.project if self.project_id is not None else "all projects"
        self.query_one("#filter-state", Button).label = f"state: {query.state}"
        self.query_one("#filter-date", Button).label = f"date: {query.date}"
        self.query_one("#filter-project", Button).label = project

    # -- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_state = replace(self.query_state, text=event.value)
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE_SECONDS, self.search_now)

    def search_now(self) -> None:
        """Search with the current text and filters in a thread; newer searches win."""
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
        history_list.show_entries(result.entries, self.clock())
        count = len(result.entries)
        more = f" (the newest {LIST_LIMIT}: type to narrow)" if count >= LIST_LIMIT else ""
        view = "saved queries" if self.query_state.saved else "entries"
        self.query_one("#history-status", Static).update(f"{count:,} {view}{more}")
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
            self.notify(result.message, markup=False)
            self.search_now()

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

    # -- choosing -------------------------------------------------------------------------

    @on(HistoryList.OptionSelected, "#history-list")
    @on(Input.Submitted, "#history-filter")
    def _open(self, event: HistoryList.OptionSelected | Input.Submitted) -> None:
        event.stop()
        self.action_choose("open")

    def action_choose(self, action: Literal["open", "run"]) -> None:
        """Dismiss with the highlighted entry's SQL (nothing happens on an empty list)."""
        entry = self.history_list.highlighted_entry
        if entry is not None:
            self.dismiss(HistoryChoice(action, entry.sql, entry.id, entry.name))

    def action_close(self) -> None:
        self.dismiss(None)

    # -- view, filters, focus -------------------------------------------------------------

    @on(Tabs.TabActivated, "#history-views")
    def _view_activated(self, event: Tabs.TabActivated) -> None:
        saved = event.tab.id == "view-saved"
        if saved != self.query_state.saved:
            self.query_state = replace(self.query_state, saved=saved)
            self.search_now()

    def action_toggle_view(self) -> None:
        saved = not self.query_state.saved
        self.query_one(Tabs).active = "view-saved" if saved else "view-history"

    def action_cycle_state(self) -> None:
        state = next_choice(STATE_CHOICES, self.query_state.state)
        self._set_query(replace(self.query_state, state=state))

    def action_cycle_date(self) -> None:
        self._set_query(
            replace(self.query_state, date=next_choice(DATE_CHOICES, self.query_state.date))
        )

    def action_cycle_project(self) -> None:
        if self.project_id is None:
            self.notify("No current project: every project is listed.", markup=False)
            return
        project = next_choice(PROJECT_CHOICES, self.query_state.project)
        self._set_query(replace(self.query_state, project=project))

    def _set_query(self, query: BrowserQuery) -> None:
        self.query_state = query
        self._show_filters()
        self.search_now()

    @on(Button.Pressed, "#history-bar Button")
    def _filter_clicked(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"filter-state": self.action_cycle_state, "filter-date": self.action_cycle_date}
        actions.get(event.button.id or "", self.action_cycle_project)()

    def action_focus_list(self) -> None:
        self.history_list.focus()

    @on(TypedAhead)
    def _typed_ahead(self, event: TypedAhead) -> None:
        """A letter typed in the list goes on the end of the filter text."""
        event.stop()
        box = self.filter_input
        box.focus()
        box.insert_text_at_cursor(event.character)

    # -- curating (writes run in a thread; the list is searched again afterwards) ---------

    def _curate(self, work: Callable[[], str]) -> None:
        self._curating += 1
        self.run_worker(
            lambda: _Curated(work()), thread=True, group="history-curate", exit_on_error=False
        )

    def action_toggle_star(self) -> None:
        entry = self.history_list.highlighted_entry
        if entry is None:
            return
        starred = not entry.starred

        def star() -> str:
            self.store.set_starred(entry.id, starred)
            return "Starred: it is in Saved" if starred else "Unstarred"

        self._curate(star)

    def action_name(self) -> None:
        entry = self.history_list.highlighted_entry
        if entry is None:
            return

        def named(name: str | None) -> None:
            if name is None:
                return

            def save() -> str:
                self.store.set_name(entry.id, name)
                return f"Named {name.strip()!r}" if name.strip() else "Name removed"

            self._curate(save)

        self.app.push_screen(NameEntryPrompt(entry.name), named)

    def action_delete(self) -> None:
        entry = self.history_list.highlighted_entry
        if entry is None:
            return
        runs = f" and its {entry.run_count} runs" if entry.run_count > 1 else ""
        question = f"Delete this history entry{runs}? This cannot be undone."

        def confirmed(delete: bool | None) -> None:
            if delete:
                self._curate(lambda: f"Deleted {self.store.delete(entry.id)} run(s)")

        self.app.push_screen(ConfirmDelete(question), confirmed)
