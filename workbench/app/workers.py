"""The I/O the app does, as coroutines run in async Textual workers.

They never touch widgets: they call the client and post past-tense messages. Cancelling
the worker's task cancels the HTTP request; ``cancel_query`` also asks the server to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

from workbench.app.messages import (
    ClientConnected,
    ClientFailed,
    QueryCancelled,
    QueryFailed,
    QueryProgressed,
    QueryStarted,
    ResultsFetched,
)

if TYPE_CHECKING:
    from workbench.client import QueryProgress, QueryResult

Post = Callable[[Message], bool]
"""``MessagePump.post_message``: thread- and task-safe delivery to the screen."""

DEFAULT_ROW_LIMIT = 10_000
"""Rows fetched per query unless the SQL has its own LIMIT: enough to explore, cheap to show."""

CANCEL_TIMEOUT = 5.0
"""Seconds to wait for the server to acknowledge a cancel before giving up quietly."""


class QueryClient(Protocol):
    """The part of ``workbench.client.PostHogClient`` the app uses."""

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
    ) -> QueryResult: ...

    async def cancel(self, client_query_id: str) -> None: ...

    async def aclose(self) -> None: ...


class ClientSession:
    """Holds the app's one client, created lazily after the first frame.

    ``await session.client()`` waits until it exists (or raises what creating it raised).
    """

    def __init__(self, factory: Callable[[], QueryClient]) -> None:
        self._factory = factory
        self._client: QueryClient | None = None
        self._error: BaseException | None = None
        self._ready = asyncio.Event()

    @property
    def current(self) -> QueryClient | None:
        """The client, if it has been created."""
        return self._client

    def open(self) -> QueryClient:
        """Create the client (idempotent); importing httpx happens here, not at start-up."""
        if self._client is None and self._error is None:
            try:
                self._client = self._factory()
            except Exception as exc:
                self._error = exc
            finally:
                self._ready.set()
        if self._error is not None:
            raise self._error
        assert self._client is not None
        return self._client

    async def client(self) -> QueryClient:
        """The client, once ``open`` ran."""
        await self._ready.wait()
        return self.open()

    async def aclose(self) -> None:
        """Close the client's connections, if it was created."""
        if self._client is not None:
            await self._client.aclose()


HTTP_FORBIDDEN = 403
"""The status of a key that lacks ``project:read`` (it may still have ``query:read``)."""


async def connect(session: ClientSession, post: Post) -> None:
    """Open the client and ask the server who we are, to show the connection state."""
    try:
        client = session.open()
        current_project = getattr(client, "current_project", None)
        name: str | None = None
        if current_project is not None:
            try:
                project = await current_project()
            except Exception as exc:
                # A key scoped to query:read alone may not read the project (403), yet its
                # queries work: connected, name unknown. Other failures are real.
                if getattr(exc, "status", None) != HTTP_FORBIDDEN:
                    raise
                project = None
            name = getattr(project, "name", None)
        post(ClientConnected(name))
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        post(ClientFailed(exc))
    # The first result would otherwise pay for loading pyarrow and the grid (~0.2-0.4 s).
    # Only a speed-up: if it fails, the first result pays instead.
    with contextlib.suppress(Exception):
        await asyncio.to_thread(warm_up_result_imports)


def warm_up_result_imports() -> None:
    """Load and exercise what showing a result needs, off the UI thread, after the first frame.

    A one-row result goes through the same conversion a real one does, so pyarrow's compute
    kernels and the client's column converters are initialised before the first F5.
    """
    from textual_fastdatatable.backend import ArrowBackend

    from workbench.client import QueryResult

    sample = QueryResult(
        client_query_id="warm-up",
        columns=("text", "number", "time"),
        types=("String", "UInt64", "DateTime64(6, 'UTC')"),
        rows=[["x", 1, "2026-01-01T00:00:00Z"]],
        truncated=False,
        limit_added=False,
        row_limit=1,
        is_cached=False,
        last_refresh=None,
        hogql=None,
        clickhouse=None,
        timings=None,
        elapsed=0.0,
    )
    ArrowBackend(build_display_table(sample))


async def run_query(
    session: ClientSession,
    post: Post,
    client_query_id: str,
    sql: str,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
) -> None:
    """Run one query to completion, posting progress, then rows or the failure."""
    try:
        client = await session.client()
        post(QueryStarted(client_query_id))

        def on_progress(progress: QueryProgress) -> None:
            post(QueryProgressed(client_query_id, progress))

        result = await client.run_query(
            sql,
            client_query_id=client_query_id,
            mode="async",
            row_limit=row_limit,
            on_progress=on_progress,
        )
        # Arrow conversion is CPU work: keep it off the event loop so the UI stays live.
        display_table = await asyncio.to_thread(build_display_table, result)
        # The grid reads the Arrow table; the Python rows (about 100 MB at 50,000 x 20) go.
        # Exports read the raw (not literalised) values back from the kept Arrow table.
        result = result.without_rows()
        from workbench.memory import release_free_memory

        await asyncio.to_thread(release_free_memory)  # ... and the heap they held
        post(ResultsFetched(client_query_id, result, display_table))
    except asyncio.CancelledError:
        post(QueryCancelled(client_query_id))
        raise
    except Exception as exc:  # no server response may crash the app
        from workbench.client.errors import QueryCancelled as ServerCancelled

        if isinstance(exc, ServerCancelled):
            post(QueryCancelled(client_query_id))
        else:
            post(QueryFailed(client_query_id, exc))


async def cancel_query(session: ClientSession, client_query_id: str) -> None:
    """Ask the server to cancel (DELETE); bounded, and silent on failure (cancel is idempotent)."""
    client = session.current
    if client is None:
        return
    # Best effort: the local worker is already gone; the client's cancel is idempotent.
    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.cancel(client_query_id), CANCEL_TIMEOUT)


def build_display_table(result: QueryResult) -> Any:
    """The result as an Arrow table the grid can show literally."""
    from workbench.app.literal import literal_table

    return literal_table(result.to_arrow())
