"""The Query API's behaviour: refresh modes, cache, async statuses, concurrency, cancel.

All state lives on the event loop thread; chDB work happens in the engine's executors.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workbench.server.cache import ResponseCache, cache_key
from workbench.server.clickhouse_errors import is_exposed
from workbench.server.config import ServerConfig
from workbench.server.engine import ChdbEngine
from workbench.server.errors import ApiError, concurrency_limited, not_found
from workbench.server.hogql_runner import HogQLRunner
from workbench.server.request_model import QueryRequest
from workbench.server.status_store import StatusStore, new_status, utc_iso

logger = logging.getLogger(__name__)

LAZY_FRESHNESS = 900.0
"""Seconds a cached response counts as fresh under ``lazy_async`` (longer than 5 minutes)."""
TAGS_REMEMBERED = 10_000
"""Recent query tags kept to name ClickHouse processes (a few hundred kB at most)."""
CANCEL_WAIT = 2.0
"""Seconds DELETE waits for ClickHouse to stop the query before answering anyway."""


@dataclass
class RunningQuery:
    """A query admitted to ClickHouse: ``tag`` marks it in ``system.processes``."""

    query_id: str
    team_id: int
    tag: str = field(default_factory=lambda: uuid.uuid4().hex)
    cancelled: threading.Event = field(default_factory=threading.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)


def new_query_id() -> str:
    """A server-side query id: a UUIDv7 as 32 hex chars (time-ordered), as PostHog's."""
    millis = int(datetime.now(UTC).timestamp() * 1000) & ((1 << 48) - 1)
    random_bits = uuid.uuid4().int
    rand_a = random_bits & 0xFFF
    rand_b = (random_bits >> 12) & ((1 << 62) - 1)
    value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return f"{value:032x}"


class QueryService:
    """Answers POST / GET / DELETE on ``/query/`` for HogQLQuery."""

    def __init__(self, config: ServerConfig, engine: ChdbEngine, runner: HogQLRunner) -> None:
        self._config = config
        self._engine = engine
        self._runner = runner
        self.statuses = StatusStore(config.status_ttl)
        self.cache = ResponseCache()
        self._running: dict[str, RunningQuery] = {}
        # Tag → query id, kept after a query is released: a query whose request went away
        # may still run in ClickHouse, and processes() must still name it.
        self._query_ids_by_tag: OrderedDict[str, str] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        self._slot_freed = asyncio.Event()

    @property
    def engine(self) -> ChdbEngine:
        """The chDB pool; editor kinds that read data (autocomplete's property keys) share it."""
        return self._engine

    async def create(self, request: QueryRequest, team_id: int) -> tuple[int, dict[str, Any]]:
        """Run or enqueue a HogQLQuery according to ``refresh``: (HTTP status, body)."""
        mode = request.refresh
        key = cache_key(request.query, team_id=team_id, timezone=self._config.timezone)
        query_id = request.client_query_id or new_query_id()
        hit = None if mode in ("force_blocking", "force_async") else self.cache.get(key)
        window = LAZY_FRESHNESS if mode == "lazy_async" else self._config.cache_ttl
        fresh = hit is not None and hit[1] <= window
        if hit is not None and fresh:
            return 200, _as_cached(hit[0])
        if mode in ("blocking", "force_blocking") or (
            mode == "async_except_on_cache_miss" and hit is None
        ):
            return 200, await self._run_blocking(request, team_id, query_id, key)
        if mode != "force_async" and request.client_query_id is not None:
            existing = self.statuses.get(team_id, query_id)
            if existing is not None:
                return (200 if existing["complete"] else 202), {"query_status": existing}
        status = await self._start_async(request, team_id, query_id, key)
        if hit is not None:
            body = _as_cached(hit[0])
            body["query_status"] = status
        elif mode == "force_async":
            body = {"query_status": status}
        else:
            body = {"cache_key": key, "query_status": status}
        return 202, body

    async def _admit(self, team_id: int, query_id: str) -> RunningQuery:
        """Take a slot for ``query_id``, waiting up to ``concurrency_wait`` s for one (→ 429)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._config.concurrency_wait
        while self._running_for(team_id) >= self._config.max_concurrent_queries:
            # One event per release; taken before waiting, so no release goes unseen.
            freed = self._slot_freed
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise concurrency_limited()
            try:
                await asyncio.wait_for(freed.wait(), remaining)
            except TimeoutError:
                raise concurrency_limited() from None
        previous = self._running.get(query_id)
        if previous is not None:
            # Same client_query_id re-run while the old one runs: the old one is superseded.
            previous.cancelled.set()
            self._engine.control_executor.submit(self._engine.kill, previous.tag)
        entry = RunningQuery(query_id, team_id)
        self._running[query_id] = entry
        self._query_ids_by_tag[entry.tag] = query_id
        while len(self._query_ids_by_tag) > TAGS_REMEMBERED:
            self._query_ids_by_tag.popitem(last=False)
        return entry

    def _running_for(self, team_id: int) -> int:
        return sum(1 for q in self._running.values() if q.team_id == team_id)

    def _release(self, entry: RunningQuery) -> None:
        if self._running.get(entry.query_id) is entry:
            del self._running[entry.query_id]
        entry.finished.set()
        self._slot_freed.set()  # wakes every waiter; each checks the limit again
        self._slot_freed = asyncio.Event()

    async def _run_blocking(
        self, request: QueryRequest, team_id: int, query_id: str, key: str
    ) -> dict[str, Any]:
        entry = await self._admit(team_id, query_id)
        try:
            response = await self._runner.run(
                request.query,
                team_id=team_id,
                tag=entry.tag,
                max_execution_time=self._config.max_execution_time,
                cancelled=entry.cancelled,
                cache_key=key,
            )
        except asyncio.CancelledError:
            # The client hung up: nobody will read this result, so stop ClickHouse.
            entry.cancelled.set()
            self._engine.control_executor.submit(self._engine.kill, entry.tag)
            raise
        finally:
            self._release(entry)
        self.cache.put(key, response)
        return copy.copy(response)

    async def _start_async(
        self, request: QueryRequest, team_id: int, query_id: str, key: str
    ) -> dict[str, Any]:
        entry = await self._admit(team_id, query_id)
        status = new_status(query_id, team_id, ttl=self._config.status_ttl)
        self.statuses.put(team_id, status)
        task = asyncio.create_task(self._run_async(entry, request, status, key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return dict(status)

    async def _run_async(
        self, entry: RunningQuery, request: QueryRequest, status: dict[str, Any], key: str
    ) -> None:
        status["pickup_time"] = utc_iso(datetime.now(UTC))
        try:
            response = await self._runner.run(
                request.query,
                team_id=entry.team_id,
                tag=entry.tag,
                max_execution_time=self._config.async_max_execution_time,
                cancelled=entry.cancelled,
                cache_key=key,
            )
            self.cache.put(key, response)
            update: dict[str, Any] = {"complete": True, "results": copy.copy(response)}
        except ApiError as exc:
            update = {
                "complete": True,
                "error": True,
                "error_message": exc.detail if is_exposed(exc) else None,
            }
        except Exception:
            logger.exception("async query failed")
            update = {"complete": True, "error": True, "error_message": None}
        finally:
            self._release(entry)
        if entry.cancelled.is_set():
            return  # cancelled: the status was deleted and must stay deleted
        status.update(update, end_time=utc_iso(datetime.now(UTC)))
        self.statuses.put(entry.team_id, status)

    async def retrieve(
        self, team_id: int, query_id: str, *, show_progress: bool
    ) -> tuple[int, dict[str, Any]]:
        """GET ``/query/:id/``: 202 running, 200 done, 400/500 failed, 404 unknown."""
        status = self.statuses.get(team_id, query_id)
        if status is None:
            raise not_found(f"Query {query_id} not found for team {team_id}")
        status = dict(status)
        entry = self._running.get(query_id)
        if not status["complete"] and show_progress and entry is not None:
            status["query_progress"] = await self._progress(entry.tag)
        if not status["complete"]:
            return 202, {"query_status": status}
        if not status["error"]:
            return 200, {"query_status": status}
        return (400 if status["error_message"] else 500), {"query_status": status}

    async def _progress(self, tag: str) -> dict[str, int]:
        loop = asyncio.get_running_loop()
        processes = await loop.run_in_executor(self._engine.control_executor, self._engine.progress)
        found = processes.get(tag)
        if found is None:
            return {
                "bytes_read": 0,
                "rows_read": 0,
                "estimated_rows_total": 0,
                "time_elapsed": 0,
                "active_cpu_time": 0,
            }
        return {
            "bytes_read": found.bytes_read,
            "rows_read": found.rows_read,
            "estimated_rows_total": found.total_rows_approx,
            "time_elapsed": int(found.elapsed),
            "active_cpu_time": found.cpu_us,
        }

    async def cancel(self, team_id: int, query_id: str, *, dequeue_only: bool) -> dict[str, str]:
        """DELETE ``/query/:id/``: stop the ClickHouse query and forget its status."""
        status = self.statuses.get(team_id, query_id)
        if status is not None and status["complete"]:
            return {"message": "Query already complete"}
        entry = self._running.get(query_id)
        self.statuses.delete(team_id, query_id)
        if dequeue_only:
            if entry is not None:
                entry.cancelled.set()
            return {"message": "Only tried to dequeue, not cancelling query on clickhouse"}
        if entry is not None and entry.team_id == team_id:
            await self._kill(entry)
        return {"message": "Cancelled query on clickhouse"}

    async def _kill(self, entry: RunningQuery) -> None:
        entry.cancelled.set()
        loop = asyncio.get_running_loop()
        for _ in range(2):  # a second KILL covers a query that registered just after the first
            await loop.run_in_executor(self._engine.control_executor, self._engine.kill, entry.tag)
            try:
                await asyncio.wait_for(entry.finished.wait(), CANCEL_WAIT / 2)
                return
            except TimeoutError:
                continue

    async def processes(self) -> list[dict[str, Any]]:
        """Running ClickHouse queries of ours, for tests and debugging."""
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(self._engine.control_executor, self._engine.progress)
        return [
            {
                "query_id": self._query_ids_by_tag.get(tag),
                "tag": tag,
                "rows_read": p.rows_read,
                "bytes_read": p.bytes_read,
                "elapsed": p.elapsed,
            }
            for tag, p in found.items()
        ]

    async def shutdown(self) -> None:
        """Kill every running query (so worker threads can exit)."""
        for entry in list(self._running.values()):
            entry.cancelled.set()
            self._engine.kill(entry.tag)


def _as_cached(response: dict[str, Any]) -> dict[str, Any]:
    cached = copy.copy(response)
    cached["is_cached"] = True
    return cached
