"""The HogQL editor: a ``TextArea`` highlighted by our Pygments lexer, windowed.

Textual has no public hook for a non-tree-sitter highlighter, so this overrides the private
``_build_highlight_map`` / ``_highlights`` / ``_line_cache`` (pinned: textual 8.2.x). Only the
viewport plus ``HIGHLIGHT_MARGIN_LINES`` either side is lexed, so a key press costs the same
in a 2,000-line buffer as in a 20-line one; scrolling outside the window rebuilds it.

Editor intelligence (issue 8, ``workbench.app.assist``) drives it from outside: live
validation sets ``diagnostics`` (underlined, marked in the gutter) and ``key_hook`` lets the
completion popup take tab/enter/escape/arrows; the editor itself never calls the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.document._document import Document, EditResult, Location
from textual.document._document_navigator import DocumentNavigator
from textual.document._edit import Edit
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from workbench.hogql.highlight import highlight_lines
from workbench.hogql.tokens import opaque_span_at

HIGHLIGHT_MARGIN_LINES = 8
"""Lines lexed above and below the viewport: small scrolls need no rebuild, and a key press
lexes about as much in a long buffer as in a short one."""

ERROR_STYLE_NAME = "hogql.error"
"""Highlight name of the span a HogQL error points at."""

DIAGNOSTIC_STYLE_NAMES: dict[str, str] = {
    "error": ERROR_STYLE_NAME,
    "warning": "hogql.warning",
    "notice": "hogql.notice",
}
"""Highlight name of a live-validation span, by severity."""

GUTTER_MARKS: dict[str, tuple[str, Style]] = {
    "error": ("●", Style(color="#ff5f5f", bold=True)),
    "warning": ("▲", Style(color="#ffaf00", bold=True)),
    "notice": ("•", Style(color="#5fafff")),
}
"""Gutter mark of a line with a diagnostic, by severity (the worst one on the line)."""

EDITOR_THEME_NAME = "hogql-workbench"
"""Our TextArea theme: monokai plus the error underline."""


def editor_theme() -> TextAreaTheme:
    """monokai with a red underline style for error spans."""
    base = TextAreaTheme.get_builtin_theme("monokai")
    assert base is not None
    styles = dict(base.syntax_styles)
    styles[ERROR_STYLE_NAME] = Style(underline=True, color="#ff5f5f", bgcolor="#5f0000")
    styles["hogql.warning"] = Style(underline=True, color="#ffaf00")
    styles["hogql.notice"] = Style(underline=True, color="#5fafff")
    return replace(base, name=EDITOR_THEME_NAME, syntax_styles=styles)


class HeightCachingWrappedDocument(WrappedDocument):
    """``WrappedDocument`` whose ``height`` is cached between wraps.

    Textual recomputes the height as a sum over every line for each rendered line, which
    makes every frame O(lines); the offsets only change in ``wrap`` and ``wrap_range``.
    """

    _cached_height: int | None = None

    @property
    def height(self) -> int:
        if self._cached_height is None:
            self._cached_height = super().height
        return self._cached_height

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._cached_height = None
        super().wrap(width, tab_width)

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        self._cached_height = None
        super().wrap_range(start, old_end, new_end)


class HogQLEditor(TextArea):
    """A code editor for HogQL with windowed highlighting and an error underline."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        # Set before super().__init__: it builds the highlight map while loading the text.
        self._highlight_window = (0, 0)
        self._error_span: tuple[int, int] | None = None
        self._diagnostic_spans: list[tuple[int, int, str]] = []
        self._gutter_marks: dict[int, str] = {}
        self.key_hook: Callable[[str], bool] | None = None
        """Called with each key first; returning True consumes it (the completion popup)."""
        self._line_widths: dict[str, int] = {}
        self._clean_start: tuple[list[str], bool] | None = None
        super().__init__(
            text,
            language=None,
            soft_wrap=False,
            tab_behavior="indent",
            show_line_numbers=True,
            id=id,
        )
        self.register_theme(editor_theme())
        self.theme = EDITOR_THEME_NAME

    # -- error span ---------------------------------------------------------------------

    @property
    def error_span(self) -> tuple[int, int] | None:
        """Character offsets (start, end) of the underlined error, or None."""
        return self._error_span

    def set_error_span(self, start: int, end: int) -> None:
        """Underline ``text[start:end]`` (character offsets) and move the cursor there."""
        length = len(self.text)
        start = max(0, min(start, length))
        end = max(start + 1, min(end, length)) if length else start
        self._error_span = (start, end)
        self._build_highlight_map()
        self.refresh()

    def clear_error_span(self) -> None:
        """Remove the error underline (done on every edit: the offsets are stale)."""
        if self._error_span is not None:
            self._error_span = None
            self._build_highlight_map()
            self.refresh()

    # -- live-validation diagnostics ----------------------------------------------------

    @property
    def diagnostic_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, severity) of every underlined diagnostic, character offsets."""
        return list(self._diagnostic_spans)

    def set_diagnostics(self, spans: Sequence[tuple[int, int, str]]) -> None:
        """Underline each (start, end, severity) span and mark its lines in the gutter."""
        if not spans and not self._diagnostic_spans:
            return
        length = len(self.text)
        clamped = []
        for start, end, severity in spans:
            start = max(0, min(start, length))
            clamped.append((start, max(start, min(end, length)), severity))
        self._diagnostic_spans = clamped
        self._build_highlight_map()
        self.refresh()

    def _add_diagnostic_highlights(self) -> None:
        marks: dict[int, str] = {}
        rank = list(GUTTER_MARKS)
        for start, end, severity in self._diagnostic_spans:
            self._add_span_highlight(
                start, end, DIAGNOSTIC_STYLE_NAMES.get(severity, "hogql.notice")
            )
            row = self.location_of(start)[0]
            if row not in marks or rank.index(severity) < rank.index(marks[row]):
                marks[row] = severity
        self._gutter_marks = marks

    def _render_line(self, y: int) -> Strip:
        strip = super()._render_line(y)
        row = int(self.scroll_y) + y  # soft_wrap is off: one screen row per line
        severity = self._gutter_marks.get(row)
        if severity is None or not self.show_line_numbers:
            return strip
        mark, style = GUTTER_MARKS[severity]
        # The gutter ends in two spaces of margin; the first one carries the mark.
        at = self.gutter_width - 2
        left, margin, right = strip.divide([at, at + 1, strip.cell_length])
        under = next(iter(margin), None)
        base = under.style if under is not None and under.style is not None else Style()
        return Strip.join([left, Strip([Segment(mark, base + style)], 1), right])

    async def _on_key(self, event: events.Key) -> None:
        if self.key_hook is not None and self.key_hook(event.key):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    # -- highlighting -------------------------------------------------------------------

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        # Swap in a wrapped document that caches its height (see HeightCachingWrappedDocument).
        self.wrapped_document = HeightCachingWrappedDocument(
            self.document, tab_width=self.indent_width
        )
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._rewrap_and_refresh_virtual_size()

    def _window_for_viewport(self) -> tuple[int, int]:
        top = int(self.scroll_y)
        height = self.size.height or 40  # before the first layout: a generous guess
        return max(0, top - HIGHLIGHT_MARGIN_LINES), top + height + HIGHLIGHT_MARGIN_LINES

    def _build_highlight_map(self) -> None:
        """Lex only the window around the viewport into ``_highlights`` (UTF-8 byte columns)."""
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        document = self.document
        line_count = document.line_count
        first, last = self._window_for_viewport()
        last = min(last, line_count)
        self._highlight_window = (first, last)
        lines = document.lines
        if first > 0 and self._window_starts_clean(lines, first):
            # Lex from the window's first row: nothing above it can change its tokens.
            window = highlight_lines(lines[first:last])
            for offset_row, spans in window.items():
                highlights[first + offset_row].extend(spans)
        else:
            for row, spans in highlight_lines(lines, first, last).items():
                highlights[row].extend(spans)
        self._gutter_marks = {}
        if self._diagnostic_spans:
            self._add_diagnostic_highlights()
        if self._error_span is not None:
            self._add_error_highlight()

    def index_of(self, location: tuple[int, int]) -> int:
        """Character offset in ``text`` of a (row, column) location."""
        document = self.document
        assert isinstance(document, Document)
        return document.get_index_from_location(location)

    def location_of(self, index: int) -> tuple[int, int]:
        """(row, column) of a character offset in ``text``."""
        document = self.document
        assert isinstance(document, Document)
        return document.get_location_from_index(index)

    def _window_starts_clean(self, lines: list[str], first: int) -> bool:
        """True when row ``first`` does not begin inside a string or comment.

        Remembered with the lines above it: while typing inside the window those line
        objects stay the same, so the buffer's prefix is not re-scanned on every key.
        """
        cached = self._clean_start
        if cached is not None:
            prefix, clean = cached
            if len(prefix) == first and all(a is b for a, b in zip(prefix, lines, strict=False)):
                return clean
        text = "\n".join(lines[: first + 1])
        clean = opaque_span_at(text, len(text) - len(lines[first])) is None
        self._clean_start = (lines[:first], clean)
        return clean

    def _refresh_size(self) -> None:
        """Textual's version measures every line on every edit; widths are cached per line."""
        if self.soft_wrap:
            super()._refresh_size()
            return
        lines = self.document.lines
        widths = self._line_widths
        if len(widths) > 2 * len(lines) + 100:
            widths.clear()
        tab_width = self.indent_width
        widest = 0
        for line in lines:
            width = widths.get(line)
            if width is None:
                width = widths[line] = cell_len(line.expandtabs(tab_width))
            widest = max(widest, width)
        self.virtual_size = Size(widest + self.gutter_width + 1, len(lines))
        self._refresh_scrollbars()

    def _add_error_highlight(self) -> None:
        assert self._error_span is not None
        self._add_span_highlight(*self._error_span, ERROR_STYLE_NAME)

    def _add_span_highlight(self, start: int, end: int, style_name: str) -> None:
        document = self.document
        start_row, start_col = self.location_of(start)
        end_row, end_col = self.location_of(end)
        for row in range(start_row, end_row + 1):
            line = document.get_line(row)
            col_from = start_col if row == start_row else 0
            col_to = end_col if row == end_row else len(line)
            byte_from = len(line[:col_from].encode("utf-8"))
            byte_to = len(line[:col_to].encode("utf-8"))
            if byte_to > byte_from:
                self._highlights[row].append((byte_from, byte_to, style_name))

    def _watch_scroll_y(self) -> None:
        super()._watch_scroll_y()
        first, last = self._highlight_window
        top = int(self.scroll_y)
        bottom = top + self.size.height
        if (top < first or bottom > last) and not (first == 0 and last >= self.document.line_count):
            self._build_highlight_map()
            self.refresh()

    def edit(self, edit: Edit) -> EditResult:
        """Any edit invalidates the error's (and the diagnostics') offsets."""
        self._error_span = None
        self._diagnostic_spans = []
        return super().edit(edit)

    def undo(self) -> None:
        """Undo bypasses ``edit``: drop the error underline here too."""
        self._error_span = None
        self._diagnostic_spans = []
        super().undo()

    def redo(self) -> None:
        self._error_span = None
        self._diagnostic_spans = []
        super().redo()
