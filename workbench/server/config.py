"""The server's settings: who may call it, its limits, and how queries run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEFAULT_MAX_EXECUTION_TIME = 60
"""Seconds a synchronous query may run (PostHog's ``HogQLGlobalSettings.max_execution_time``)."""
DEFAULT_ASYNC_MAX_EXECUTION_TIME = 600
"""Seconds an async query may run (PostHog's increased limit for async workers, ~10 min)."""
DEFAULT_MAX_MEMORY_USAGE = 4 * 1024**3
"""Bytes of memory one query may use before ClickHouse stops it (→ 513)."""
DEFAULT_MAX_CONCURRENT_QUERIES = 3
"""Running queries allowed per project; the next one waits for a slot (PostHog's API default)."""
DEFAULT_CONCURRENCY_WAIT = 30.0
"""Seconds a query over the concurrency limit waits for a slot before its 429 (PostHog's
limiter retries for about this long before giving up)."""

_RATE = re.compile(r"^(\d+)/(second|sec|s|minute|min|m|hour|h|day|d)$")
"""DRF's rate notation, ``<count>/<period>``."""
_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
"""Seconds per period, by the period's first letter."""


@dataclass(frozen=True)
class Rate:
    """``requests`` per ``period`` seconds, parsed from DRF's ``"120/hour"`` notation."""

    requests: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"240/minute"`` → Rate(240, 60); raises ValueError on anything else."""
        match = _RATE.match(text.strip().lower())
        if not match:
            raise ValueError(f"not a rate like 120/hour: {text!r}")
        return cls(int(match.group(1)), _PERIOD_SECONDS[match.group(2)[0]])


@dataclass(frozen=True)
class RateLimits:
    """PostHog's throttles for personal-API-key requests; ``enabled=False`` turns all off."""

    hogql: Rate = Rate(120, 3600)
    burst: Rate = Rate(240, 60)
    sustained: Rate = Rate(1200, 3600)
    enabled: bool = True


@dataclass(frozen=True)
class ApiKey:
    """A personal API key: ``scopes`` like ``query:read`` or ``*``; ``project_ids`` None = all."""

    key: str = field(repr=False)
    scopes: frozenset[str] = frozenset({"*"})
    project_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class ServerConfig:
    """Everything the app needs besides the engine. Times in seconds, memory in bytes."""

    api_keys: tuple[ApiKey, ...]
    project_id: int = 1
    project_name: str = "HogQL Workbench demo"
    timezone: str = "UTC"
    max_execution_time: int = DEFAULT_MAX_EXECUTION_TIME
    async_max_execution_time: int = DEFAULT_ASYNC_MAX_EXECUTION_TIME
    max_memory_usage: int = DEFAULT_MAX_MEMORY_USAGE
    max_concurrent_queries: int = DEFAULT_MAX_CONCURRENT_QUERIES
    concurrency_wait: float = DEFAULT_CONCURRENCY_WAIT
    rate_limits: RateLimits = RateLimits()
    cache_ttl: float = 300.0
    status_ttl: float = 1200.0
