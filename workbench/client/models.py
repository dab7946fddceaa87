"""Typed values the client returns. Plain frozen dataclasses; parsing lives elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pyarrow


@dataclass(frozen=True)
class QueryProgress:
    """PostHog's ``query_progress`` while a query runs; times in seconds (not microseconds)."""

    rows_read: int
    bytes_read: int
    estimated_rows_total: int
    time_elapsed: float
    active_cpu_time: float

    @property
    def fraction(self) -> float | None:
        """Rows read over the estimate, in [0, 1], or ``None`` without an estimate."""
        if self.estimated_rows_total <= 0:
            return None
        return min(1.0, self.rows_read / self.estimated_rows_total)


@dataclass(frozen=True)
class QueryResult:
    """A finished query. ``rows`` holds at most ``row_limit`` rows.

    ``truncated`` is True when more rows exist than were returned: our LIMIT probe brought
    back ``row_limit + 1`` rows, PostHog said ``hasMore``, or the caller's own LIMIT exceeded
    ``row_limit``. ``elapsed`` is seconds from submit to result, measured here.
    """

    client_query_id: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: list[list[Any]] = field(repr=False)
    truncated: bool
    limit_added: bool
    row_limit: int
    is_cached: bool
    last_refresh: datetime | None
    hogql: str | None
    clickhouse: str | None
    timings: list[tuple[str, float]] | None
    elapsed: float

    def cache_age(self, now: datetime | None = None) -> float | None:
        """Seconds since PostHog computed the result (``last_refresh``), or None if unknown."""
        if self.last_refresh is None or self.last_refresh.tzinfo is None:
            return None
        current = now if now is not None else datetime.now(UTC)
        return max(0.0, (current - self.last_refresh).total_seconds())

    @property
    def row_count(self) -> int:
        """Rows returned (after trimming to ``row_limit``), also after ``without_rows``."""
        table = self.__dict__.get("_arrow")
        return len(self.rows) if self.rows or table is None else int(table.num_rows)

    def to_arrow(self) -> pyarrow.Table:
        """The rows as a columnar Arrow table, typed from the ClickHouse types. Cached."""
        return self._arrow

    def without_rows(self) -> QueryResult:
        """A copy holding only the columnar form: the Python rows, most of the memory, go.

        ``to_arrow()`` on the copy returns the same table; ``rows`` is empty.
        """
        table = self.to_arrow()
        slim = replace(self, rows=[])
        slim.__dict__["_arrow"] = table  # the cached_property's own slot (frozen dataclass)
        return slim

    @cached_property
    def _arrow(self) -> pyarrow.Table:
        from workbench.client.arrow import rows_to_table

        return rows_to_table(self.columns, self.types, self.rows)


@dataclass(frozen=True)
class Project:
    """A PostHog project the key can see. ``timezone`` is an IANA name such as ``UTC``."""

    id: int
    name: str
    timezone: str | None = None
    organization: str | None = None


@dataclass(frozen=True)
class MetadataNotice:
    """An error, warning or notice from HogQLMetadata; offsets are characters into the SQL."""

    message: str
    start: int | None = None
    end: int | None = None
    fix: str | None = None


@dataclass(frozen=True)
class HogQLMetadata:
    """Whether the SQL is valid, with positioned problems and the tables it reads."""

    is_valid: bool
    errors: tuple[MetadataNotice, ...]
    warnings: tuple[MetadataNotice, ...]
    notices: tuple[MetadataNotice, ...]
    table_names: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """One autocomplete item: show ``label``, insert ``insert_text``; ``kind`` as in Monaco."""

    label: str
    insert_text: str
    kind: str
    detail: str | None = None
    documentation: str | None = None


class Completions(list[Suggestion]):
    """A ``HogQLAutocomplete`` answer: the suggestions in the server's order (a list, so
    callers that only want them need nothing else) and ``incomplete_list``.

    ``incomplete_list`` is True when the server cut the list (PostHog: more than 220 property
    names contain the typed term): narrowing the word may then bring new items, so an answer
    kept for the word must be asked again as it grows.
    """

    def __init__(self, suggestions: Iterable[Suggestion] = (), *, incomplete_list: bool = False):
        super().__init__(suggestions)
        self.incomplete_list = incomplete_list

    def __repr__(self) -> str:
        return f"Completions({list.__repr__(self)}, incomplete_list={self.incomplete_list})"


@dataclass(frozen=True)
class SchemaField:
    """A column (or a traverser/lazy join) of a schema table, as DatabaseSchemaQuery says."""

    name: str
    hogql_value: str
    type: str
    table: str | None = None
    fields: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemaTable:
    """A table of the project's HogQL database; ``type`` is e.g. ``posthog`` or ``view``."""

    name: str
    type: str
    fields: tuple[SchemaField, ...]
    row_count: int | None = None


@dataclass(frozen=True)
class DatabaseSchema:
    """Every table HogQL knows about in this project, by name."""

    tables: dict[str, SchemaTable]
