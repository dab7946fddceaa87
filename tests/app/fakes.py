"""A scripted stand-in for PostHogClient, and an app factory with frozen clocks and ids."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.workbench_app import WorkbenchApp
from workbench.app.workers import ClientSession
from workbench.client import QueryProgress, QueryResult
from workbench.runs import RunRegistry

FROZEN_NOW = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)


class FrozenClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def make_result(
    columns: list[str],
    types: list[str],
    rows: list[list[Any]],
    *,
    client_query_id: str = "",
    truncated: bool = False,
    is_cached: bool = False,
    elapsed: float = 0.123,
    row_limit: int = 10_000,
) -> QueryResult:
    return QueryResult(
        client_query_id=client_query_id,
        columns=tuple(columns),
        types=tuple(types),
        rows=rows,
        truncated=truncated,
        limit_added=truncated,
        row_limit=row_limit,
        is_cached=is_cached,
        last_refresh=datetime(2026, 11, 29, 11, 57, 0, tzinfo=UTC) if is_cached else None,
        hogql=None,
        clickhouse=None,
        timings=None,
        elapsed=elapsed,
    )


@dataclass
class Script:
    """What the fake does for one SQL text: wait on ``gate`` (if any), then answer or raise."""

    result: QueryResult | None = None
    error: BaseException | None = None
    progress: list[QueryProgress] = field(default_factory=list)
    gate: asyncio.Event | None = None


class FakeClient:
    """Answers ``run_query`` from ``scripts`` keyed by SQL; records cancels."""

    def __init__(self, scripts: dict[str, Script] | None = None) -> None:
        self.scripts = scripts or {}
        self.cancelled: list[str] = []
        self.submitted: list[tuple[str, str]] = []
        self.closed = False
        self.budget = None

    async def run_query(
        self,
        sql: str,
        *,
        client_query_id: str | None = None,
        mode: Any = "async",
        row_limit: int = 1000,
        force_refresh: bool = False,
        name: str | None = None,
        on_progress: Callable[[QueryProgress], None] | None = None,
    ) -> QueryResult:
        self.submitted.append((client_query_id or "", sql))
        script = self.scripts.get(sql) or Script(
            result=make_result(["one"], ["UInt8"], [[1]], client_query_id=client_query_id or "")
        )
        for progress in script.progress:
            if on_progress is not None:
                on_progress(progress)
        if script.gate is not None:
            await script.gate.wait()
        if script.error is not None:
            raise script.error
        assert script.result is not None
        return script.result

    async def cancel(self, client_query_id: str) -> None:
        self.cancelled.append(client_query_id)

    async def aclose(self) -> None:
        self.closed = True


def make_app(
    client: Any,
    *,
    text: str = "select 1",
    clock: FrozenClock | None = None,
    extra_buffers: list[str] | None = None,
) -> WorkbenchApp:
    """An app over ``client`` with frozen clocks and ids ``q1``, ``q2``, … and no persistence."""
    ids = count(1)
    buffers = [SavedBuffer(title="query", text=text)]
    buffers += [
        SavedBuffer(title=f"query {i + 2}", text=t) for i, t in enumerate(extra_buffers or [])
    ]
    context = WorkbenchContext(
        host_label="http://127.0.0.1:8000",
        project_label="1",
        session=ClientSession(lambda: client),
        registry=RunRegistry(clock=clock or FrozenClock()),
        new_query_id=lambda: f"q{next(ids)}",
        wall_clock=lambda: FROZEN_NOW,
        initial_buffers=SavedBuffers(buffers=buffers),
    )
    return WorkbenchApp(context)
