"""HogQL for the local server: PostHog's parser, a resolver and a ClickHouse printer.

Public surface (used by ``workbench.server``'s execution layer):

- ``translate_hogql(query, *, team_id, values=None, personal_api_key=True)``
  → ``TranslatedQuery`` (with per-step ``timings``), or raises ``HogQLError`` (never
  another exception); ``values["filters"]`` (the request's HogQLFilters) fills ``{filters}``;
- ``hogql_metadata(query, *, team_id)`` → a ``HogQLMetadataResponse`` dict;
- ``hogql_autocomplete(query, *, start, end, team_id, property_keys=None)``
  → a ``HogQLAutocompleteResponse`` dict; ``property_keys(kind)`` returns the keys the
  server read with ``property_keys_sql(kind, team_id=…)`` (most frequent first);
- ``database_schema()`` → a ``DatabaseSchemaQueryResponse`` dict.
"""

from __future__ import annotations

from workbench.server.hogql.autocomplete import hogql_autocomplete, property_keys_sql
from workbench.server.hogql.errors import HogQLError
from workbench.server.hogql.metadata import hogql_metadata
from workbench.server.hogql.schema_response import database_schema
from workbench.server.hogql.translate import TranslatedQuery, translate_hogql

__all__ = [
    "HogQLError",
    "TranslatedQuery",
    "database_schema",
    "hogql_autocomplete",
    "hogql_metadata",
    "property_keys_sql",
    "translate_hogql",
]
