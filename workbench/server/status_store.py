"""Async query statuses (PostHog's ``QueryStatus``), kept in memory with a TTL per write."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

STATUS_TTL = 1200.0
"""Seconds a status lives after its last write (PostHog's Redis TTL, 20 minutes)."""


def utc_iso(moment: datetime) -> str:
    """PostHog's datetime rendering: ISO 8601 in UTC ending in ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_status(query_id: str, team_id: int, *, ttl: float = STATUS_TTL) -> dict[str, Any]:
    """A fresh, incomplete ``QueryStatus`` dict with every key PostHog sends."""
    now = datetime.now(UTC)
    return {
        "id": query_id,
        "team_id": team_id,
        "query_async": True,
        "complete": False,
        "error": False,
        "error_message": None,
        "results": None,
        "start_time": utc_iso(now),
        "pickup_time": None,
        "end_time": None,
        "expiration_time": utc_iso(now + timedelta(seconds=ttl)),
        "task_id": query_id,
        "insight_id": None,
        "dashboard_id": None,
        "labels": None,
        "query_progress": None,
    }


class StatusStore:
    """Statuses by (team id, query id); an entry expires ``ttl`` seconds after its last write."""

    def __init__(self, ttl: float = STATUS_TTL, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[int, str], tuple[dict[str, Any], float]] = {}

    def get(self, team_id: int, query_id: str) -> dict[str, Any] | None:
        """The status, or None when unknown or expired."""
        self._expire()
        entry = self._entries.get((team_id, query_id))
        return entry[0] if entry else None

    def put(self, team_id: int, status: dict[str, Any]) -> None:
        """Store (or overwrite) a status; refreshes its TTL and ``expiration_time``."""
        status["expiration_time"] = utc_iso(datetime.now(UTC) + timedelta(seconds=self._ttl))
        self._entries[(team_id, status["id"])] = (status, self._clock() + self._ttl)

    def delete(self, team_id: int, query_id: str) -> None:
        """Forget a status (after a cancel); unknown ids are fine."""
        self._entries.pop((team_id, query_id), None)

    def _expire(self) -> None:
        now = self._clock()
        for key in [k for k, (_, deadline) in self._entries.items() if deadline <= now]:
            del self._entries[key]
