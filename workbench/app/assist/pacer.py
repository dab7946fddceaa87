"""The request budget of editor intelligence: a token bucket, counted for the status bar.

Validation and autocomplete calls count against PostHog's 1,200/hour bucket, so while the
user types we allow at most one request per ``REFILL_SECONDS`` on average; requests happen
only after edits, so an idle editor sends nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

REFILL_SECONDS = 1.5
"""One request per this many seconds of continuous typing, on average (issue 8)."""

BURST = 2
"""Requests allowed back to back after a pause: a completion and a validation."""


class RequestPacer:
    """Token bucket of ``burst`` tokens refilled one per ``refill_seconds``; counts spends."""

    def __init__(
        self,
        *,
        refill_seconds: float = REFILL_SECONDS,
        burst: int = BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.refill_seconds = refill_seconds
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self.sent = 0
        """Requests spent so far (the status bar shows it)."""
        self.refused = 0
        """Times a request was wanted but the bucket was empty (served locally or deferred)."""

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.burst), self._tokens + elapsed / self.refill_seconds)
        self._updated = now

    def try_spend(self) -> bool:
        """Take one token if there is one; False means: do not send now."""
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            self.sent += 1
            return True
        self.refused += 1
        return False

    def now(self) -> float:
        """The pacer's clock (tests drive it by hand)."""
        return self._clock()

    def record(self) -> None:
        """Count a request made outside the typing budget (the schema, property keys)."""
        self.sent += 1

    def wait_time(self) -> float:
        """Seconds until a token is available (0.0: now)."""
        self._refill()
        return max(0.0, (1.0 - self._tokens) * self.refill_seconds)
