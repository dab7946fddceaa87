"""Property keys for autocomplete, read from the data and cached per team and table.

PostHog suggests property names from its Postgres taxonomy; the stand-in has none, so it
counts the keys actually present (the translator's ``property_keys_sql``: most frequent
first). That scan is the expensive part of a keystroke, so each list is kept for
:data:`KEY_LIST_TTL` seconds, concurrent misses for the same list run one scan, and an
expired list keeps answering while it is reloaded in the background.
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


class PropertyKey(str):
    """A property name that also says its type (``property_type``: ``Numeric``, ``String``,
    ``DateTime``, ``Boolean``, or None when the values have none), as a PostHog definition."""

    property_type: str | None

    def __new__(cls, name: str, property_type: str | None = None) -> PropertyKey:
        key = super().__new__(cls, name)
        key.property_type = property_type
        return key


KeyLoader = Callable[[str, int], list[str]]
"""``load(kind, team_id) -> keys`` where kind is ``event``, ``person`` or ``group``."""
Background = Callable[[Callable[[], None]], object]
"""Runs a callable later on another thread (``executor.submit``); RuntimeError once closed."""


@dataclass
class _Entry:
    keys: list[str]
    expires: float


class PropertyKeyCache:
    """Key lists by (team, kind), loaded on first use and reloaded after they expire.

    Thread-safe: editor requests run in worker threads. A miss holds that list's lock while
    it loads, so a burst of keystrokes waits for one scan instead of starting several. With
    ``background`` (e.g. an executor's ``submit``), an expired list is still answered while
    one reload runs in the background, so only the very first request waits for a scan, and
    :meth:`prefetch` can load a list before anyone asks.
    """

    def __init__(
        self,
        load: KeyLoader,
        *,
        ttl: float = KEY_LIST_TTL,
        clock: Callable[[], float] = time.monotonic,
        background: Background | None = None,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._background = background
        self._entries: dict[tuple[int, str], _Entry] = {}
        self._locks: dict[tuple[int, str], threading.Lock] = {}
        self._reloading: set[tuple[int, str]] = set()
        self._guard = threading.Lock()

    def keys(self, kind: str, team_id: int) -> list[str]:
        """The cached keys of ``kind`` for ``team_id`` (empty if the scan failed)."""
        slot = (team_id, kind)
        entry = self._entries.get(slot)
        if entry is not None and entry.expires > self._clock():
            return entry.keys
        if entry is not None and self._background is not None:
            self._reload_later(slot)
            return entry.keys
        return self._load_now(slot, force=False)

    def prefetch(self, kind: str, team_id: int) -> None:
        """Start loading a list in the background (no-op without ``background``)."""
        self._reload_later((team_id, kind))

    def _reload_later(self, slot: tuple[int, str]) -> None:
        if self._background is None:
            return
        with self._guard:
            if slot in self._reloading:
                return
            self._reloading.add(slot)

        def reload() -> None:
            try:
                self._load_now(slot, force=True)
            finally:
                with self._guard:
                    self._reloading.discard(slot)

        try:
            self._background(reload)
        except RuntimeError:  # the executor is shutting down: keep what we have
            with self._guard:
                self._reloading.discard(slot)

    def _load_now(self, slot: tuple[int, str], *, force: bool) -> list[str]:
        with self._guard:
            lock = self._locks.setdefault(slot, threading.Lock())
        with lock:
            entry = self._entries.get(slot)
            if not force and entry is not None and entry.expires > self._clock():
                return entry.keys  # another request loaded it while this one waited
            team_id, kind = slot
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

    Rows are ``(key[, type])``; each key comes back as a :class:`PropertyKey` ('' is no type).
    ``settings`` are the server's query guards (read-only, memory, time zone); the scan's own
    time limit is added. Each scan gets a fresh tag, as every query on the pool does.
    """
    guarded: dict[str, int | str] = {**settings, "max_execution_time": SCAN_TIME_LIMIT}

    def load(kind: str, team_id: int) -> list[str]:
        result = engine.execute(
            sql_for(kind, team_id=team_id), tag=uuid.uuid4().hex, settings=guarded
        )
        return [
            PropertyKey(str(row[0]), str(row[1]) or None if len(row) > 1 else None)
            for row in result.rows
        ]

    return load
