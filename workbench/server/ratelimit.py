"""PostHog's per-key request throttles (DRF ``SimpleRateThrottle`` semantics)."""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from collections.abc import Callable

from workbench.server.config import Rate, RateLimits
from workbench.server.errors import throttled

HOGQL_SCOPE = "query"
"""Bucket for HogQLQuery POSTs (120/hour by default)."""
BURST_SCOPE = "clickhouse_burst"
"""Bucket for other kinds, status polls and cancels (240/minute)."""
SUSTAINED_SCOPE = "clickhouse_sustained"
"""Bucket for other kinds, status polls and cancels (1200/hour)."""


class Throttles:
    """Sliding-window request history per (key hash, scope), like DRF's cache-backed throttle.

    ``clock`` returns seconds; tests may replace it.
    """

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._history: dict[tuple[str, str], deque[float]] = {}

    def check_hogql(self, api_key: str) -> None:
        """Count a HogQLQuery POST; raise 429 with Retry-After when over the limit."""
        self._check(api_key, [(HOGQL_SCOPE, self._limits.hogql)])

    def check_clickhouse(self, api_key: str) -> None:
        """Count any other query-API request; raise 429 with Retry-After when over."""
        self._check(
            api_key,
            [(BURST_SCOPE, self._limits.burst), (SUSTAINED_SCOPE, self._limits.sustained)],
        )

    def _check(self, api_key: str, buckets: list[tuple[str, Rate]]) -> None:
        if not self._limits.enabled:
            return
        # Hash so the key itself is never held as a dictionary key.
        ident = hashlib.sha256(api_key.encode()).hexdigest()
        now = self._clock()
        waits = []
        for scope, rate in buckets:
            history = self._history.setdefault((ident, scope), deque())
            while history and history[-1] <= now - rate.period:
                history.pop()
            if len(history) >= rate.requests:
                remaining = rate.period - (now - history[-1])
                available = rate.requests - len(history) + 1
                waits.append(remaining / available if available > 0 else remaining)
            else:
                history.appendleft(now)
        if waits:
            raise throttled(max(1, math.ceil(max(waits))))
