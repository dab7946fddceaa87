"""Worker coroutines of editor intelligence and the messages they post.

As in ``workbench.app.workers``, they never touch widgets. A client without the method
(an older fake, a stub) simply yields nothing: validation and completion are extras.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from workbench.app.workers import ClientSession, Post
    from workbench.client import DatabaseSchema, HogQLMetadata, Suggestion

ASSIST_TIMEOUT = 10.0
"""Seconds a validation or completion request may take before it is dropped quietly."""


class Validated(Message):
    """HogQLMetadata answered for ``sql`` (or failed: ``metadata`` None, ``error`` set)."""

    def __init__(
        self, sql: str, metadata: HogQLMetadata | None, error: BaseException | None = None
    ) -> None:
        super().__init__()
        self.sql = sql
        self.metadata = metadata
        self.error = error


class Completed(Message):
    """HogQLAutocomplete answered for ``(sql, start, end)``; ``error`` set when it failed.

    ``incomplete`` is the answer's ``incomplete_list``: the server cut the list.
    """

    def __init__(
        self,
        key: tuple[str, int, int],
        suggestions: list[Suggestion] | None,
        error: BaseException | None = None,
        *,
        incomplete: bool = False,
    ) -> None:
        super().__init__()
        self.key = key
        self.suggestions = suggestions
        self.error = error
        self.incomplete = incomplete


class SchemaLoaded(Message):
    """DatabaseSchemaQuery answered (``schema`` None when it failed or is unsupported)."""

    def __init__(self, schema: DatabaseSchema | None) -> None:
        super().__init__()
        self.schema = schema


class PropertyKeysLoaded(Message):
    """Property keys of ``table`` (asked as ``SELECT properties. FROM table``)."""

    def __init__(self, table: str, keys: tuple[str, ...]) -> None:
        super().__init__()
        self.table = table
        self.keys = keys


async def _client_method(session: ClientSession, name: str) -> Any:
    client = await session.client()
    return getattr(client, name, None)


async def validate(session: ClientSession, post: Post, sql: str) -> None:
    """Ask HogQLMetadata about one statement."""
    try:
        metadata = await _client_method(session, "metadata")
        if metadata is None:
            return
        answer = await asyncio.wait_for(metadata(sql), ASSIST_TIMEOUT)
        post(Validated(sql, answer))
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # offline, throttled, odd answer: validation just pauses
        post(Validated(sql, None, exc))


async def complete(session: ClientSession, post: Post, key: tuple[str, int, int]) -> None:
    """Ask HogQLAutocomplete for the word ``sql[start:end]``."""
    sql, start, end = key
    try:
        autocomplete = await _client_method(session, "autocomplete")
        if autocomplete is None:
            post(Completed(key, None, NotImplementedError("no autocomplete")))
            return
        answer = await asyncio.wait_for(autocomplete(sql, start, end), ASSIST_TIMEOUT)
        # ``Completions`` from the real client; a plain list from older fakes.
        incomplete = getattr(answer, "incomplete_list", False) is True
        post(Completed(key, list(answer), incomplete=incomplete))
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        post(Completed(key, None, exc))


async def load_schema(session: ClientSession, post: Post) -> None:
    """Fetch the schema once (the client caches it per connection)."""
    try:
        schema = await _client_method(session, "schema")
        post(SchemaLoaded(None if schema is None else await schema()))
    except asyncio.CancelledError:
        raise
    except Exception:
        post(SchemaLoaded(None))


async def load_property_keys(session: ClientSession, post: Post, table: str) -> None:
    """Property keys of ``table``, through the autocomplete of ``SELECT properties.``."""
    sql = f"SELECT properties. FROM {table}"
    try:
        autocomplete = await _client_method(session, "autocomplete")
        if autocomplete is None:
            return
        offset = len("SELECT properties.")
        suggestions = await asyncio.wait_for(autocomplete(sql, offset, offset), ASSIST_TIMEOUT)
        post(PropertyKeysLoaded(table, tuple(s.label for s in suggestions)))
    except asyncio.CancelledError:
        raise
    except Exception:
        post(PropertyKeysLoaded(table, ()))
