"""Completion and the schema browser on the main screen (issue 8).

Typing a word or a dot starts a ``COMPLETE_DELAY`` timer; then HogQLAutocomplete is asked
or, offline, low on budget or without a token from the pacer, local completion answers and
the popup says so. PostHog's answer is unfiltered, so one answer serves the whole word
(``AnswerCache``: a new request only when the word's context changes, or after a cut list)
and the app ranks it by the typed word and adds keywords (``ranking``). A newer request
cancels the older one. With the popup open, tab/enter accept, escape closes, up/down move.
F12 opens the schema browser; enter there inserts the name at the cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.geometry import Offset
from textual.widgets import TextArea

from workbench.app.assist import requests
from workbench.app.assist.answers import AnswerCache
from workbench.app.assist.completion import (
    LOCAL_KEYWORDS,
    CompletionContext,
    completion_context,
    local_suggestions,
    wants_completion,
)
from workbench.app.assist.ranking import is_property_context, rank, with_local_words
from workbench.app.screens.validation_screen import ValidationScreen
from workbench.app.widgets.completion_popup import CompletionPopup
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.widgets.schema_browser import (
    InsertRequested,
    PropertyKeysWanted,
    SchemaBrowser,
)

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.client import Suggestion

COMPLETE_DELAY = 0.15
"""Seconds after the last key before completion asks (issue 8: about 150 ms)."""


class AssistScreen(ValidationScreen):
    """Completion popup and schema browser for the editors of the main screen."""

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self.answers = AnswerCache()
        """Server answers per word being typed (and the request in flight)."""
        self._expected_completion: tuple[str, int, int] | None = None
        self._completion_context: CompletionContext | None = None
        self._skip_next_change = False
        self.property_keys: dict[str, tuple[str, ...]] = {}
        """Property keys learnt from server answers, by qualifier (for local completion)."""

    @on(events.Mount)
    def _mount_assist(self) -> None:
        self.mount(CompletionPopup(id="completion"))
        body = self.query("#body")
        if body:
            body.first().mount(SchemaBrowser(id="schema-browser"), before=0)
        for editor in self.query(HogQLEditor):
            editor.key_hook = self._completion_key

    @property
    def popup(self) -> CompletionPopup:
        return self.query_one("#completion", CompletionPopup)

    @property
    def schema_browser(self) -> SchemaBrowser:
        return self.query_one("#schema-browser", SchemaBrowser)

    @on(TextArea.Changed)
    def _complete_after_typing(self, event: TextArea.Changed) -> None:
        editor = event.text_area
        if not isinstance(editor, HogQLEditor):
            return
        editor.key_hook = self._completion_key  # editors of new tabs too
        if self._skip_next_change:  # the edit was an accepted completion
            self._skip_next_change = False
            return
        if self._complete_timer is not None:
            self._complete_timer.stop()
            self._complete_timer = None
        offset = editor.index_of(editor.cursor_location)
        if self._client_can("autocomplete") and wants_completion(editor.text, offset):
            self._complete_timer = self._later(COMPLETE_DELAY, self._complete_now)
        else:
            self.popup.close()

    @on(TextArea.SelectionChanged)
    def _close_when_cursor_leaves(self, event: TextArea.SelectionChanged) -> None:
        editor = event.text_area
        context = self._completion_context
        if isinstance(editor, HogQLEditor) and self.popup.is_open and context is not None:
            offset = editor.index_of(editor.cursor_location)
            if not context.start <= offset <= context.end + 1:
                self.popup.close()

    # -- completion ----------------------------------------------------------------------

    def action_complete(self) -> None:
        """Open the completion popup now (ctrl+space)."""
        self._complete_now()

    def _complete_now(self) -> None:
        from workbench.hogql.tokens import opaque_span_at

        self._complete_timer = None
        editor = self.editor_tabs.current_editor
        text = editor.text
        offset = editor.index_of(editor.cursor_location)
        if opaque_span_at(text, offset) is not None:
            self.popup.close()  # inside a string or a comment
            return
        context = completion_context(text, offset)
        self._completion_context = context
        key = (text, context.start, offset)
        self._expected_completion = key
        cached = self.answers.lookup(text, context)
        if cached is not None:
            self._show_server_answer(editor, text, context, cached)
            return
        if self.answers.awaited(text, context):
            # The answer in flight serves this word too and is shown on arrival; meanwhile
            # what is shown narrows to the longer word.
            if self.popup.is_open:
                narrowed = rank(self.popup.suggestions, context.prefix)
                self._show_suggestions(editor, narrowed, self.popup.source)
            return
        self._ensure_schema()
        reason = self._why_local()
        if reason:
            self._local_reason = reason
            self._show_budget()
            self._show_suggestions(editor, self._local(text, context), f"local: {reason}")
            if reason == "pacing":
                # Ask the server once a token is back, unless the user types on meanwhile.
                self._complete_timer = self._later(self.pacer.wait_time(), self._complete_now)
            return
        self._local_reason = ""
        self._show_budget()
        self.answers.asking(text, context)
        self.run_worker(
            requests.complete(self.context.session, self.post_message, key),
            group="assist-complete",
            exclusive=True,  # cancels the stale request still in flight
            exit_on_error=False,
        )

    def _why_local(self) -> str:
        if not self._client_can("autocomplete"):
            return "not connected"
        if self._offline:
            return "offline"
        if self._budget_low():
            return "budget low"
        if not self.pacer.try_spend():
            return "pacing"
        return ""

    def _local(self, text: str, context: CompletionContext) -> list[Suggestion]:
        return local_suggestions(text, context, self.schema, self.property_keys)

    def on_completed(self, message: requests.Completed) -> None:
        sql, _, end = message.key
        asked = completion_context(sql, end)
        answer = None if message.suggestions is None else tuple(message.suggestions)
        self.answers.answered(sql, asked, answer, incomplete=message.incomplete)
        if answer is not None and is_property_context(asked.qualifier) and not asked.prefix:
            self.property_keys[asked.qualifier] = tuple(s.label for s in answer)
        expected, context = self._expected_completion, self._completion_context
        if expected is None or context is None:
            return
        text = expected[0]
        if expected != message.key and not self._same_word(sql, asked, text, context):
            return  # stale: the user has moved on to another word
        editor = self.editor_tabs.current_editor
        if answer is None:
            self._note_failure(message.error)
            self._local_reason = "offline" if self._offline else "server failed"
            self._show_budget()
            self._show_suggestions(
                editor, self._local(text, context), f"local: {self._local_reason}"
            )
            return
        self._show_server_answer(editor, text, context, answer)

    def _same_word(
        self, sql: str, asked: CompletionContext, text: str, context: CompletionContext
    ) -> bool:
        """True when the cursor is still in the word that was asked about (typed on)."""
        from workbench.app.assist.answers import word_key

        return word_key(sql, asked) == word_key(text, context) and context.prefix.startswith(
            asked.prefix
        )

    def _show_server_answer(
        self,
        editor: HogQLEditor,
        text: str,
        context: CompletionContext,
        answer: tuple[Suggestion, ...],
    ) -> None:
        """The server's unfiltered answer, ranked by the typed word, with local keywords."""
        from workbench.hogql.functions import FUNCTIONS

        items: list[Suggestion] = list(answer)
        source = "server"
        if not context.after_table_keyword and not any(s.kind == "Variable" for s in items):
            # Under a FROM alias PostHog answers `properties.x` with nothing and a bare word
            # with the aliases only, though HogQL resolves both: the schema fills in.
            known = {(s.label, s.kind) for s in items}
            local = [s for s in self._local(text, context) if (s.label, s.kind) not in known]
            if local:
                items, source = items + local, "server + schema"
        if not context.qualifier and not context.after_table_keyword:
            items = with_local_words(items, LOCAL_KEYWORDS, FUNCTIONS)
        self._show_suggestions(editor, rank(items, context.prefix), source)

    def _show_suggestions(
        self, editor: HogQLEditor, suggestions: list[Suggestion], source: str
    ) -> None:
        context = self._completion_context
        if not suggestions or context is None:
            self.popup.close()
            return
        cursor = editor.cursor_screen_offset
        at = Offset(max(0, cursor.x - len(context.prefix)), cursor.y + 1)
        property_context = is_property_context(context.qualifier)
        self.popup.open_at(suggestions, at, source, property_context=property_context)

    def _completion_key(self, key: str) -> bool:
        """The editor's key hook: the popup's keys while it is open."""
        popup = self.popup
        if not popup.is_open:
            return False
        if key in ("tab", "enter"):
            self._accept(popup.chosen)
            return True
        if key == "escape":
            popup.close()
            return True
        if key in ("up", "down"):
            popup.move(-1 if key == "up" else 1)
            return True
        return False

    def _accept(self, suggestion: Suggestion | None) -> None:
        self.popup.close()
        context = self._completion_context
        if suggestion is None or context is None:
            return
        editor = self.editor_tabs.current_editor
        text = suggestion.insert_text
        start = editor.location_of(context.start)
        end = editor.location_of(max(context.end, editor.index_of(editor.cursor_location)))
        self._skip_next_change = True
        editor.replace(text, start, end)
        if text.endswith("()"):  # a function: the cursor goes between the parentheses
            row, column = editor.cursor_location
            editor.cursor_location = (row, max(0, column - 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the popup is open, escape closes it rather than the results filter."""
        if action == "close_filter" and self.popup.is_open:
            return False
        return super().check_action(action, parameters)

    # -- schema browser ------------------------------------------------------------------

    def action_toggle_schema(self) -> None:
        """Show or hide the schema browser (and load the schema the first time)."""
        browser = self.schema_browser
        browser.display = not browser.display
        if browser.display:
            self._ensure_schema()
            browser.set_schema(self.schema)
            browser.query_one("#schema-filter").focus()
        else:
            self.editor_tabs.current_editor.focus()

    def on_schema_loaded(self, message: requests.SchemaLoaded) -> None:
        if message.schema is None:
            self._schema_asked = False  # try again on the next need
            return
        self.schema = message.schema
        self.schema_browser.set_schema(message.schema)

    def on_property_keys_wanted(self, message: PropertyKeysWanted) -> None:
        self.pacer.record()
        self._show_budget()
        self.run_worker(
            requests.load_property_keys(self.context.session, self.post_message, message.table),
            group="assist-keys",
            exit_on_error=False,
        )

    def on_property_keys_loaded(self, message: requests.PropertyKeysLoaded) -> None:
        self.schema_browser.set_property_keys(message.table, message.keys)

    def on_insert_requested(self, message: InsertRequested) -> None:
        editor = self.editor_tabs.current_editor
        editor.insert(message.text)
