"""The browser's headless parts: filters → search arguments, list rows, the SQL preview."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.app.history_query import (
    STATE_CHOICES,
    BrowserQuery,
    next_choice,
    since_for,
)
from workbench.app.widgets.history_list import row_text, sql_snippet
from workbench.app.widgets.history_preview import PREVIEW_SQL_CHARACTERS, highlighted_sql
from workbench.history import HistoryEntry

NOW = datetime(2026, 9, 21, 12, 0, tzinfo=UTC)


def entry(**changes: Any) -> HistoryEntry:
    base = HistoryEntry(
        id=7, sql="select 1", name=None, starred=False, host="https://us.posthog.com",
        project_id="1", client_query_id=None, source="app", state="done",
        started_at=NOW - timedelta(minutes=3), ended_at=NOW, duration=1.25, row_count=1_500,
        truncated=False, from_cache=False, error_code=None, error_message=None, columns=(),
        types=(), run_count=1, first_started_at=NOW - timedelta(minutes=3), has_sample=False,
    )  # fmt: skip
    return replace(base, **changes)


def test_filters_become_search_arguments() -> None:
    query = BrowserQuery(text="sel cou")
    assert query.search_kwargs(NOW, project_id="1", host="h") == {
        "text": "sel cou", "saved_only": False, "project": "1", "host": "h",
    }  # fmt: skip
    wide = BrowserQuery(saved=True, state="failed", date="7 days", project="all projects")
    assert wide.search_kwargs(NOW, project_id="1", host="h") == {
        "text": "", "saved_only": True, "state": "failed", "since": NOW - timedelta(days=7),
    }  # fmt: skip
    assert "project" not in BrowserQuery().search_kwargs(NOW, project_id=None, host=None)


def test_today_starts_at_local_midnight_and_choices_wrap() -> None:
    today = since_for("today", NOW)
    assert today is not None and today <= NOW and NOW - today < timedelta(days=1)
    local = today.astimezone()
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert since_for("all", NOW) is None
    assert next_choice(STATE_CHOICES, "cancelled") == "all"


def test_a_row_has_state_age_duration_rows_and_markers() -> None:
    row = row_text(entry(run_count=4, starred=True, name="weekly\nsignups"), NOW)
    assert row.plain == "✓   3 min ago   1.2 s  1,500 rows  ×4 ★ weekly signups · select 1"
    running = row_text(entry(state="running", duration=None, row_count=None), NOW).plain
    assert running.startswith("▶   3 min ago") and running.endswith("  select 1")
    assert " 1.5M+ rows" in row_text(entry(row_count=1_500_000, truncated=True), NOW).plain


def test_rows_and_preview_never_interpret_markup_or_control_characters() -> None:
    sql = "-- note\nselect '[bold]x[/]',\n  '\x1b[2J' from events"
    assert sql_snippet(sql) == "select '[bold]x[/]', '\\x1b[2J' from events"
    row = row_text(entry(sql=sql, name="[red]n\x07"), NOW).plain
    assert "[red]n\\x07 · select '[bold]x[/]'" in row and "\x1b" not in row
    preview = highlighted_sql(sql)
    assert preview.plain == sql.replace("\x1b", "\\x1b")
    assert any(span.style for span in preview.spans)  # keywords and strings are coloured


def test_preview_stops_at_a_cap() -> None:
    sql = "select 1 " + "x" * (PREVIEW_SQL_CHARACTERS + 100)
    text = highlighted_sql(sql).plain
    assert text.startswith("select 1 x") and text.endswith("109 more characters not shown")
