"""Editor intelligence on the main screen: live validation, completion, schema browser.

A layer between ``RunsScreen`` and ``EditorScreen``. Edits start two debounce timers:
completion (``COMPLETE_DELAY``) and validation (``VALIDATE_DELAY``). Each server request
takes a token from the ``RequestPacer`` (about one per 1.5 s while typing, none while idle);
without a token, or offline, or with the key's budget low, completion is answered locally
and the popup says so, and validation waits for the next token. Answers are cached per
text and position; a newer request cancels the older one (``exclusive`` worker groups).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.geometry import Offset
from textual.timer import Timer
from textual.widgets import Static, TextArea

from workbench.app.assist import requests
from workbench.app.assist.completion import (
    CompletionContext,
    completion_context,
    local_suggestions,
    wants_completion,
)
from workbench.app.assist.diagnostics import Diagnostic, diagnostic_at, diagnostics_from
from workbench.app.assist.pacer import RequestPacer
from workbench.app.literal import escape_control
from workbench.app.screens.runs_screen import RunsScreen
from workbench.app.widgets.completion_popup import CompletionPopup
from workbench.app.widgets.editor import HogQLEditor
from workbench.app.widgets.schema_browser import (
    InsertRequested,
    PropertyKeysWanted,
    SchemaBrowser,
)

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.client import DatabaseSchema, HogQLMetadata, Suggestion

COMPLETE_DELAY = 0.15
"""Seconds after the last key before completion asks (issue 8: about 150 ms)."""

VALIDATE_DELAY = 0.3
"""Seconds after the last key before HogQLMetadata is asked (issue 8: about 300 ms)."""

OFFLINE_RETRY_SECONDS = 30.0
"""After a network failure or a 429, the server is left alone this long (local meanwhile)."""

MIN_TIMER_SECONDS = 0.01
"""Shortest timer (a zero interval breaks Textual's timer)."""

CACHE_SIZE = 128
"""Answers remembered per kind (text and position); enough for undo/redo and moving about."""

SEVERITY_MARK = {"error": "✗", "warning": "⚠", "notice": "ℹ"}
"""Prefix of the cursor's diagnostic in the status bar."""


class DiagnosticLine(Static):
    """One line of server text, shown literally (no markup; control characters escaped)."""

    DEFAULT_CSS = """
    DiagnosticLine {
        display: none;
        width: 1fr;
        height: 1;
        padding: 0 1;
        color: $warning;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.text = ""


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


class AssistScreen(RunsScreen):
    """Validation, completion and the schema browser for the editors of the main screen."""

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self.pacer = RequestPacer()
        """Spends and counts the editor's requests (tests swap in one with a fake clock)."""
        self.diagnostics: dict[str, list[Diagnostic]] = {}
        """Per editor id: the current diagnostics, buffer offsets."""
        self.metadata_cache: OrderedDict[str, HogQLMetadata] = OrderedDict()
        self._completion_cache: OrderedDict[tuple[str, int, int], list[Suggestion]] = OrderedDict()
        self._validate_timer: Timer | None = None
        self._complete_timer: Timer | None = None
        self._expected_completion: tuple[str, int, int] | None = None
        self._completion_context: CompletionContext | None = None
        self._skip_next_change = False
        self._offline_until = 0.0
        self._local_reason = ""
        self.schema: DatabaseSchema | None = None
        self._schema_asked = False
        self.property_keys: dict[str, tuple[str, ...]] = {}

    @on(events.Mount)
    def _mount_assist(self) -> None:
        self.mount(CompletionPopup(id="completion"))
        body = self.query("#body")
        if body:
            body.first().mount(SchemaBrowser(id="schema-browser"), before=0)
        bar = self.query("#editor-bar")
        if bar:
            bar.first().mount(DiagnosticLine(id="diagnostic-line"))
        for editor in self.query(HogQLEditor):
            editor.key_hook = self._completion_key

    @property
    def popup(self) -> CompletionPopup:
        return self.query_one("#completion", CompletionPopup)

    @property
    def schema_browser(self) -> SchemaBrowser:
        return self.query_one("#schema-browser", SchemaBrowser)

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

    # -- what the client can do, and whether we may ask it -------------------------------

    @property
    def _offline(self) -> bool:
        return self.pacer.now() < self._offline_until

    def _note_failure(self, error: BaseException | None) -> None:
        if _is_connection_trouble(error):
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

    # -- edits and cursor moves ----------------------------------------------------------

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        editor = event.text_area
        if not isinstance(editor, HogQLEditor):
            return
        editor.key_hook = self._completion_key
        self.diagnostics[editor.id or ""] = []
        self._show_cursor_diagnostic(editor)
        if self._validate_timer is not None:
            self._validate_timer.stop()
        if self._client_can("metadata"):
            self._validate_timer = self._later(VALIDATE_DELAY, self._validate_now)
        if self._skip_next_change:
            self._skip_next_change = False
            return
        if self._complete_timer is not None:
            self._complete_timer.stop()
        offset = editor.index_of(editor.cursor_location)
        if self._client_can("autocomplete") and wants_completion(editor.text, offset):
            self._complete_timer = self._later(COMPLETE_DELAY, self._complete_now)
        else:
            self.popup.close()

    @on(TextArea.SelectionChanged)
    def _selection_changed(self, event: TextArea.SelectionChanged) -> None:
        editor = event.text_area
        if not isinstance(editor, HogQLEditor):
            return
        self._show_cursor_diagnostic(editor)
        context = self._completion_context
        if self.popup.is_open and context is not None:
            offset = editor.index_of(editor.cursor_location)
            if not context.start <= offset <= context.end + 1:
                self.popup.close()

    def _show_cursor_diagnostic(self, editor: HogQLEditor) -> None:
        found = self.diagnostic_under_cursor(editor)
        note = ""
        if found is not None:
            note = f"{SEVERITY_MARK[found.severity]} {escape_control(found.message)}"
            if found.fix is not None:
                note += "  (alt+f: quick fix)"
        line = self.diagnostic_line
        if line is not None and line.text != note:
            line.text = note
            line.update(note)
            line.display = bool(note)

    @property
    def diagnostic_line(self) -> DiagnosticLine | None:
        """The message of the diagnostic under the cursor (beside the editor's buttons)."""
        found = self.query("#diagnostic-line")
        return found.first(DiagnosticLine) if found else None

    def diagnostic_under_cursor(self, editor: HogQLEditor) -> Diagnostic | None:
        offset = editor.index_of(editor.cursor_location)
        return diagnostic_at(self.diagnostics.get(editor.id or "", []), offset)

    # -- live validation -----------------------------------------------------------------

    def _validate_now(self) -> None:
        from workbench.hogql.split import statement_at

        self._validate_timer = None
        editor = self.editor_tabs.current_editor
        statement = statement_at(editor.text, editor.index_of(editor.cursor_location))
        if statement is None:
            self._apply_diagnostics(editor, [])
            return
        cached = self.metadata_cache.get(statement.text)
        if cached is not None:
            self._apply_metadata(editor, statement.text, cached)
            return
        if self._offline or self._budget_low():
            return  # validation pauses; the status bar says why
        if not self.pacer.try_spend():
            self._validate_timer = self._later(self.pacer.wait_time(), self._validate_now)
            return
        self._show_budget()
        self.run_worker(
            requests.validate(self.context.session, self.post_message, statement.text),
            group="assist-validate",
            exclusive=True,  # a newer statement makes the older answer useless
            exit_on_error=False,
        )

    def on_validated(self, message: requests.Validated) -> None:
        if message.metadata is None:
            self._note_failure(message.error)
            return
        _remember(self.metadata_cache, message.sql, message.metadata)
        self._apply_metadata(self.editor_tabs.current_editor, message.sql, message.metadata)

    def _apply_metadata(self, editor: HogQLEditor, sql: str, metadata: HogQLMetadata) -> None:
        from workbench.hogql.split import statement_at

        statement = statement_at(editor.text, editor.index_of(editor.cursor_location))
        if statement is None or statement.text != sql:
            return  # the text moved on; the next validation will cover it
        found = diagnostics_from(metadata, offset=statement.start, length=len(sql))
        self._apply_diagnostics(editor, found)

    def _apply_diagnostics(self, editor: HogQLEditor, found: list[Diagnostic]) -> None:
        self.diagnostics[editor.id or ""] = found
        editor.set_diagnostics([(d.start, d.end, d.severity) for d in found])
        self._show_cursor_diagnostic(editor)

    def action_quick_fix(self) -> None:
        """Replace the span under the cursor with the server's ``fix``."""
        editor = self.editor_tabs.current_editor
        found = self.diagnostic_under_cursor(editor)
        if found is None or found.fix is None:
            self.notify("No quick fix here.", markup=False)
            return
        editor.replace(found.fix, editor.location_of(found.start), editor.location_of(found.end))

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
        cached = self._completion_cache.get(key)
        if cached is not None:
            self._show_suggestions(editor, cached, "server")
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
        if message.suggestions is not None:
            _remember(self._completion_cache, message.key, message.suggestions)
            context = completion_context(sql, end)
            if context.qualifier.rsplit(".", 1)[-1] == "properties" and not context.prefix:
                self.property_keys[context.qualifier] = tuple(s.label for s in message.suggestions)
        if message.key != self._expected_completion:
            return  # stale: the user typed on
        editor = self.editor_tabs.current_editor
        if message.suggestions is None:
            self._note_failure(message.error)
            self._local_reason = "offline" if self._offline else "server failed"
            self._show_budget()
            context = completion_context(sql, end)
            self._show_suggestions(
                editor, self._local(sql, context), f"local: {self._local_reason}"
            )
            return
        self._show_suggestions(editor, message.suggestions, "server")

    def _show_suggestions(
        self, editor: HogQLEditor, suggestions: list[Suggestion], source: str
    ) -> None:
        context = self._completion_context
        if not suggestions or context is None:
            self.popup.close()
            return
        cursor = editor.cursor_screen_offset
        at = Offset(max(0, cursor.x - len(context.prefix)), cursor.y + 1)
        self.popup.open_at(suggestions, at, source)

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


def _is_connection_trouble(error: BaseException | None) -> bool:
    """Errors after which the server is not asked again until something succeeds."""
    from workbench.client.errors import NetworkError, RateLimited

    return isinstance(error, NetworkError | RateLimited | TimeoutError)
