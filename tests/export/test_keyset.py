"""Keyset paging without a server: page SQL, literals, cutting pages at tie groups, and the
job's rate-limit waits with a scripted client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.client import QueryResult, RateBudget, RateLimited
from workbench.client.budget import BucketRule
from workbench.export import ExportJob, ExportProgress
from workbench.export.keyset import Boundary, KeysetQuery, cut_page, identifier, literal


def test_literals_are_typed_and_escaped() -> None:
    assert literal("2026-10-26T00:12:07.891296Z", "DateTime64(6, 'UTC')") == (
        "toDateTime('2026-10-26T00:12:07.891296Z')"
    )
    assert literal("2026-10-26", "Nullable(Date)") == "toDate('2026-10-26')"
    assert literal("6c7613a6-0ff8-64ed-488f-0ab9c22f3ea5", "UUID").startswith("toUUID('")
    assert literal("it's \\ here", "LowCardinality(String)") == "'it\\'s \\\\ here'"
    assert literal(42, "UInt64") == "42" and literal(0.5, "Float64") == "0.5"
    assert literal("18446744073709551615", "UInt64") == "18446744073709551615"
    assert literal(True, "Bool") == "true"
    assert identifier("timestamp") == "timestamp" and identifier("$session id") == "`$session id`"


def test_page_sql_wraps_the_query_and_pages_with_a_plain_range_on_the_key() -> None:
    query = KeysetQuery("SELECT * FROM events;", key="timestamp", tiebreak="uuid", page_size=10)
    first = query.page_sql("keyed", None, [])
    assert first.startswith("SELECT * FROM (\nSELECT * FROM events\n) AS export_source")
    assert "WHERE isNotNull(timestamp)\nORDER BY timestamp ASC, uuid ASC\nLIMIT 10" in first
    types = ["DateTime64(6, 'UTC')", "UUID"]
    after = query.page_sql("keyed", Boundary(("2026-01-01T00:00:00Z", "u-1"), True), types)
    assert (
        "timestamp >= toDateTime('2026-01-01T00:00:00Z') AND (timestamp > "
        "toDateTime('2026-01-01T00:00:00Z') OR uuid >= toUUID('u-1'))"
    ) in after
    nulls = query.page_sql("nulls", Boundary(("u-2",), False), ["UUID"])
    assert "isNull(timestamp) AND uuid > toUUID('u-2')" in nulls
    assert "ORDER BY uuid ASC" in nulls


def test_without_a_tiebreaker_null_keys_are_one_group() -> None:
    query = KeysetQuery("SELECT 1", key="k", page_size=10)
    assert query.page_limit("nulls") == 50_000
    assert "ORDER BY" not in query.page_sql("nulls", None, [])


@pytest.mark.parametrize("bad", [0, 50_001])
def test_page_size_is_bounded_by_posthogs_cap(bad: int) -> None:
    with pytest.raises(ValueError, match="page size"):
        KeysetQuery("SELECT 1", page_size=bad)


def test_a_short_page_ends_the_phase() -> None:
    assert cut_page([[1], [1]], [0], 3).keep == 2  # trailing ties too: nothing comes after
    cut = cut_page([[1], [2]], [0], 3)
    assert cut.keep == 2 and cut.next is None and cut.group is None


def test_a_full_page_holds_back_its_trailing_tie_group() -> None:
    rows = [[1, "a"], [2, "b"], [3, "c"], [3, "d"]]
    cut = cut_page(rows, [0], 4)
    assert cut.keep == 2 and cut.next == Boundary((3,), inclusive=True) and cut.group is None
    with_tiebreak = cut_page(rows, [0, 1], 4)
    assert with_tiebreak.keep == 3 and with_tiebreak.next == Boundary((3, "d"), True)


def test_a_page_that_is_one_tie_group_asks_for_the_group() -> None:
    cut = cut_page([[7], [7], [7]], [0], 3)
    assert cut.keep == 0 and cut.group == (7,) and cut.next == Boundary((7,), inclusive=False)


class ScriptedClient:
    """Answers the count query with 3 and every page with rows 1..3 (one short page)."""

    def __init__(self, budget: RateBudget, failures: list[Exception] | None = None) -> None:
        self.budget = budget
        self.failures = failures or []
        self.sql: list[str] = []

    async def run_query(self, sql: str, **_: Any) -> QueryResult:
        self.budget.record("hogql")
        self.sql.append(sql)
        if self.failures:
            raise self.failures.pop(0)
        counting = sql.startswith("SELECT count()")
        return QueryResult(
            client_query_id="q",
            columns=("count()",) if counting else ("timestamp",),
            types=("UInt64",) if counting else ("Int64",),
            rows=[[3]] if counting else [[1], [2], [3]],
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


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_an_empty_budget_is_waited_for_and_reported(tmp_path: Path) -> None:
    time = FakeTime()
    budget = RateBudget(
        rules={
            "hogql": BucketRule(1, 3600.0),
            "burst": BucketRule(240, 60.0),
            "sustained": BucketRule(1200, 3600.0),
        },
        clock=time.clock,
    )
    client = ScriptedClient(budget)
    reports: list[ExportProgress] = []
    job = ExportJob(
        client,  # type: ignore[arg-type]
        "SELECT timestamp FROM t",
        tmp_path / "out.jsonl",
        fmt="jsonl",
        on_progress=reports.append,
        sleep=time.sleep,
        clock=time.clock,
    )
    summary = await job.run()
    assert summary.rows == 3 and len(client.sql) == 2  # the count, then one short page
    assert time.slept == [3600.0]  # one query an hour: the page waits for the count's slot
    waits = [r for r in reports if r.stage == "waiting"]
    assert [r.waiting for r in waits] == [3600.0]
    assert reports[-1].stage == "done" and reports[-1].fraction == 1.0


async def test_a_429_waits_for_retry_after_and_tries_again(tmp_path: Path) -> None:
    time = FakeTime()
    client = ScriptedClient(
        RateBudget(clock=time.clock), [RateLimited("Request was throttled.", retry_after=57.0)]
    )
    job = ExportJob(
        client,  # type: ignore[arg-type]
        "SELECT timestamp FROM t",
        tmp_path / "out.csv",
        sleep=time.sleep,
        clock=time.clock,
        count_total=False,
    )
    assert (await job.run()).rows == 3
    assert time.slept == [57.0] and len(client.sql) == 2
    assert (tmp_path / "out.csv").read_text() == "timestamp\n1\n2\n3\n"


async def test_repeated_429s_give_up_and_leave_it_resumable(tmp_path: Path) -> None:
    time = FakeTime()
    client = ScriptedClient(
        RateBudget(clock=time.clock), [RateLimited("Throttled.", retry_after=1.0)] * 10
    )
    job = ExportJob(
        client,  # type: ignore[arg-type]
        "SELECT timestamp FROM t",
        tmp_path / "out.csv",
        sleep=time.sleep,
        clock=time.clock,
        count_total=False,
    )
    with pytest.raises(RateLimited):
        await job.run()
    assert len(time.slept) == 5 and not (tmp_path / "out.csv").exists()
