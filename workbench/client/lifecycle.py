"""One query's life: submit, poll with backoff, report progress, cancel, clean up.

Invariant: once a POST may have reached PostHog, we leave no query running there that
nobody waits for. Every way out that is not a final answer from the server (``cancel()``,
the awaiting task being cancelled, giving up, a network failure after sending, a status poll
refused with 429/401/..., a failing progress callback) sends ``DELETE /query/:id/``, bounded
by ``cancel_timeout`` seconds. Final answers: the result, a failed status, a refused POST,
or a 404 for the status (cancelled elsewhere or expired).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from workbench.client.envelope import error_from_status
from workbench.client.errors import (
    ClickHouseError,
    HogQLError,
    NetworkError,
    NotFound,
    PostHogError,
    ProtocolError,
    QueryCancelled,
    QueryError,
    QueryTimeout,
)
from workbench.client.http import ApiResponse, ApiSession, Sleep
from workbench.client.limits import DEFAULT_ROW_LIMIT, RowLimitPlan, plan_row_limit
from workbench.client.models import HogQLMetadata, QueryProgress, QueryResult
from workbench.client.results import parse_progress, parse_query_response

log = logging.getLogger(__name__)

T = TypeVar("T")
Mode = Literal["blocking", "async"]
ProgressCallback = Callable[[QueryProgress], None]
MetadataLookup = Callable[[str], Awaitable[HogQLMetadata]]

DEFAULT_CANCEL_TIMEOUT = 2.0
"""Seconds a best-effort DELETE may take; the user is waiting for the cancel to finish."""

POSITION_LOOKUP_TIMEOUT = 5.0
"""Seconds we spend asking HogQLMetadata where an async query's error is."""


@dataclass(frozen=True)
class PollSchedule:
    """Delays between status polls, in seconds: PostHog's web app's schedule by default.

    ``initial`` then ×``factor`` per poll, at most ``cap``; after ``give_up_after`` seconds
    in total we cancel the query and raise ``QueryTimeout`` (10 min + 6 s, like the web app).
    """

    initial: float = 0.3
    factor: float = 1.25
    cap: float = 3.0
    give_up_after: float = 606.0

    def delays(self) -> Iterator[float]:
        """The endless sequence of delays."""
        delay = self.initial
        while True:
            yield delay
            delay = min(self.cap, delay * self.factor)


def refresh_for(mode: Mode, *, force_refresh: bool) -> str:
    """PostHog's ``refresh`` value: cached unless stale, or always recomputed when forced."""
    if mode == "async":
        return "force_async" if force_refresh else "async"
    return "force_blocking" if force_refresh else "blocking"


class QueryRunner:
    """Runs HogQL queries over an ``ApiSession``; tracks running ids so ``cancel`` can stop them."""

    def __init__(
        self,
        session: ApiSession,
        *,
        schedule: PollSchedule | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        cancel_timeout: float = DEFAULT_CANCEL_TIMEOUT,
        metadata: MetadataLookup | None = None,
    ) -> None:
        self.session = session
        self.schedule = schedule or PollSchedule()
        self._sleep = sleep
        self._clock = clock
        self._cancel_timeout = cancel_timeout
        self._metadata = metadata
        self._runs: dict[str, _Run] = {}

    @property
    def running(self) -> frozenset[str]:
        """``client_query_id``s of the queries being awaited right now."""
        return frozenset(self._runs)

    def _query_path(self, client_query_id: str) -> str:
        return f"{self.session.project_path}/query/{client_query_id}/"

    async def run(
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
        """Run ``sql`` to completion; see ``PostHogClient.run_query``."""
        plan = plan_row_limit(sql, row_limit)
        query_id = client_query_id or uuid.uuid4().hex
        if query_id in self._runs:
            raise ValueError(f"A query with id {query_id} is already running.")
        run = self._runs[query_id] = _Run()
        started = self._clock()
        maybe_running = False  # could PostHog be running it without anyone waiting?
        submitted = False  # did PostHog accept the POST?
        try:
            body: dict[str, Any] = {
                "query": {"kind": "HogQLQuery", "query": plan.sql},
                "refresh": refresh_for(mode, force_refresh=force_refresh),
                "client_query_id": query_id,
            }
            if name:
                body["name"] = name[:128]
            maybe_running = True
            try:
                response = await self._unless_cancelled(
                    run,
                    self.session.request(
                        "POST", f"{self.session.project_path}/query/", json=body, kind="hogql"
                    ),
                )
            except NetworkError as exc:
                maybe_running = exc.sent is not False
                raise
            submitted = True
            delays = self.schedule.delays()
            while True:
                data = _require_object(response.data)
                outcome = self._outcome(response.status, data, plan, query_id, started)
                if isinstance(outcome, QueryResult):
                    maybe_running = False
                    return outcome
                if isinstance(outcome, PostHogError):
                    maybe_running = False  # it ran and failed: nothing left to cancel
                    raise outcome
                if outcome is not None and on_progress is not None:
                    on_progress(outcome)
                if self._clock() - started >= self.schedule.give_up_after:
                    raise QueryTimeout(
                        f"Gave up waiting after {self.schedule.give_up_after:.0f} s; "
                        "the query was cancelled."
                    )
                await self._unless_cancelled(run, self._sleep(next(delays)))
                response = await self._poll(run, query_id)
                if response.status >= 400:
                    maybe_running = False  # it ran and failed: nothing left to cancel
                    raise await self._failure(response, plan.sql)
        except PostHogError as exc:
            refused = exc.status is not None and (exc.status < 500 or isinstance(exc, QueryError))
            if (refused and not submitted) or (isinstance(exc, QueryCancelled) and exc.status):
                maybe_running = False  # the POST was refused, or the status is gone (404)
            raise  # a refused poll (429, 401, ...) leaves it running: the DELETE follows
        finally:
            self._runs.pop(query_id, None)
            if maybe_running and not run.cancelled:
                await self._delete_quietly(query_id)

    async def _poll(self, run: _Run, query_id: str) -> ApiResponse:
        """One status GET: 202 running, 200 done, or 400/500 with the failed query's status."""
        try:
            return await self._unless_cancelled(
                run,
                self.session.request(
                    "GET",
                    self._query_path(query_id),
                    params={"show_progress": "true"},
                    kind="other",
                    accept_error_body=frozenset({400, 500}),
                ),
            )
        except NotFound:
            raise QueryCancelled(
                "The query is no longer on the server: it was cancelled elsewhere or expired.",
                status=404,
            ) from None

    async def _failure(self, response: ApiResponse, sql: str) -> PostHogError:
        """The typed error of a failed async query (with HogQL positions if we can get them)."""
        status = response.data.get("query_status")
        error = error_from_status(
            response.status,
            status if isinstance(status, dict) else {},
            secret=self.session.settings.api_key,
        )
        return await self._locate(error, sql)

    def _outcome(
        self,
        http_status: int,
        data: Mapping[str, Any],
        plan: RowLimitPlan,
        query_id: str,
        started: float,
    ) -> QueryResult | QueryProgress | PostHogError | None:
        """A final result or error, or the progress (maybe None) of a query still running."""
        status = data.get("query_status")
        if status is not None and not isinstance(status, dict):
            raise ProtocolError("Unexpected response from PostHog: 'query_status' is malformed.")
        finished_here = data.get("results") is not None
        if status is None or status.get("complete") is True:
            if status is not None and status.get("error") is True:
                return error_from_status(
                    500 if status.get("error_message") is None else 400,
                    status,
                    secret=self.session.settings.api_key,
                )
            payload: object = data
            if not finished_here and status is not None:
                payload = status.get("results")
            if payload is None or (status is None and not finished_here):
                raise ProtocolError(
                    f"Unexpected response from PostHog (HTTP {http_status}): "
                    "neither results nor a query status."
                )
            return parse_query_response(
                payload,
                client_query_id=query_id,
                plan=plan,
                elapsed=self._clock() - started,
            )
        return parse_progress(status)

    async def _locate(self, error: PostHogError, sql: str) -> PostHogError:
        """Give a generic async query error its HogQL positions via HogQLMetadata, if any."""
        if type(error) is not QueryError or self._metadata is None:
            return error
        try:
            metadata = await asyncio.wait_for(self._metadata(sql), POSITION_LOOKUP_TIMEOUT)
        except (PostHogError, TimeoutError):
            return error
        if metadata.errors:
            first = metadata.errors[0]
            return HogQLError(error.message, start=first.start, end=first.end, status=error.status)
        return ClickHouseError(error.message, status=error.status)

    async def _unless_cancelled(self, run: _Run, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable`` as a task that ``cancel()`` can stop (raising QueryCancelled).

        Cancelling our own task also cancels the awaited one (closing its socket) and
        propagates as ``CancelledError``; ``Task.cancelling()`` tells the two apart.
        """
        work = asyncio.ensure_future(awaitable)
        if run.cancelled:
            work.cancel()
            raise QueryCancelled("The query was cancelled.")
        run.work = work
        try:
            return await work
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if run.cancelled and (task is None or task.cancelling() == 0):
                raise QueryCancelled("The query was cancelled.") from None
            raise
        finally:
            run.work = None

    async def cancel(self, client_query_id: str) -> None:
        """Stop waiting for the query (if we are) and ask PostHog to cancel it. Never raises
        a ``PostHogError``; safe before, during and after the query, and repeatedly."""
        run = self._runs.get(client_query_id)
        if run is not None:
            run.cancelled = True
            if run.work is not None:
                run.work.cancel()
        await self._delete_quietly(client_query_id)

    async def _delete_quietly(self, client_query_id: str) -> None:
        """``DELETE /query/:id/`` within ``cancel_timeout`` seconds; failures are only logged."""
        try:
            await asyncio.wait_for(
                self.session.request(
                    "DELETE", self._query_path(client_query_id), kind="other", idempotent=True
                ),
                self._cancel_timeout,
            )
        except (PostHogError, TimeoutError) as exc:
            log.info("cancel of %s not confirmed: %s", client_query_id, type(exc).__name__)


@dataclass
class _Run:
    """A query being awaited: ``cancel()`` sets ``cancelled`` and cancels ``work``."""

    cancelled: bool = False
    work: asyncio.Future[Any] | None = None


def _require_object(data: object) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError("Unexpected response from PostHog: the body is not a JSON object.")
    return data
