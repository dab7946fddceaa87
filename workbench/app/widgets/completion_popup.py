"""The completion popup: label, kind and type of each suggestion, shown literally.

The kind is named for people (``field``, ``property``, ``table``, ``function``,
``keyword``); the detail is the server's type name, as sent (``String``, ``DateTime``…).

It never takes focus (typing goes on in the editor); the screen moves its highlight and
accepts from the editor's ``key_hook``. ``source`` says where the items came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.geometry import Offset
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.app.assist.ranking import friendly_kind
from workbench.app.literal import escape_control

if TYPE_CHECKING:
    from workbench.client.models import Suggestion

POPUP_ROWS = 10
"""Suggestions visible at once; the rest scroll."""

LABEL_WIDTH = 32
"""Cells for the label column; longer labels are cut with an ellipsis."""


def suggestion_prompt(suggestion: Suggestion, *, property_context: bool = False) -> Text:
    """One row: label, kind, detail; never markup, control characters escaped."""
    label = escape_control(suggestion.label)
    if len(label) > LABEL_WIDTH:
        label = label[: LABEL_WIDTH - 1] + "…"
    row = Text(label.ljust(LABEL_WIDTH))
    kind = friendly_kind(suggestion.kind, property_context=property_context)
    row.append(f" {escape_control(kind)[:10]:<10}", style="italic #87afd7")
    if suggestion.detail:
        row.append(f" {escape_control(suggestion.detail)[:24]}", style="#8a8a8a")
    return row


class CompletionPopup(OptionList):
    """A list of suggestions floating at the cursor."""

    can_focus = False

    DEFAULT_CSS = """
    CompletionPopup {
        display: none;
        position: absolute;
        overlay: screen;
        constrain: inside inflect;
        width: 72;
        max-height: 12;
        height: auto;
        border: round $primary;
        background: $panel;
        padding: 0;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.suggestions: list[Suggestion] = []
        self.source = ""
        """"server", or "local (…why…)"; the border title says it."""

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    def open_at(
        self,
        suggestions: list[Suggestion],
        at: Offset,
        source: str,
        *,
        property_context: bool = False,
    ) -> None:
        """Show ``suggestions`` with the top-left corner at screen offset ``at``
        (``property_context``: they follow a JSON field's dot, so fields are properties)."""
        self.suggestions = list(suggestions)
        self.source = source
        self.clear_options()
        self.add_options(
            Option(suggestion_prompt(s, property_context=property_context))
            for s in self.suggestions
        )
        self.border_title = source  # our own fixed words, never server text
        self.highlighted = 0
        self.styles.offset = (at.x, at.y)
        self.display = True

    def close(self) -> None:
        self.display = False
        self.suggestions = []

    def move(self, delta: int) -> None:
        """Move the highlight by ``delta`` rows, wrapping around."""
        if self.suggestions:
            current = self.highlighted or 0
            self.highlighted = (current + delta) % len(self.suggestions)

    @property
    def chosen(self) -> Suggestion | None:
        """The highlighted suggestion."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.suggestions):
            return None
        return self.suggestions[index]
