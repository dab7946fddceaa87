"""``PostHogClient``: the one object the app and the CLI use to talk to PostHog."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from workbench.client._httpx import httpx
from workbench.client.budget import RateBudget, budget_for_key
from workbench.client.catalog import (
    parse_metadata,
    parse_project,
    parse_project_page,
    parse_schema,
    parse_suggestions,
)
from workbench.client.errors import ProtocolError
from workbench.client.http import DEFAULT_TIMEOUT, ApiSession, RequestObserver, Sleep
from workbench.client.lifecycle import (
    DEFAULT_CANCEL_TIMEOUT,
    Mode,
    PollSchedule,
    ProgressCallback,
    QueryRunner,
)
from workbench.client.limits import DEFAULT_ROW_LIMIT
from workbench.client.models import (
    Completions,
    DatabaseSchema,
    HogQLMetadata,
    Project,
    QueryResult,
)
from workbench.connection import ConnectionSettings

MAX_PROJECT_PAGES = 50
"""Pages of ``GET /api/projects/`` we follow; a guard against a ``next`` link that loops."""


class PostHogClient:
    """An async client for one PostHog connection (host, project, key).

    Use as ``async with PostHogClient(settings) as client:``. One pooled ``httpx.AsyncClient``
    per instance; HTTP/2 when ``h2`` is installed. ``transport``, ``sleep``, ``clock`` and
    ``poll_schedule`` exist so tests can run without a network or real waiting.
    """

    def __init__(
        self,
        settings: ConnectionSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        budget: RateBudget | None = None,
        poll_schedule: PollSchedule | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        cancel_timeout: float = DEFAULT_CANCEL_TIMEOUT,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        on_request: RequestObserver | None = None,
    ) -> None:
        self.settings = settings
        self.budget = budget if budget is not None else budget_for_key(settings.api_key)
        """Local mirror of PostHog's rate buckets for this key: ``.remaining(bucket)``."""
        self._session = ApiSession(
            settings,
            budget=self.budget,
            transport=transport,
            timeout=timeout,
            sleep=sleep,
            rng=rng,
            on_request=on_request,
        )
        self._runner = QueryRunner(
            self._session,
            schedule=poll_schedule,
            sleep=sleep,
            clock=clock,
            cancel_timeout=cancel_timeout,
            metadata=self.metadata,
        )
        self._schema: DatabaseSchema | None = None
        self._schema_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return (
            f"PostHogClient(host={self.settings.host!r}, project={self.settings.project_id!r}, "
            f"key={self.settings.redacted_key!r})"
        )

    async def __aenter__(self) -> PostHogClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. Idempotent."""
        await self._session.aclose()

    @property
    def running_queries(self) -> frozenset[str]:
        """``client_query_id``s of the queries this client is waiting for."""
        return self._runner.running

    async def run_query(
        self,
        sql: str,
        *,
        client_query_id: str | None = None,
        mode: Mode = "async",
        row_limit: int = DEFAULT_ROW_LIMIT,
        force_refresh: bool = False,
        name: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> QueryResult:
        """Run HogQL ``sql`` and return at most ``row_limit`` rows (1..50,000).

        Without a top-level LIMIT the client appends ``LIMIT row_limit + 1`` and reports
        ``truncated``. ``mode="async"`` submits and polls (``on_progress`` gets each progress
        report); ``"blocking"`` waits on the POST. ``force_refresh`` skips PostHog's cache.
        Cancelling the awaiting task, or ``cancel(client_query_id)``, cancels it on the
        server too. Raises ``ValueError`` for a bad ``row_limit`` or an id that is already
        running here, else ``PostHogError`` subclasses (never httpx's own exceptions).
        """
        return await self._runner.run(
            sql,
            client_query_id=client_query_id,
            mode=mode,
            row_limit=row_limit,
            force_refresh=force_refresh,
            name=name,
            on_progress=on_progress,
        )

    async def cancel(self, client_query_id: str) -> None:
        """Cancel a query: stop waiting for it here and send ``DELETE``. Idempotent; never
        raises for network or server failures (the DELETE is best-effort and bounded)."""
        await self._runner.cancel(client_query_id)

    async def _query_kind(self, query: dict[str, Any]) -> Any:
        """POST a synchronous, read-only query kind (metadata, autocomplete, schema)."""
        response = await self._session.request(
            "POST",
            f"{self._session.project_path}/query/",
            json={"query": query},
            kind="other",
            idempotent=True,  # these kinds only read: repeating one is harmless
        )
        return response.data

    async def metadata(self, sql: str) -> HogQLMetadata:
        """Validate ``sql`` with HogQLMetadata: errors and warnings with character offsets."""
        data = await self._query_kind({"kind": "HogQLMetadata", "language": "hogQL", "query": sql})
        return parse_metadata(data)

    async def autocomplete(self, sql: str, start: int, end: int) -> Completions:
        """Suggestions for the word spanning characters ``start``..``end`` of ``sql``.

        As PostHog sends them: fields and functions unfiltered by the word (the editor
        filters), property names containing it; ``incomplete_list`` says the list was cut.
        """
        data = await self._query_kind(
            {
                "kind": "HogQLAutocomplete",
                "language": "hogQL",
                "query": sql,
                "startPosition": start,
                "endPosition": end,
            }
        )
        suggestions = parse_suggestions(data)  # raises ProtocolError unless an object
        return Completions(suggestions, incomplete_list=data.get("incomplete_list") is True)

    async def schema(self, *, refresh: bool = False) -> DatabaseSchema:
        """The project's tables and fields; fetched once per client unless ``refresh``."""
        async with self._schema_lock:
            if self._schema is None or refresh:
                self._schema = parse_schema(await self._query_kind({"kind": "DatabaseSchemaQuery"}))
            return self._schema

    async def list_projects(self) -> list[Project]:
        """Every project the key can see (follows the pagination's ``next`` links)."""
        projects: list[Project] = []
        path: str | None = "/api/projects/"
        params: dict[str, str] | None = None
        for _ in range(MAX_PROJECT_PAGES):
            if path is None:
                break
            response = await self._session.request("GET", path, params=params)
            page, next_url = parse_project_page(response.data)
            projects.extend(page)
            path, params = self._same_host_path(next_url)
        return projects

    def _same_host_path(self, url: str | None) -> tuple[str | None, dict[str, str] | None]:
        """Path and query of a ``next`` link, only if it points at our host (the key!)."""
        if not url:
            return None, None
        parsed = httpx.URL(url)
        if parsed.host and parsed.host != self._session.host:
            raise ProtocolError("PostHog's project list links to another host; not following it.")
        return parsed.path, dict(parsed.params)

    async def current_project(self) -> Project:
        """The connection's project, resolving ``@current`` to the key owner's current one."""
        response = await self._session.request("GET", f"{self._session.project_path}/")
        return parse_project(response.data)
