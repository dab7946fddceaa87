"""The response cache: identical HogQL within the freshness window is answered from here."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

CACHE_TARGET_AGE = 6 * 3600.0
"""Seconds after which an entry is dropped altogether (PostHog's ``cache_target_age``)."""
MAX_ENTRIES = 256
"""Entries kept; the least recently used go first."""
MAX_CACHED_ROWS = 500_000
"""Result rows kept over all entries (one response can hold 50,000): bounds the memory."""


def cache_key(query: Mapping[str, Any], *, team_id: int, timezone: str) -> str:
    """``cache_<hex>`` from the query (minus tags and name), team and time zone."""
    relevant = {k: v for k, v in query.items() if k not in ("tags", "name", "response")}
    payload = orjson.dumps(
        {"query": relevant, "team_id": team_id, "timezone": timezone}, option=orjson.OPT_SORT_KEYS
    )
    return "cache_" + hashlib.sha256(payload).hexdigest()[:32]


@dataclass(frozen=True)
class CachedResponse:
    """A computed response and when it was computed (``stored_at`` on the cache's clock)."""

    response: dict[str, Any]
    stored_at: float


class ResponseCache:
    """LRU cache of full responses; freshness is decided by the caller per refresh mode."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self._rows = 0

    def get(self, key: str) -> tuple[dict[str, Any], float] | None:
        """The cached response and its age in seconds, or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        age = self._clock() - entry.stored_at
        if age > CACHE_TARGET_AGE:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry.response, age

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Store a freshly computed response, evicting the least recently used over budget."""
        if key in self._entries:
            self._drop(key)
        self._entries[key] = CachedResponse(response, self._clock())
        self._rows += _row_count(response)
        while len(self._entries) > MAX_ENTRIES or (
            self._rows > MAX_CACHED_ROWS and len(self._entries) > 1
        ):
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key)
        self._rows -= _row_count(entry.response)


def _row_count(response: Mapping[str, Any]) -> int:
    results = response.get("results")
    return len(results) if isinstance(results, list) else 0
