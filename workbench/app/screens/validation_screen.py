"""Live validation: HogQLMetadata ``VALIDATE_DELAY`` after typing stops, on the statement
at the cursor; problems underlined by severity with a gutter mark, the message of the one
under the cursor beside the editor's buttons, and alt+f applying the server's ``fix``."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from textual import events, on
from textual.widgets import Static, TextArea

from workbench.app.assist import requests
from workbench.app.assist.diagnostics import Diagnostic, diagnostic_at, diagnostics_from
from workbench.app.literal import escape_control
from workbench.app.screens.assist_base import AssistBase, remember
from workbench.app.widgets.editor import HogQLEditor

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.client import HogQLMetadata

VALIDATE_DELAY = 0.3
"""Seconds after the last key before HogQLMetadata is asked (issue 8: about 300 ms)."""

SEVERITY_MARK = {"error": "✗", "warning": "⚠", "notice": "ℹ"}
"""Prefix of the cursor's diagnostic message."""


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


class ValidationScreen(AssistBase):
    """Validates the statement at the cursor and shows its problems."""

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__(context)
        self.diagnostics: dict[str, list[Diagnostic]] = {}
        """Per editor id: the current diagnostics, buffer offsets."""
        self.metadata_cache: OrderedDict[str, HogQLMetadata] = OrderedDict()
        """HogQLMetadata answers by statement text."""

    @on(events.Mount)
    def _mount_diagnostic_line(self) -> None:
        bar = self.query("#editor-bar")
        if bar:
            bar.first().mount(DiagnosticLine(id="diagnostic-line"))

    @on(TextArea.Changed)
    def _validate_after_typing(self, event: TextArea.Changed) -> None:
        editor = event.text_area
        if not isinstance(editor, HogQLEditor):
            return
        self.diagnostics[editor.id or ""] = []  # the editor dropped the stale underlines
        self._show_cursor_diagnostic(editor)
        if self._validate_timer is not None:
            self._validate_timer.stop()
            self._validate_timer = None
        if self._client_can("metadata"):
            self._validate_timer = self._later(VALIDATE_DELAY, self._validate_now)

    @on(TextArea.SelectionChanged)
    def _cursor_moved(self, event: TextArea.SelectionChanged) -> None:
        if isinstance(event.text_area, HogQLEditor):
            self._show_cursor_diagnostic(event.text_area)

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
            # Validation pauses until an edit once the server is back; the status bar says so.
            self._local_reason = "offline" if self._offline else "budget low"
            self._show_budget()
            return
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
        remember(self.metadata_cache, message.sql, message.metadata)
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
