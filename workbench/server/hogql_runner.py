"""Run one HogQLQuery: translate, execute on chDB, build PostHog's ``HogQLQueryResponse``."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.server.clickhouse_errors import api_error_for
from workbench.server.config import ServerConfig
from workbench.server.engine import ChdbEngine, ClickHouseError, RawResult, settings_clause
from workbench.server.errors import ApiError, parse_error
from workbench.server.status_store import utc_iso
from workbench.server.translator import TranslatedQueryLike, Translator
from workbench.server.values import convert_rows

PAGE_SIZE = 100
"""Rows returned for a LIMIT-less query; the translator fetched one more to detect hasMore."""

DEFAULT_MODIFIERS: dict[str, Any] = {
    "personsOnEventsMode": "person_id_override_properties_on_events",
    "personsArgMaxVersion": "auto",
    "inCohortVia": "auto",
    "materializationMode": "legacy_null_as_null",
    "bounceRatePageViewMode": "count_pageviews",
    "sessionTableVersion": "auto",
    "propertyGroupsMode": "optimized",
    "convertToProjectTimezone": True,
    "debug": None,
    "timings": None,
}
"""The effective team modifiers reported in every response (request modifiers override)."""

PERSONS_ON_EVENTS_MODES = (
    "disabled",
    "person_id_no_override_properties_on_events",
    "person_id_override_properties_on_events",
    "person_id_override_properties_joined",
)
"""PostHog's ``PersonsOnEventsMode`` enum values (the translator's ``POE_MODES``)."""


def check_modifiers(modifiers: object) -> None:
    """400 as PostHog's request schema answers an unknown ``personsOnEventsMode``."""
    mode = modifiers.get("personsOnEventsMode") if isinstance(modifiers, dict) else None
    if mode is not None and mode not in PERSONS_ON_EVENTS_MODES:
        allowed = ", ".join(f"'{m}'" for m in PERSONS_ON_EVENTS_MODES[:-1])
        raise parse_error(
            f"Input should be {allowed} or '{PERSONS_ON_EVENTS_MODES[-1]}' "
            "[loc=('query', 'modifiers', 'personsOnEventsMode')]"
        )


def hogql_error_to_api(
    error: Exception, query: str, translator: Translator, *, team_id: int
) -> ApiError:
    """400 with PostHog's code, offsets in ``extra.hogql_metadata`` and referenced tables."""
    message = str(getattr(error, "message", error))
    code = str(getattr(error, "code", "hogql_error"))
    tables: list[str] = []
    with contextlib.suppress(Exception):  # the table list is a nicety; the error matters
        tables = list(translator.metadata(query, team_id=team_id).get("table_names") or [])
    detail = message + (f"\nTables referenced: {', '.join(tables)}" if tables else "")
    notice = {
        "message": message,
        "start": getattr(error, "start", None),
        "end": getattr(error, "end", None),
        "fix": None,
    }
    metadata = {
        "query": query,
        "isValid": False,
        "errors": [notice],
        "warnings": [],
        "notices": [],
        "table_names": tables,
    }
    return ApiError(400, "validation_error", code, detail, extra={"hogql_metadata": metadata})


class HogQLRunner:
    """Translates and executes HogQL; one instance per server."""

    def __init__(self, config: ServerConfig, engine: ChdbEngine, translator: Translator) -> None:
        self._config = config
        self._engine = engine
        self._translator = translator

    async def translate(self, query: dict[str, Any], team_id: int) -> TranslatedQueryLike:
        """Translate in a worker thread (the C++ parser takes milliseconds); 400 on errors."""
        check_modifiers(query.get("modifiers"))
        outcome = await asyncio.to_thread(self._translate_or_error, query, team_id)
        if isinstance(outcome, ApiError):
            raise outcome
        return outcome

    def _translate_or_error(
        self, query: dict[str, Any], team_id: int
    ) -> TranslatedQueryLike | ApiError:
        # Both the translation and the error's metadata parse run off the event loop.
        try:
            return self._translator.translate(
                query["query"],
                team_id=team_id,
                values=query.get("values"),
                personal_api_key=True,
                modifiers=query.get("modifiers"),
            )
        except self._translator.error_type as exc:
            return hogql_error_to_api(exc, query["query"], self._translator, team_id=team_id)

    def query_settings(self, max_execution_time: int) -> dict[str, int | str]:
        """The guards every query runs with (also shown in the ``clickhouse`` field)."""
        return {
            "readonly": 2,
            "max_execution_time": max_execution_time,
            "max_memory_usage": self._config.max_memory_usage,
            "session_timezone": self._config.timezone,
        }

    async def execute(
        self,
        translated: TranslatedQueryLike,
        *,
        tag: str,
        max_execution_time: int,
        cancelled: threading.Event,
    ) -> RawResult:
        """Run the ClickHouse SQL on the pool; ClickHouse errors become PostHog's HTTP errors."""
        settings: dict[str, int | str] = {
            **self.query_settings(max_execution_time),
            "output_format_json_quote_64bit_integers": 0,
        }
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._engine.query_executor,
                lambda: self._engine.execute(
                    translated.clickhouse, tag=tag, settings=settings, cancelled=cancelled
                ),
            )
        except ClickHouseError as exc:
            raise api_error_for(exc) from exc

    async def run(
        self,
        query: dict[str, Any],
        *,
        team_id: int,
        tag: str,
        max_execution_time: int,
        cancelled: threading.Event,
        cache_key: str,
    ) -> dict[str, Any]:
        """The complete ``HogQLQueryResponse`` dict for one query (``is_cached`` false)."""
        started = time.perf_counter()
        translated = await self.translate(query, team_id)
        translated_at = time.perf_counter()
        raw = await self.execute(
            translated, tag=tag, max_execution_time=max_execution_time, cancelled=cancelled
        )
        finished = time.perf_counter()
        timings = [
            {"k": "./translate", "t": round(translated_at - started, 6)},
            {"k": "./clickhouse_execute", "t": round(finished - translated_at, 6)},
            {"k": ".", "t": round(finished - started, 6)},
        ]
        shown_sql = translated.clickhouse_display + settings_clause(
            self.query_settings(max_execution_time)
        )
        return self.response(
            query, translated, raw, timings=timings, cache_key=cache_key, clickhouse=shown_sql
        )

    def response(
        self,
        query: dict[str, Any],
        translated: TranslatedQueryLike,
        raw: RawResult,
        *,
        timings: list[dict[str, Any]],
        cache_key: str,
        clickhouse: str,
    ) -> dict[str, Any]:
        """Assemble the response with every key PostHog sends (unset ones null).

        ``clickhouse`` is the SQL as shown: placeholders plus the SETTINGS clause, as PostHog.
        """
        types = [[name, type_name] for name, type_name in raw.meta]
        rows = convert_rows([type_name for _, type_name in raw.meta], raw.rows)
        has_more: bool | None = None
        limit: int | None = None
        offset: int | None = None
        if translated.paginate:
            has_more = len(rows) > PAGE_SIZE
            rows = rows[:PAGE_SIZE]
            limit, offset = PAGE_SIZE, 0
        columns = list(translated.columns)
        if len(columns) != len(types):
            columns = [name for name, _ in raw.meta]
        modifiers = {**DEFAULT_MODIFIERS, **(query.get("modifiers") or {})}
        now = datetime.now(UTC)
        return {
            "results": rows,
            "columns": columns,
            "types": types,
            "hogql": translated.hogql,
            "clickhouse": clickhouse,
            "query": None,
            "timings": timings if modifiers.get("timings") else None,
            "error": None,
            "explain": None,
            "metadata": None,
            "hasMore": has_more,
            "limit": limit,
            "offset": offset,
            "modifiers": modifiers,
            "warnings": None,
            "is_cached": False,
            "last_refresh": utc_iso(now),
            "next_allowed_client_refresh": utc_iso(now + timedelta(minutes=1)),
            "cache_key": cache_key,
            "cache_target_age": utc_iso(now + timedelta(hours=6)),
            "timezone": self._config.timezone,
            "calculation_trigger": None,
            "query_metadata": None,
            "query_status": None,
            "resolved_date_range": None,
        }
