"""The export loop over random data with many ties and NULL keys (hypothesis).

The page SQL itself is covered by ``test_keyset.py`` and against ClickHouse by the live
tests; here ``KeysetQuery``'s SQL builders are swapped for JSON descriptions of the same
request, which a fake client answers from an in-memory table with the same semantics
(NULL keys excluded from comparisons, ``ORDER BY`` on the cursor columns, ``LIMIT``).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.client import QueryResult, RateBudget
from workbench.export import ExportError, ExportJob
from workbench.export.keyset import MAX_PAGE_ROWS, Boundary, KeysetQuery, Phase


def describe_page(
    self: KeysetQuery, phase: Phase, boundary: Boundary | None, types: Sequence[str]
) -> str:
    bound = None if boundary is None else [list(boundary.values), boundary.inclusive]
    return orjson.dumps(
        {"kind": "page", "phase": phase, "boundary": bound, "limit": self.page_limit(phase)}
    ).decode()


def describe_group(
    self: KeysetQuery, phase: Phase, values: Sequence[Any], types: Sequence[str]
) -> str:
    return orjson.dumps({"kind": "group", "phase": phase, "values": list(values)}).decode()


class TableClient:
    """Rows ``(id, k)``; ``k`` may be NULL; cursor ``(k, id)`` or ``(k,)``."""

    def __init__(self, rows: list[list[Any]], query: KeysetQuery) -> None:
        self.rows = rows
        self.query = query
        self.budget = RateBudget()

    def _cursor(self, phase: Phase, row: list[Any]) -> tuple[Any, ...]:
        names = self.query.cursor_columns(phase)
        return tuple(row[0] if name == "id" else row[1] for name in names)

    async def run_query(self, sql: str, **_: Any) -> QueryResult:
        if sql.startswith("SELECT count()"):
            return result(("count()",), [[len(self.rows)]])
        request = orjson.loads(sql)
        phase = request["phase"]
        rows = [r for r in self.rows if (r[1] is not None) == (phase == "keyed")]
        if request["kind"] == "group":
            wanted = tuple(request["values"])
            return result(
                ("id", "k"), [r for r in rows if self._cursor(phase, r) == wanted][:MAX_PAGE_ROWS]
            )
        if request["boundary"] is not None:
            values, inclusive = tuple(request["boundary"][0]), request["boundary"][1]
            rows = [
                r
                for r in rows
                if self._cursor(phase, r) > values
                or (inclusive and self._cursor(phase, r) == values)
            ]
        rows.sort(key=lambda r: self._cursor(phase, r))
        return result(("id", "k"), rows[: request["limit"]])


def result(columns: tuple[str, ...], rows: list[list[Any]]) -> QueryResult:
    types = ("UInt64",) if columns == ("count()",) else ("Int64", "Nullable(Int64)")
    return QueryResult(
        client_query_id="q", columns=columns, types=types, rows=rows, truncated=False,
        limit_added=False, row_limit=MAX_PAGE_ROWS, is_cached=False, last_refresh=None,
        hogql=None, clickhouse=None, timings=None, elapsed=0.0,
    )  # fmt: skip


# The same two patches for every example: the function-scoped fixture is safe here.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    keys=st.lists(st.one_of(st.none(), st.integers(0, 6)), max_size=60),
    page_size=st.integers(1, 8),
    tiebreak=st.booleans(),
)
def test_every_row_exactly_once(
    monkeypatch: pytest.MonkeyPatch, keys: list[int | None], page_size: int, tiebreak: bool
) -> None:
    monkeypatch.setattr(KeysetQuery, "page_sql", describe_page)
    monkeypatch.setattr(KeysetQuery, "group_sql", describe_group)
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # durability is not under test here
    rows = [[i, k] for i, k in enumerate(keys)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.jsonl"
        job = ExportJob(
            None,  # type: ignore[arg-type]  # replaced below, once the query exists
            "SELECT id, k FROM t",
            path,
            fmt="jsonl",
            key="k",
            tiebreak="id" if tiebreak else None,
            page_size=page_size,
        )
        job.client = TableClient(rows, job.query)  # type: ignore[assignment]
        summary = asyncio.run(job.run())
        written = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert sorted(r["id"] for r in written) == list(range(len(rows)))  # none lost or doubled
    assert summary.rows == len(rows)
    keyed = [r["k"] for r in written if r["k"] is not None]
    assert keyed == sorted(keyed) and all(r["k"] is None for r in written[len(keyed) :])


def test_a_tie_group_past_the_cap_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(KeysetQuery, "page_sql", describe_page)
    monkeypatch.setattr(KeysetQuery, "group_sql", describe_group)
    job = ExportJob(None, "SELECT id, k FROM t", tmp_path / "x.csv", key="k", page_size=10)  # type: ignore[arg-type]
    job.client = TableClient([[i, 1] for i in range(MAX_PAGE_ROWS)], job.query)  # type: ignore[assignment]
    with pytest.raises(ExportError, match="tiebreaker"):
        asyncio.run(job.run())
