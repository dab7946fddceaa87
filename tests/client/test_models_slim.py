"""``QueryResult.without_rows``: the copy the app keeps once the grid has its table."""

from __future__ import annotations

from workbench.client.models import QueryResult


def test_without_rows_drops_python_rows_and_keeps_the_same_arrow_table() -> None:
    result = QueryResult(
        client_query_id="q",
        columns=("event", "n"),
        types=("String", "UInt64"),
        rows=[["$pageview", 3], ["tab\there", 1]],
        truncated=False,
        limit_added=True,
        row_limit=1000,
        is_cached=False,
        last_refresh=None,
        hogql=None,
        clickhouse=None,
        timings=None,
        elapsed=0.1,
    )
    table = result.to_arrow()
    slim = result.without_rows()
    assert slim.rows == [] and result.rows  # the original is untouched
    assert slim.row_count == result.row_count == 2
    assert slim.to_arrow() is table
    assert slim.to_arrow().column("event").to_pylist() == ["$pageview", "tab\there"]
