"""Editor-support query kinds: synchronous, uncached, answered without ClickHouse.

Each handler takes the query node and the team id and returns the response body (always
200; problems are reported inside it). They run in a worker thread. Issues 7/8 add
``HogQLAutocomplete`` and ``DatabaseSchemaQuery`` here; until then those kinds get a 400
``Unsupported query kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.server.errors import parse_error
from workbench.server.translator import Translator

EditorKindHandler = Callable[[dict[str, Any], int], dict[str, Any]]
"""``handler(query_node, team_id) -> response body``; raises ``ApiError`` for bad input."""


def editor_kind_handlers(translator: Translator) -> dict[str, EditorKindHandler]:
    """The supported editor kinds by name."""

    def metadata(query: dict[str, Any], team_id: int) -> dict[str, Any]:
        text = query.get("query")
        if not isinstance(text, str):
            raise parse_error("Input should be a valid string [loc=('query', 'query')]")
        return translator.metadata(text, team_id=team_id)

    return {"HogQLMetadata": metadata}
