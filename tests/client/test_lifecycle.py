"""Query lifecycle against the in-memory fake: submit, poll, progress, cancel, LIMIT policy."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Callable

import httpx
import orjson
import pytest

from tests.client.conftest import until
from tests.client.fake_posthog import FakePostHog
from workbench.client import (
    ClickHouseError,
    HogQLError,
    NetworkError,
    OutOfMemory,
    PostHogClient,
    QueryCancelled,
    QueryProgress,
    QueryTimeout,
    QueryTooSlow,
)
from workbench.client.lifecycle import PollSchedule

MakeClient = Callable[..., PostHogClient]


async def test_blocking_query_returns_typed_rows(client: PostHogClient, fake: FakePostHog) -> None:
    result = await client.run_query("SELECT event, n FROM events", mode="blocking")
    assert result.columns == ("event", "n")
    assert result.types == ("String", "UInt64")
    assert result.rows == [[f"event_{i}", i] for i in range(5)]
    assert (result.truncated, result.limit_added, result.is_cached) == (False, True, False)
    assert result.last_refresh is not None and result.last_refresh.tzinfo is not None
    assert result.timings == [("./parse_select", 0.0012)]
    body = orjson.loads(fake.sent("POST")[0].content)
    assert body["refresh"] == "blocking"
    assert body["query"] == {
        "kind": "HogQLQuery",
        "query": "SELECT event, n FROM events LIMIT 1001",
    }
    assert len(body["client_query_id"]) == 32
    assert fake.sent("GET") == []


async def test_given_client_query_id_is_sent_and_returned(
    client: PostHogClient, fake: FakePostHog
) -> None:
    result = await client.run_query("SELECT 1", client_query_id="abc123", mode="blocking")
    assert result.client_query_id == "abc123"
    assert orjson.loads(fake.sent("POST")[0].content)["client_query_id"] == "abc123"


async def test_async_query_polls_and_reports_progress(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.polls_to_finish = 3
    seen: list[QueryProgress] = []
    result = await client.run_query("SELECT event FROM events", on_progress=seen.append)
    assert result.row_count == 5
    assert orjson.loads(fake.sent("POST")[0].content)["refresh"] == "async"
    polls = fake.sent("GET", "/query/")
    assert len(polls) == 3
    assert all(p.url.params["show_progress"] == "true" for p in polls)
    # The POST's 202 carries progress 0, then two polls still running.
    assert [p.rows_read for p in seen] == [0, 1000, 2000]
    assert seen[-1].time_elapsed == 2.0
    assert seen[-1].active_cpu_time == pytest.approx(0.1)  # microseconds became seconds
    assert seen[-1].fraction == pytest.approx(2 / 3)


async def test_force_refresh_selects_force_modes(client: PostHogClient, fake: FakePostHog) -> None:
    await client.run_query("SELECT 1", mode="blocking", force_refresh=True)
    await client.run_query("SELECT 1", mode="async", force_refresh=True)
    modes = [orjson.loads(r.content)["refresh"] for r in fake.sent("POST")]
    assert modes == ["force_blocking", "force_async"]


async def test_cached_result_is_flagged_with_its_age(client: PostHogClient) -> None:
    first = await client.run_query("SELECT 2", mode="blocking")
    second = await client.run_query("SELECT 2", mode="blocking")
    assert (first.is_cached, second.is_cached) == (False, True)
    computed = dt.datetime(2026, 11, 29, 7, 0, 0, 123456, tzinfo=dt.UTC)  # the fake's last_refresh
    assert second.last_refresh == computed
    assert second.cache_age(computed + dt.timedelta(seconds=90)) == pytest.approx(90.0)


async def test_missing_limit_gets_probe_and_truncation_is_reported(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.total_rows = 50
    result = await client.run_query("SELECT event FROM events", mode="blocking", row_limit=10)
    assert fake.posted_sql()[-1].endswith("LIMIT 11")
    assert result.row_count == 10 and result.truncated and result.limit_added


async def test_exact_fit_is_not_truncated(client: PostHogClient, fake: FakePostHog) -> None:
    fake.total_rows = 10
    result = await client.run_query("SELECT event FROM events", mode="blocking", row_limit=10)
    assert result.row_count == 10 and not result.truncated


async def test_users_own_limit_is_kept(client: PostHogClient, fake: FakePostHog) -> None:
    fake.total_rows = 3
    result = await client.run_query("SELECT event FROM events LIMIT 3", mode="blocking")
    assert fake.posted_sql()[-1] == "SELECT event FROM events LIMIT 3"
    assert (result.limit_added, result.truncated, result.row_count) == (False, False, 3)


async def test_users_limit_above_row_limit_is_trimmed_and_reported(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.total_rows = 40
    result = await client.run_query("SELECT e FROM events LIMIT 40", mode="blocking", row_limit=25)
    assert (result.row_count, result.truncated, result.limit_added) == (25, True, False)


async def test_has_more_from_posthog_means_truncated(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(
        httpx.Response(
            200,
            json={
                "results": [[1]] * 100,
                "columns": ["x"],
                "types": [["x", "UInt8"]],
                "hasMore": True,
            },
        )
    )
    result = await client.run_query("SELECT x FROM t LIMIT 100", mode="blocking")
    assert result.truncated and result.row_count == 100


@pytest.mark.parametrize("row_limit", [0, -1, 50_001, True])
async def test_row_limit_out_of_range_is_refused_before_sending(
    client: PostHogClient, fake: FakePostHog, row_limit: int
) -> None:
    with pytest.raises(ValueError, match="row limit"):
        await client.run_query("SELECT 1", row_limit=row_limit)
    assert fake.requests == []


async def test_hogql_error_carries_positions(client: PostHogClient) -> None:
    sql = "SELECT nope FROM events"
    with pytest.raises(HogQLError) as info:
        await client.run_query(sql, mode="blocking")
    error = info.value
    assert (error.code, error.start, error.end) == ("hogql_query_error", 7, 11)
    assert sql[error.start : error.end] == "nope"
    assert str(error).startswith("Unable to resolve field: nope")


async def test_async_hogql_error_gets_positions_from_metadata(
    client: PostHogClient, fake: FakePostHog
) -> None:
    with pytest.raises(HogQLError) as info:
        await client.run_query("SELECT nope FROM events")
    assert (info.value.start, info.value.end) == (7, 11)
    assert str(info.value) == "Unable to resolve field: nope"
    kinds = [orjson.loads(r.content)["query"]["kind"] for r in fake.sent("POST")]
    assert kinds == ["HogQLQuery", "HogQLMetadata"]


async def test_async_error_that_metadata_finds_valid_is_a_clickhouse_error(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.async_error = (400, "Illegal type of argument #1 of function plus")
    with pytest.raises(ClickHouseError, match="Illegal type"):
        await client.run_query("SELECT 1 + 'a'")


async def test_async_internal_failure_is_a_server_error(
    client: PostHogClient, fake: FakePostHog
) -> None:
    from workbench.client import ServerError

    fake.async_error = (500, None)
    with pytest.raises(ServerError, match="without an error message"):
        await client.run_query("SELECT 1")
    assert fake.deleted == []  # it finished (failed): nothing to cancel


async def test_status_gone_while_polling_is_query_cancelled(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.polls_to_finish = 5

    def forget(request: httpx.Request) -> httpx.Response:
        fake.statuses.clear()
        return fake.default(request)

    fake.respond_next(fake.default, forget)
    with pytest.raises(QueryCancelled, match="no longer on the server"):
        await client.run_query("SELECT 1")


# ------------------------------------------------------------------ cancellation


async def test_cancel_while_polling_stops_and_deletes(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.polls_to_finish = 1_000_000
    seen: list[QueryProgress] = []
    task = asyncio.create_task(
        client.run_query("SELECT 1", client_query_id="q1", on_progress=seen.append)
    )
    await until(lambda: len(seen) >= 3)
    await client.cancel("q1")
    with pytest.raises(QueryCancelled):
        await task
    polls_at_cancel = len(fake.sent("GET"))
    assert fake.deleted == ["q1"]
    await asyncio.sleep(0.01)
    assert len(fake.sent("GET")) == polls_at_cancel  # polling stopped
    assert client.running_queries == frozenset()


async def test_cancel_during_blocking_post_aborts_the_wait_and_deletes(
    make_client: MakeClient, fake: FakePostHog
) -> None:
    client = make_client(sleep=asyncio.sleep)
    fake.post_delay = 30.0
    task = asyncio.create_task(client.run_query("SELECT 1", client_query_id="b1", mode="blocking"))
    await until(lambda: fake.slow_posts_started)
    await client.cancel("b1")
    with pytest.raises(QueryCancelled):
        await task
    assert fake.deleted == ["b1"]


async def test_cancelling_the_task_while_polling_deletes_on_the_server(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.polls_to_finish = 1_000_000
    seen: list[QueryProgress] = []
    task = asyncio.create_task(
        client.run_query("SELECT 1", client_query_id="t1", on_progress=seen.append)
    )
    await until(lambda: len(seen) >= 2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake.deleted == ["t1"]
    assert task.cancelled()


async def test_cancelling_the_task_during_a_blocking_post_deletes(
    make_client: MakeClient, fake: FakePostHog
) -> None:
    client = make_client(sleep=asyncio.sleep)
    fake.post_delay = 30.0
    task = asyncio.create_task(client.run_query("SELECT 1", client_query_id="t2", mode="blocking"))
    await until(lambda: fake.slow_posts_started)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake.deleted == ["t2"]


async def test_task_cancel_delete_is_bounded_when_the_server_hangs(
    make_client: MakeClient, fake: FakePostHog
) -> None:
    client = make_client(cancel_timeout=0.05)
    fake.polls_to_finish = 1_000_000
    seen: list[QueryProgress] = []
    task = asyncio.create_task(client.run_query("SELECT 1", on_progress=seen.append))
    await until(lambda: seen)

    fake.hang = True  # the DELETE will never be answered
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)  # returns after ~cancel_timeout, not an hour
    assert fake.sent("DELETE")  # it was tried


async def test_cancel_before_the_query_starts_sends_no_post(
    client: PostHogClient, fake: FakePostHog
) -> None:
    await client.cancel("early")
    assert fake.deleted == ["early"]
    assert fake.sent("POST") == []


async def test_cancel_after_finish_is_harmless(client: PostHogClient, fake: FakePostHog) -> None:
    result = await client.run_query("SELECT 1", client_query_id="done")
    await client.cancel("done")
    await client.cancel("done")
    assert result.row_count == 5
    assert fake.deleted == ["done", "done"]


async def test_cancel_of_unknown_or_gone_query_is_harmless(
    client: PostHogClient, fake: FakePostHog
) -> None:
    await client.cancel("never-existed")
    assert fake.deleted == ["never-existed"]


async def test_cancel_with_the_network_down_does_not_raise(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(httpx.ConnectError("[Errno 111] Connection refused"))
    fake.respond_next(httpx.ConnectError("[Errno 111] Connection refused"))
    fake.respond_next(httpx.ConnectError("[Errno 111] Connection refused"))
    await client.cancel("q")  # no exception


async def test_cancel_with_a_server_error_does_not_raise(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(
        httpx.Response(500, text="<html>oops</html>", headers={"content-type": "text/html"})
    )
    await client.cancel("q")


async def test_failing_progress_callback_cancels_on_the_server(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.polls_to_finish = 1_000_000

    def explode(progress: QueryProgress) -> None:
        raise RuntimeError("callback bug")

    with pytest.raises(RuntimeError, match="callback bug"):
        await client.run_query("SELECT 1", client_query_id="cb", on_progress=explode)
    assert fake.deleted == ["cb"]


async def test_giving_up_cancels_and_raises_timeout(
    make_client: MakeClient, fake: FakePostHog
) -> None:
    now = [0.0]

    async def advance(seconds: float) -> None:
        now[0] += seconds

    client = make_client(
        sleep=advance, clock=lambda: now[0], poll_schedule=PollSchedule(give_up_after=20.0)
    )
    fake.polls_to_finish = 1_000_000
    with pytest.raises(QueryTimeout, match="Gave up"):
        await client.run_query("SELECT 1", client_query_id="slow")
    assert fake.deleted == ["slow"]
    assert 20.0 <= now[0] < 24.0


async def test_poll_delays_follow_the_web_apps_schedule(
    make_client: MakeClient, fake: FakePostHog
) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    client = make_client(sleep=record, poll_schedule=PollSchedule())
    fake.polls_to_finish = 12
    await client.run_query("SELECT 1")
    assert waits[:3] == pytest.approx([0.3, 0.375, 0.46875])
    assert max(waits) == 3.0 and len(waits) == 12
    assert all(b >= a for a, b in itertools.pairwise(waits))


async def test_read_failure_after_sending_a_post_is_not_retried_and_cleans_up(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(httpx.ReadError("connection reset by peer"))
    with pytest.raises(NetworkError) as info:
        await client.run_query("SELECT 1", client_query_id="r1", mode="blocking")
    assert info.value.kind == "reset"
    assert len(fake.sent("POST")) == 1
    assert fake.deleted == ["r1"]  # it may be running: cancel it


async def test_connect_failure_of_a_post_is_retried(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(httpx.ConnectError("[Errno 111] Connection refused"))
    result = await client.run_query("SELECT 1", mode="blocking")
    assert result.row_count == 5
    assert len(fake.sent("POST")) == 2
    assert fake.deleted == []


async def test_poll_failures_are_retried(client: PostHogClient, fake: FakePostHog) -> None:
    fake.polls_to_finish = 1
    fake.respond_next(
        fake.default,
        httpx.ReadTimeout("timed out"),
        httpx.Response(502, text="bad gateway"),
    )
    result = await client.run_query("SELECT 1")
    assert result.row_count == 5
    assert len(fake.sent("GET")) == 3


async def test_duplicate_running_id_is_refused(client: PostHogClient, fake: FakePostHog) -> None:
    fake.polls_to_finish = 1_000_000
    task = asyncio.create_task(client.run_query("SELECT 1", client_query_id="dup"))
    await until(lambda: fake.sent("GET"))
    with pytest.raises(ValueError, match="already running"):
        await client.run_query("SELECT 1", client_query_id="dup")
    await client.cancel("dup")
    with pytest.raises(QueryCancelled):
        await task


async def test_repost_of_known_async_id_returns_old_result(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.polls_to_finish = 0
    first = await client.run_query("SELECT 1", client_query_id="same")
    second = await client.run_query("SELECT 1", client_query_id="same")
    assert first.rows == second.rows
    assert fake.sent("GET") == []  # complete at submit: no polling


async def test_budget_counts_queries_and_polls(client: PostHogClient, fake: FakePostHog) -> None:
    fake.polls_to_finish = 2
    await client.run_query("SELECT 1")
    assert client.budget.remaining("hogql") == 119
    assert client.budget.remaining("burst") == 238
    assert client.budget.remaining("sustained") == 1198


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Query has hit the max execution time before completing.", QueryTimeout),
        ("Code: 159. DB::Exception: Timeout exceeded: elapsed 60.1 seconds", QueryTimeout),
        ("Estimated query execution time (600 seconds) is too long.", QueryTooSlow),
        ("This query ran out of memory before it could finish.", OutOfMemory),
        # A word in the SQL, not a timeout (the fake's metadata finds the SQL valid).
        ("Illegal type of argument: timeout", ClickHouseError),
    ],
)
async def test_async_failures_are_classified_by_their_text(
    client: PostHogClient, fake: FakePostHog, message: str, expected: type[Exception]
) -> None:
    fake.async_error = (400, message)
    with pytest.raises(expected):
        await client.run_query("SELECT timeout FROM events")


async def test_a_poll_refused_with_a_long_retry_after_is_reported_and_cancelled(
    client: PostHogClient, fake: FakePostHog
) -> None:
    from workbench.client import RateLimited

    fake.polls_to_finish = 5
    fake.respond_next(
        fake.default,  # the POST: accepted, running
        httpx.Response(429, headers={"Retry-After": "120"}, json={"detail": "Slow down."}),
    )
    with pytest.raises(RateLimited) as info:
        await client.run_query("SELECT 1", client_query_id="throttled")
    assert info.value.retry_after == 120
    assert fake.deleted == ["throttled"]  # still running on the server: cancel it


async def test_a_refused_post_sends_no_delete(client: PostHogClient, fake: FakePostHog) -> None:
    from workbench.client import RateLimited

    fake.respond_next(httpx.Response(429, headers={"Retry-After": "120"}, json={"detail": "No."}))
    with pytest.raises(RateLimited):
        await client.run_query("SELECT 1", client_query_id="refused")
    assert fake.deleted == []


async def test_a_failed_status_in_a_200_answer_is_final(
    client: PostHogClient, fake: FakePostHog
) -> None:
    from workbench.client import ServerError

    failed = {"query_status": {"id": "f", "complete": True, "error": True, "error_message": None}}
    fake.respond_next(httpx.Response(200, json=failed))
    with pytest.raises(ServerError):
        await client.run_query("SELECT 1", client_query_id="f")
    assert fake.deleted == []
