"""HogQL for the local server: PostHog's parser, a resolver and a ClickHouse printer.

Public surface (used by ``workbench.server``'s execution layer):

- ``translate_hogql(query, *, team_id, values=None, personal_api_key=True)``
  → ``TranslatedQuery``, or raises ``HogQLError`` (never another exception);
- ``hogql_metadata(query, *, team_id)`` → a ``HogQLMetadataResponse`` dict.
"""

from __future__ import annotations

from workbench.server.hogql.errors import HogQLError
from workbench.server.hogql.metadata import hogql_metadata
from workbench.server.hogql.translate import TranslatedQuery, translate_hogql

__all__ = ["HogQLError", "TranslatedQuery", "hogql_metadata", "translate_hogql"]
