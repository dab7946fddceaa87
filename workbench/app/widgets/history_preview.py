"""Read-only preview of a history entry: facts, highlighted SQL, the error or sample rows.

Built from ``rich.text.Text`` pieces (never markup) with control characters escaped, so a
query containing ``[bold]`` or ``\\x1b[2J`` shows exactly those characters. SQL is coloured by
the HogQL lexer with the editor's style names, mapped through the monokai TextArea theme.
"""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.widgets.text_area import TextAreaTheme

from workbench.app.describe import human_duration
from workbench.app.literal import escape_control
from workbench.app.widgets.history_list import rows_text
from workbench.history import HistoryEntry, ResultSample
from workbench.hogql.highlight import style_name
from workbench.hogql.lexer import make_lexer

PREVIEW_SQL_CHARACTERS = 8_000
"""SQL beyond this (about 200 lines) is not lexed or drawn: lexing costs ~0.5 ms per 1,000
characters on the UI thread, and opening the entry still loads all of it."""

SAMPLE_PREVIEW_ROWS = 5
"""Sample rows shown under the SQL: enough to recognise a result, not a results grid."""

SAMPLE_CELL_CHARACTERS = 40
"""Each sample value is cut to this many characters."""

_lexer = make_lexer()
"""One lexer (Pygments lexers keep no per-call state)."""


def _syntax_styles() -> dict[str, Style]:
    theme = TextAreaTheme.get_builtin_theme("monokai")
    return dict(theme.syntax_styles) if theme is not None else {}


SYNTAX_STYLES = _syntax_styles()
"""Editor style name → Rich style, the same colours the editor uses."""


def highlighted_sql(sql: str) -> Text:
    """``sql`` coloured token by token; every token's text escaped, never parsed as markup."""
    clipped = sql[:PREVIEW_SQL_CHARACTERS]
    text = Text(end="")
    for _offset, token_type, value in _lexer.get_tokens_unprocessed(clipped):
        name = style_name(token_type)
        style = SYNTAX_STYLES.get(name) if name is not None else None
        text.append(escape_control(value), style or "")
    if len(sql) > len(clipped):
        text.append(f"\n… {len(sql) - len(clipped):,} more characters not shown", "dim italic")
    return text


def facts_line(entry: HistoryEntry) -> Text:
    """``done · 2026-09-21 10:15:02 UTC · 1.2 s · 1,234 rows · ×3 runs · cached``."""
    parts = [entry.state, _when(entry.started_at)]
    if entry.duration is not None:
        parts.append(human_duration(entry.duration))
    if rows := rows_text(entry):
        parts.append(rows)
    if entry.run_count > 1:
        parts.append(f"×{entry.run_count} runs since {_when(entry.first_started_at)}")
    if entry.from_cache:
        parts.append("cached")
    if entry.project_id is not None:
        parts.append(f"project {escape_control(entry.project_id)}")
    line = Text(" · ".join(parts), style="dim", end="")
    if entry.name is not None or entry.starred:
        line.append("\n")
        if entry.starred:
            line.append("★ ", "bold #ffd75f")
        if entry.name is not None:
            line.append(escape_control(entry.name), "bold")
    return line


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def error_text(entry: HistoryEntry) -> Text | None:
    """The error code and message in red, or None when the run did not fail."""
    if entry.error_message is None and entry.error_code is None:
        return None
    code = f"[{entry.error_code}] " if entry.error_code else ""
    message = escape_control(entry.error_message or "")
    return Text(f"{code}{message}", style="#ff5f5f", end="")


def sample_text(entry: HistoryEntry, sample: ResultSample | None) -> Text | None:
    """A few stored sample rows, or a line saying what is known without them."""
    if sample is None:
        if not entry.columns:
            return None
        unit = "column" if len(entry.columns) == 1 else "columns"
        return Text(f"{len(entry.columns)} {unit}: {_columns(entry.columns)}", style="dim")
    text = Text(end="")
    kept = f"{len(sample.rows):,}{'+' if sample.truncated else ''}"
    unit = "row" if len(sample.rows) == 1 else "rows"
    text.append(f"Sample: {kept} {unit} stored · {_columns(sample.columns)}\n", "dim")
    for row in sample.rows[:SAMPLE_PREVIEW_ROWS]:
        cells = (escape_control(_cell(value))[:SAMPLE_CELL_CHARACTERS] for value in row)
        text.append(" │ ".join(cells) + "\n")
    if len(sample.rows) > SAMPLE_PREVIEW_ROWS:
        text.append(f"… {len(sample.rows) - SAMPLE_PREVIEW_ROWS:,} more stored", "dim")
    return text


def _columns(columns: tuple[str, ...]) -> str:
    return escape_control(", ".join(columns))


def _cell(value: object) -> str:
    return "NULL" if value is None else str(value)


class HistoryPreview(VerticalScroll):
    """Scrollable, read-only: facts, SQL, then the error or the sample rows."""

    DEFAULT_CSS = """
    HistoryPreview { background: #272822; padding: 0 1; }
    HistoryPreview > Static { width: 1fr; }
    HistoryPreview #preview-sql { margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-facts", markup=False)
        yield Static("", id="preview-sql", markup=False)
        yield Static("", id="preview-outcome", markup=False)

    def show(self, entry: HistoryEntry | None, sample: ResultSample | None = None) -> None:
        """Draw ``entry`` (None: nothing matches); ``sample`` arrives later from a worker."""
        facts = self.query_one("#preview-facts", Static)
        sql = self.query_one("#preview-sql", Static)
        outcome = self.query_one("#preview-outcome", Static)
        if entry is None:
            facts.update(Text("No matching history.", style="dim"))
            sql.update("")
            outcome.update("")
            return
        facts.update(facts_line(entry))
        sql.update(highlighted_sql(entry.sql))
        outcome.update(error_text(entry) or sample_text(entry, sample) or "")
        self.scroll_home(animate=False)
