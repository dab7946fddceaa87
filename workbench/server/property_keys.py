"""Property keys for autocomplete, read from the data and cached per team and table.

PostHog suggests property names from its Postgres taxonomy; the stand-in has none, so it
counts the keys actually present (the translator's ``property_keys_sql``: most frequent
first). That scan is the expensive part of a keystroke, so each list is kept for
:data:`KEY_LIST_TTL` seconds and concurrent misses for the same list run one scan.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from workbench.server.engine import ChdbEngine, ClickHouseError

logger = logging.getLogger(__name__)

KEY_LIST_TTL = 60.0
"""Seconds a key list is reused: new keys appear within a minute, keystrokes stay cheap."""
FAILED_LOAD_TTL = 5.0
"""Seconds an empty list stands in after a failed scan, so typing does not retry every time."""
SCAN_TIME_LIMIT = 10
"""``max_execution_time`` (s) of one key scan: a slow scan must not hold a pool connection."""

KeyLoader = Callable[[str, int], list[str]]
"""``load(kind, team_id) -> keys`` where kind is ``event``, ``person`` or ``group``."""


@dataclass
class _Entry:
    keys: list[str]
    expires: float


class PropertyKeyCache:
    """Key lists by (team, kind), loaded on first use and reloaded after they expire.

    Thread-safe: editor requests run in worker threads. A miss holds that list's lock while
    it loads, so a burst of keystrokes waits for one scan instead of starting several.
    """

    def __init__(
        self,
        load: KeyLoader,
        *,
        ttl: float = KEY_LIST_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[int, str], _Entry] = {}
        self._locks: dict[tuple[int, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def keys(self, kind: str, team_id: int) -> list[str]:
        """The cached keys of ``kind`` for ``team_id`` (empty if the scan failed)."""
        slot = (team_id, kind)
        entry = self._entries.get(slot)
        if entry is not None and entry.expires > self._clock():
            return entry.keys
        with self._guard:
            lock = self._locks.setdefault(slot, threading.Lock())
        with lock:
            entry = self._entries.get(slot)
            if entry is not None and entry.expires > self._clock():
                return entry.keys  # another request loaded it while this one waited
            try:
                keys, ttl = self._load(kind, team_id), self._ttl
            except ClickHouseError as exc:
                logger.warning("property key scan for %s failed: %s", kind, exc)
                keys, ttl = [], FAILED_LOAD_TTL
            self._entries[slot] = _Entry(keys, self._clock() + ttl)
            return keys


def chdb_key_loader(
    engine: ChdbEngine, sql_for: Callable[..., str], settings: Mapping[str, int | str]
) -> KeyLoader:
    """A loader running ``sql_for(kind, team_id=…)`` on the engine's pool.

    ``settings`` are the server's query guards (read-only, memory, time zone); the scan's own
    time limit is added. Each scan gets a fresh tag, as every query on the pool does.
    """
    guarded: dict[str, int | str] = {**settings, "max_execution_time": SCAN_TIME_LIMIT}

    def load(kind: str, team_id: int) -> list[str]:
        result = engine.execute(
            sql_for(kind, team_id=team_id), tag=uuid.uuid4().hex, settings=guarded
        )
        return [str(row[0]) for row in result.rows]

    return load
