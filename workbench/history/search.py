"""Turn a search box's text and filters into one SQL query over the newest run of each fold.

With FTS5 each word becomes a prefix term (``sel cou`` finds ``SELECT count()``) matched
against SQL text and name; words with no letters or digits, and everything when FTS5 is
missing, become case-insensitive substring (LIKE) tests. Results are newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workbench.history.model import ENTRY_STATES

ENTRY_COLUMNS = (
    "id, sql, name, starred, host, project_id, client_query_id, source, state, started_at, "
    "ended_at, duration, row_count, truncated, from_cache, error_code, error_message, "
    "columns, types, run_count, first_started_at, has_sample"
)
"""The ``runs`` columns a ``HistoryEntry`` is built from, in ``row_to_entry`` order."""


@dataclass(frozen=True)
class Filters:
    """Everything a history list can be narrowed by; all optional, combined with AND.

    ``since``/``until`` bound the newest run's start (inclusive/exclusive), aware datetimes.
    """

    text: str = ""
    state: str | None = None
    project: str | None = None
    host: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    saved_only: bool = False
    starred_only: bool = False

    def __post_init__(self) -> None:
        if self.state is not None and self.state not in ENTRY_STATES:
            raise ValueError(f"unknown state {self.state!r}; expected one of {ENTRY_STATES}")


def fts_terms(text: str) -> tuple[str, list[str]]:
    """``(fts_query, like_words)``: words with a letter or digit go to FTS5, the rest to LIKE."""
    phrases: list[str] = []
    like_words: list[str] = []
    for word in text.split():
        if any(ch.isalnum() for ch in word):
            phrases.append('"' + word.replace('"', '""') + '"*')
        else:
            like_words.append(word)
    return " ".join(phrases), like_words


def like_pattern(word: str) -> str:
    """A LIKE pattern matching ``word`` anywhere, with ``%``, ``_`` and ``\\`` taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def build_query(filters: Filters, *, full_text: bool, limit: int) -> tuple[str, list[object]]:
    """SQL and parameters listing matching entries, newest first, at most ``limit``."""
    where = ["r.latest = 1"]
    params: list[object] = []
    source = "runs AS r"
    order = "r.id DESC"
    like_words = filters.text.split()
    if full_text and filters.text.strip():
        match, like_words = fts_terms(filters.text)
        if match:
            # FTS5 walks its index in rowid order, so newest-first needs no sort.
            source = "runs_fts AS f JOIN runs AS r ON r.id = f.rowid"
            where.append("runs_fts MATCH ?")
            params.append(match)
            order = "f.rowid DESC"
    for word in like_words:
        where.append("(r.sql LIKE ? ESCAPE '\\' OR r.name LIKE ? ESCAPE '\\')")
        pattern = like_pattern(word)
        params += [pattern, pattern]
    if filters.state is not None:
        where.append("r.state = ?")
        params.append(filters.state)
    if filters.project is not None:
        where.append("r.project_id = ?")
        params.append(str(filters.project))
    if filters.host is not None:
        where.append("r.host = ?")
        params.append(filters.host)
    if filters.since is not None:
        where.append("r.started_at >= ?")
        params.append(filters.since.timestamp())
    if filters.until is not None:
        where.append("r.started_at < ?")
        params.append(filters.until.timestamp())
    if filters.starred_only:
        where.append("r.starred = 1")
    if filters.saved_only:
        where.append("(r.starred = 1 OR r.name IS NOT NULL)")
    columns = ", ".join(f"r.{name.strip()}" for name in ENTRY_COLUMNS.split(","))
    sql = f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    params.append(max(0, limit))
    return sql, params
