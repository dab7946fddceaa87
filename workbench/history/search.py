"""Turn a search box's text and filters into one SQL query over the newest run of each fold.

Every word must occur in the SQL text or the name, anywhere, ignoring case (``sel cou``
finds ``SELECT count()``). With FTS5 the trigram index finds words of three or more
characters; shorter ones, and all of them without FTS5, are LIKE tests. Newest first.
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


FTS_MIN_CHARS = 3
"""The trigram index can only look up words of at least three characters."""

RARE_STATES = frozenset({"failed", "cancelled", "running"})
"""States few entries have: walking that state's index newest first and testing the text
with LIKE beats intersecting a common word's index entries with a rare state (~1 vs 80 ms)."""


def fts_match(text: str) -> tuple[str, list[str]]:
    """``(fts_query, like_words)``: words the trigram index can find, and the shorter rest.

    A quoted word matches as a substring, so both parts mean the same as LIKE ``%word%``.
    """
    phrases: list[str] = []
    like_words: list[str] = []
    for word in text.split():
        if len(word) >= FTS_MIN_CHARS:
            phrases.append('"' + word.replace('"', '""') + '"')
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
    if full_text and filters.state not in RARE_STATES:
        match, like_words = fts_match(filters.text)
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
    if filters.saved_only or filters.starred_only:
        # Written exactly as the partial index ``runs_saved``, so the planner can use it.
        where.append("(r.starred = 1 OR r.name IS NOT NULL)")
    if filters.starred_only:
        where.append("r.starred = 1")
    columns = ", ".join(f"r.{name.strip()}" for name in ENTRY_COLUMNS.split(","))
    sql = f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    params.append(max(0, limit))
    return sql, params
