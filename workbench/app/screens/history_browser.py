"""The history browser (F8 / ctrl+r): find a past query, then open it, re-run it or curate it.

Open it over a ``HistoryStore`` and act on the ``HistoryChoice`` it dismisses with::

    browser = HistoryBrowser(store, project_id="1", host="https://us.posthog.com")
    self.app.push_screen(browser, self._history_chosen)   # HistoryChoice | None

(``workbench.app.history_actions`` does both for the main screen: ``history_browser_for``
and ``apply_history_choice``.)

Searching (thread workers, debounce, stale results dropped) lives in ``history_search``;
this module adds the layout, the keys, the view and filters, and curating.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, Tab, Tabs

from workbench.app.history_query import (
    DATE_CHOICES,
    PROJECT_CHOICES,
    STATE_CHOICES,
    BrowserQuery,
    HistoryChoice,
    next_choice,
)
from workbench.app.literal import escape_control
from workbench.app.screens.history_dialogs import ConfirmDelete, NameEntryPrompt
from workbench.app.screens.history_search import HistorySearchScreen
from workbench.app.widgets.history_list import FilterRequested, HistoryList
from workbench.app.widgets.history_preview import HistoryPreview

__all__ = ["HistoryBrowser", "HistoryChoice"]

HISTORY_BINDINGS: list[BindingType] = [
    # f8 and ctrl+r open the browser on the main screen: here they close it again.
    Binding("escape,f8,ctrl+r", "close", "Close"),
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

GONE = "That entry no longer exists (deleted or pruned elsewhere)"
"""Said when a star or name finds its entry gone: another instance may share the file."""

HINTS = (
    "enter open in new tab · ctrl+enter/ctrl+j re-run · ctrl+s star · ↓ list, where: "
    "s star, n name, del delete · tab history/saved · F2 state · F3 date · F4 project · "
    "esc close"
)
"""The keys, shown under the preview (this modal has no footer)."""


class HistoryBrowser(HistorySearchScreen):
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

    def _show_filters(self) -> None:
        query = self.query_state
        project = query.project if self.project_id is not None else "all projects"
        self.query_one("#filter-state", Button).label = f"state: {query.state}"
        self.query_one("#filter-date", Button).label = f"date: {query.date}"
        self.query_one("#filter-project", Button).label = project

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

    @on(FilterRequested)
    def _back_to_filter(self, event: FilterRequested) -> None:
        """A letter typed in the list (or up on its first row) goes back to the filter."""
        event.stop()
        box = self.filter_input
        box.focus()
        if event.typed:
            box.insert_text_at_cursor(event.typed)

    def action_toggle_star(self) -> None:
        entry = self.history_list.highlighted_entry
        if entry is None:
            return
        starred = not entry.starred

        def star() -> str:
            if not self.store.set_starred(entry.id, starred):
                return GONE
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
                if not self.store.set_name(entry.id, name):
                    return GONE
                return f"Named {escape_control(name.strip())!r}" if name.strip() else "Name removed"

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
                self._curate(lambda: f"Deleted {self.store.delete(entry.id) or 'no'} run(s)")

        self.app.push_screen(ConfirmDelete(question), confirmed)
