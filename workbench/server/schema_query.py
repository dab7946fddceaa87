"""The ``DatabaseSchemaQuery`` kind: the translator's schema, serialised once per server.

The tables, fields, lazy joins and virtual tables are defined once, in the translator's
``workbench.server.hogql.database``; its ``database_schema()`` writes them in PostHog's
``DatabaseSchemaQueryResponse`` shape. This module only serves that answer: it is the same
for every request (no per-team schema in the stand-in), so it is built on first use and
reused, and a failure to build it is PostHog's 503 ``database_schema_unavailable``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from workbench.server.errors import ApiError

logger = logging.getLogger(__name__)

SchemaBuilder = Callable[[], dict[str, object]]
"""``database_schema()`` from the translator: ``{tables: {...}, joins: [...]}``."""


def schema_unavailable() -> ApiError:
    """503 as newer PostHog answers when the schema cannot be built."""
    return ApiError(
        503,
        "server_error",
        "database_schema_unavailable",
        "The database schema is temporarily unavailable. Please try again.",
    )


class SchemaKind:
    """``handler(query_node, team_id)`` for the editor-kind registry."""

    def __init__(self, build: SchemaBuilder) -> None:
        self._build = build
        self._schema: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def __call__(self, query: dict[str, Any], team_id: int) -> dict[str, Any]:
        del query, team_id  # one schema for everyone; ``connectionId`` is for warehouses
        with self._lock:
            if self._schema is None:
                try:
                    self._schema = dict(self._build())
                except Exception as exc:
                    logger.exception("building the database schema failed")
                    raise schema_unavailable() from exc
            return self._schema
