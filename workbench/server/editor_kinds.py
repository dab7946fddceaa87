"""Editor-support query kinds: synchronous, uncached, always 200 for any query text.

Each handler takes the query node and the team id and returns the response body (problems
are reported inside it; only a malformed request node is a 400). They run in a worker
thread. ``HogQLMetadata`` and ``DatabaseSchemaQuery`` need no ClickHouse; ``HogQLAutocomplete``
reads property keys from the data through a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.server.autocomplete import AutocompleteKind
from workbench.server.config import ServerConfig
from workbench.server.engine import ChdbEngine
from workbench.server.errors import parse_error
from workbench.server.hogql_runner import HogQLRunner
from workbench.server.property_keys import SCAN_TIME_LIMIT, PropertyKeyCache, chdb_key_loader
from workbench.server.schema_query import SchemaKind
from workbench.server.translator import Translator

EditorKindHandler = Callable[[dict[str, Any], int], dict[str, Any]]
"""``handler(query_node, team_id) -> response body``; raises ``ApiError`` for bad input."""


def editor_kind_handlers(
    translator: Translator, config: ServerConfig, engine: ChdbEngine
) -> dict[str, EditorKindHandler]:
    """The supported editor kinds by name."""
    # The translator package is loaded at run time, as in ``load_translator``.
    from workbench.server.hogql import database_schema, hogql_autocomplete, property_keys_sql

    def metadata(query: dict[str, Any], team_id: int) -> dict[str, Any]:
        text = query.get("query")
        if not isinstance(text, str):
            raise parse_error("Input should be a valid string [loc=('query', 'query')]")
        return translator.metadata(text, team_id=team_id, debug=query.get("debug") is True)

    # The key scans run with the same guards as user queries (read-only, memory, time zone).
    guards = HogQLRunner(config, engine, translator).query_settings(SCAN_TIME_LIMIT)
    keys = PropertyKeyCache(
        chdb_key_loader(engine, property_keys_sql, guards),
        background=engine.query_executor.submit,
    )
    for kind in ("event", "person"):  # so the first `properties.` does not wait for a scan
        keys.prefetch(kind, config.project_id)
    return {
        "HogQLMetadata": metadata,
        "HogQLAutocomplete": AutocompleteKind(hogql_autocomplete, keys.keys),
        "DatabaseSchemaQuery": SchemaKind(database_schema),
    }
