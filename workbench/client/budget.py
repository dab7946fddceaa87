"""A local mirror of PostHog's per-key rate buckets, so callers can warn before a 429.

PostHog counts personal-API-key requests per key and per scope (contract §5): HogQL queries
120/hour; other query kinds, status polls and cancels 240/minute and 1,200/hour. We count
what this process sent in sliding windows; other processes using the same key are invisible,
so the numbers are an upper bound on what is left. A 429 empties the bucket until its
``Retry-After`` has passed.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Bucket = Literal["hogql", "burst", "sustained"]
"""``hogql``: HogQL queries per hour; ``burst``/``sustained``: everything else per minute/hour."""

RequestKind = Literal["hogql", "other"]
"""``hogql``: a POST of a HogQLQuery; ``other``: other kinds, polls and cancels."""


@dataclass(frozen=True)
class BucketRule:
    """``limit`` requests per ``window`` seconds."""

    limit: int
    window: float


DEFAULT_RULES: dict[Bucket, BucketRule] = {
    "hogql": BucketRule(120, 3600.0),
    "burst": BucketRule(240, 60.0),
    "sustained": BucketRule(1200, 3600.0),
}
"""PostHog's default throttles for personal API keys (HogQLQueryThrottle, ClickHouse*)."""

BUCKETS_BY_KIND: dict[RequestKind, tuple[Bucket, ...]] = {
    "hogql": ("hogql",),
    "other": ("burst", "sustained"),
}
"""Which buckets one request of each kind spends."""

DEFAULT_WARN_BEFORE = 10
"""Warn when this many requests or fewer are left in a bucket: room for a few more polls."""


class RateBudget:
    """Sliding-window counters per bucket. Times come from ``clock`` (seconds, monotonic)."""

    def __init__(
        self,
        *,
        rules: dict[Bucket, BucketRule] | None = None,
        warn_before: int = DEFAULT_WARN_BEFORE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rules = dict(DEFAULT_RULES if rules is None else rules)
        self.warn_before = warn_before
        """``should_warn`` is true when at most this many requests are left."""
        self._clock = clock
        self._sent: dict[Bucket, deque[float]] = {bucket: deque() for bucket in self.rules}
        self._blocked_until: dict[Bucket, float] = {}
        self._lock = threading.Lock()  # the app may read it from another thread

    def _expire(self, bucket: Bucket, now: float) -> deque[float]:
        sent = self._sent[bucket]
        horizon = now - self.rules[bucket].window
        while sent and sent[0] <= horizon:
            sent.popleft()
        return sent

    def record(self, kind: RequestKind) -> None:
        """Count one request of ``kind`` as sent now."""
        with self._lock:
            now = self._clock()
            for bucket in BUCKETS_BY_KIND[kind]:
                self._expire(bucket, now).append(now)

    def remaining(self, bucket: Bucket) -> int:
        """Requests left in ``bucket`` right now (0 while a 429's ``Retry-After`` runs)."""
        with self._lock:
            now = self._clock()
            if self._blocked_until.get(bucket, 0.0) > now:
                return 0
            return max(0, self.rules[bucket].limit - len(self._expire(bucket, now)))

    def remaining_for(self, kind: RequestKind) -> int:
        """Requests of ``kind`` that can still be sent: the smallest of its buckets."""
        return min(self.remaining(bucket) for bucket in BUCKETS_BY_KIND[kind])

    def should_warn(self, kind: RequestKind) -> bool:
        """True when a request of ``kind`` is close to (or past) a 429."""
        return self.remaining_for(kind) <= self.warn_before

    def wait_time(self, kind: RequestKind) -> float:
        """Seconds until a request of ``kind`` has room again (0.0 when it has room now)."""
        with self._lock:
            now = self._clock()
            wait = 0.0
            for bucket in BUCKETS_BY_KIND[kind]:
                wait = max(wait, self._blocked_until.get(bucket, 0.0) - now)
                sent, rule = self._expire(bucket, now), self.rules[bucket]
                if len(sent) >= rule.limit:
                    wait = max(wait, sent[len(sent) - rule.limit] + rule.window - now)
            return max(0.0, wait)

    def blocked_for(self, kind: RequestKind) -> float:
        """Seconds PostHog's last ``Retry-After`` still asks us to wait for ``kind`` (0.0: none).

        Only what the server said counts here, never our own counts: the real limits depend on
        the plan, and other processes share the key.
        """
        with self._lock:
            now = self._clock()
            until = max(self._blocked_until.get(b, 0.0) for b in BUCKETS_BY_KIND[kind])
            return max(0.0, until - now)

    def throttled(self, kind: RequestKind, retry_after: float | None) -> None:
        """PostHog answered 429: treat ``kind``'s buckets as empty for ``retry_after`` seconds."""
        if retry_after is None:
            return  # concurrency 429: a slot frees when a running query ends, not a bucket
        with self._lock:
            until = self._clock() + retry_after
            for bucket in BUCKETS_BY_KIND[kind]:
                self._blocked_until[bucket] = max(self._blocked_until.get(bucket, 0.0), until)

    def reset(self) -> None:
        """Forget every count and every ``Retry-After`` (e.g. when the key was rotated)."""
        with self._lock:
            for sent in self._sent.values():
                sent.clear()
            self._blocked_until.clear()

    def snapshot(self) -> dict[Bucket, int]:
        """``remaining`` of every bucket, for a status line."""
        return {bucket: self.remaining(bucket) for bucket in self.rules}


_BUDGETS: dict[str, RateBudget] = {}
_BUDGETS_LOCK = threading.Lock()


def budget_for_key(api_key: str) -> RateBudget:
    """The process-wide budget of one key (PostHog's buckets are per key, not per client)."""
    digest = hashlib.sha256(api_key.encode()).hexdigest()
    with _BUDGETS_LOCK:
        budget = _BUDGETS.get(digest)
        if budget is None:
            budget = _BUDGETS[digest] = RateBudget()
        return budget
