"""Columnar conversion: ClickHouse types to Arrow types, nulls, fallbacks, empty results."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from workbench.client.arrow import arrow_type_for, base_type, rows_to_table
from workbench.client.models import QueryResult


@pytest.mark.parametrize(
    ("ch_type", "expected"),
    [
        ("UInt64", pa.uint64()),
        ("Int32", pa.int64()),
        ("Nullable(Float64)", pa.float64()),
        ("LowCardinality(Nullable(String))", pa.string()),
        ("UUID", pa.string()),
        ("Bool", pa.bool_()),
        ("Date", pa.date32()),
        ("DateTime64(6, 'UTC')", pa.timestamp("us", tz="UTC")),
        ("DateTime('Europe/Berlin')", pa.timestamp("us", tz="Europe/Berlin")),
        ("DateTime", pa.timestamp("us", tz="UTC")),
        ("Array(String)", pa.list_(pa.string())),
        ("Array(Array(Nullable(UInt64)))", pa.list_(pa.list_(pa.uint64()))),
        ("Array(DateTime64(6, 'UTC'))", None),  # text items needing a cast: inferred
        ("Map(String, String)", None),
    ],
)
def test_type_mapping(ch_type: str, expected: pa.DataType | None) -> None:
    assert arrow_type_for(ch_type) == expected


def test_base_type_strips_wrappers() -> None:
    assert base_type(" LowCardinality(Nullable(String)) ") == "String"


def test_table_is_typed_and_keeps_nulls() -> None:
    table = rows_to_table(
        ("event", "n", "ts", "day", "tags", "p"),
        ("String", "UInt64", "DateTime64(6, 'UTC')", "Date", "Array(String)", "Nullable(Float64)"),
        [
            ["$pageview", 3, "2026-11-29T07:00:00.123456Z", "2026-11-29", ["a", "b"], None],
            ["click", 18446744073709551615, "2026-11-29T07:00:01Z", "2026-11-28", [], 1.5],
        ],
    )
    assert table.schema.field("n").type == pa.uint64()
    assert table.column("n").to_pylist()[1] == 2**64 - 1
    assert table.column("ts").to_pylist()[0] == dt.datetime(
        2026, 11, 29, 7, 0, 0, 123456, tzinfo=dt.UTC
    )
    assert table.column("day").to_pylist() == [dt.date(2026, 11, 29), dt.date(2026, 11, 28)]
    assert table.column("tags").to_pylist() == [["a", "b"], []]
    assert table.column("p").to_pylist() == [None, 1.5]


def test_values_that_defy_their_type_fall_back_to_text() -> None:
    table = rows_to_table(
        ("x", "t", "m"),
        ("UInt8", "DateTime", "Map(String, String)"),
        [["not a number", "garbage", {"a": 1}], [7, "2026-01-01T00:00:00Z", [1, "two"]]],
    )
    assert table.schema.field("x").type == pa.string()
    assert table.column("x").to_pylist() == ["not a number", "7"]
    assert table.column("t").to_pylist() == ["garbage", "2026-01-01T00:00:00Z"]
    assert table.column("m").to_pylist() == ['{"a":1}', '[1,"two"]']


def test_empty_result_keeps_columns_and_types() -> None:
    table = rows_to_table(("a", "b"), ("String", "UInt64"), [])
    assert table.num_rows == 0 and table.column_names == ["a", "b"]
    assert table.schema.field("b").type == pa.uint64()


def test_duplicate_column_names_survive() -> None:
    table = rows_to_table(("x", "x"), ("UInt8", "String"), [[1, "a"]])
    assert table.column_names == ["x", "x"]


def test_query_result_caches_its_table() -> None:
    result = QueryResult(
        client_query_id="q",
        columns=("a",),
        types=("UInt8",),
        rows=[[1], [2]],
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
    assert result.to_arrow() is result.to_arrow()
    assert result.to_arrow().column("a").to_pylist() == [1, 2]
    assert "rows" not in repr(result)  # rows are data: keep reprs short


def test_an_array_column_with_odd_items_falls_back_to_text_alone() -> None:
    table = rows_to_table(
        ("tags", "n"), ("Array(String)", "UInt8"), [[["x", {"y": 1}], 1], [["z"], 2]]
    )
    assert table.column("tags").to_pylist() == ['["x",{"y":1}]', '["z"]']
    assert table.schema.field("n").type == pa.int64()  # the other columns keep their types
    assert table.column("n").to_pylist() == [1, 2]


def test_project_timezone_offsets_are_parsed() -> None:
    table = rows_to_table(
        ("ts",), ("DateTime64(6, 'America/New_York')",), [["2025-06-01T06:00:00.5-04:00"]]
    )
    assert table.schema.field("ts").type == pa.timestamp("us", tz="America/New_York")
    assert table.column("ts").to_pylist()[0].astimezone(dt.UTC) == dt.datetime(
        2025, 6, 1, 10, 0, 0, 500000, tzinfo=dt.UTC
    )
