"""LIMIT injection and clamping, the paginator, the OFFSET rule and {placeholders}."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.server_hogql.conftest import TEAM_ID, run
from workbench.server.hogql import HogQLError, translate_hogql
from workbench.server.hogql.limits import OFFSET_NOT_ALLOWED_MESSAGE


def translate(query: str, **kwargs: Any) -> Any:
    return translate_hogql(query, team_id=TEAM_ID, **kwargs)


def test_limitless_select_is_paginated_with_101(chdb_conn: Any) -> None:
    result = translate("select event from events")
    assert result.paginate is True
    assert result.clickhouse.endswith(" LIMIT 101")
    assert result.hogql.endswith("\nLIMIT 101")
    assert len(run(chdb_conn, result.clickhouse)) == 101


def test_explicit_limit_is_kept_and_not_paginated() -> None:
    result = translate("select event from events limit 7")
    assert result.paginate is False
    assert result.clickhouse.endswith(" LIMIT 7")


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("select 1 limit 100000", "LIMIT 50000"),
        ("select 1 limit 50000", "LIMIT 50000"),
        ("select 1 limit 49999", "LIMIT 49999"),
        ("select 1 limit 2 + 3", "LIMIT min2(50000, plus(2, 3))"),
    ],
)
def test_top_level_limit_is_clamped_to_50000(query: str, limit: str) -> None:
    assert translate(query).clickhouse.endswith(limit)


def test_each_union_arm_without_limit_gets_100() -> None:
    result = translate("select 1 union all select 2 limit 5 union all select 3")
    assert (
        result.clickhouse
        == "SELECT 1 LIMIT 100 UNION ALL SELECT 2 LIMIT 5 UNION ALL SELECT 3 LIMIT 100"
    )
    assert result.paginate is False


def test_subqueries_are_not_limited() -> None:
    sql = translate("select count() from (select event from events)").clickhouse
    assert sql.count("LIMIT") == 1 and sql.endswith("LIMIT 101")


@pytest.mark.parametrize(
    ("query", "offset_text"),
    [
        ("select event from events limit 10 offset 5", "5"),
        ("select event from events limit 3 offset 20", "20"),
        ("select count() from (select event from events limit 10 offset 77)", "77"),
        ("select event from events limit 1 offset 2 by event limit 10", "2"),
    ],
)
def test_offset_is_refused_for_personal_api_keys(query: str, offset_text: str) -> None:
    with pytest.raises(HogQLError) as caught:
        translate(query)
    assert caught.value.message == OFFSET_NOT_ALLOWED_MESSAGE
    assert caught.value.code == "hogql_query_error"
    assert caught.value.start is not None
    assert query[caught.value.start : caught.value.end] == offset_text


def test_offset_is_allowed_without_a_personal_api_key(chdb_conn: Any) -> None:
    result = translate(
        "select event from events order by uuid limit 3 offset 2", personal_api_key=False
    )
    assert result.clickhouse.endswith("LIMIT 3 OFFSET 2")
    assert len(run(chdb_conn, result.clickhouse)) == 3


def test_limit_by_prints_before_limit() -> None:
    sql = translate("select event from events limit 2 by event limit 10").clickhouse
    assert sql.endswith("LIMIT 2 BY events.event LIMIT 10")


def test_placeholders_are_filled_as_escaped_constants(chdb_conn: Any) -> None:
    result = translate(
        "select count() from events where event = {ev} and timestamp < {before}",
        values={"ev": "purchase", "before": datetime(2030, 1, 1, tzinfo=UTC)},
    )
    assert "equals(events.event, 'purchase')" in result.clickhouse
    assert "toDateTime64('2030-01-01 00:00:00.000000', 6, 'UTC')" in result.clickhouse
    expected = run(chdb_conn, "SELECT count() FROM events WHERE event = 'purchase'")
    assert run(chdb_conn, result.clickhouse) == expected


def test_placeholder_strings_cannot_inject_sql(chdb_conn: Any) -> None:
    evil = "x' OR 1=1 OR event = '"
    result = translate("select count() from events where event = {ev}", values={"ev": evil})
    assert "'x\\' OR 1=1 OR event = \\''" in result.clickhouse
    assert run(chdb_conn, result.clickhouse) == [[0]]


def test_placeholder_lists_become_tuples_for_in() -> None:
    result = translate(
        "select count() from events where event in {events}",
        values={"events": ("a", "b")},
    )
    assert "in(events.event, tuple('a', 'b'))" in result.clickhouse


def test_missing_placeholder_value_is_a_clear_error_at_its_position() -> None:
    query = "select count() from events where event = {ev}"
    with pytest.raises(HogQLError) as caught:
        translate(query, values={"other": 1})
    assert "{ev}" in caught.value.message and "values" in caught.value.message
    assert query[caught.value.start : caught.value.end] == "{ev}"


def test_filters_placeholder_without_filters_is_true(chdb_conn: Any) -> None:
    result = translate("select count() from events where {filters}")
    assert result.clickhouse.startswith(
        "SELECT count() FROM events WHERE and(equals(events.team_id, 1), true)"
    )
    assert run(chdb_conn, result.clickhouse) == run(chdb_conn, "SELECT count() FROM events")


def test_a_limit_on_a_whole_union_applies_to_the_union(chdb_conn: Any) -> None:
    result = translate(
        "(select event from events limit 3) union all (select event from events limit 3) limit 4"
    )
    assert result.clickhouse.startswith("SELECT * FROM (SELECT events.event AS event")
    assert result.clickhouse.endswith(") LIMIT 4")
    assert result.hogql.endswith("\nLIMIT 4")
    assert len(run(chdb_conn, result.clickhouse)) == 4


def test_a_union_limit_is_clamped_too() -> None:
    result = translate("(select 1) union all (select 2) limit 100000")
    assert result.clickhouse.endswith(") LIMIT 50000")


def test_a_union_offset_is_refused_for_personal_api_keys() -> None:
    query = "(select 1) union all (select 2) limit 1 offset 1"
    with pytest.raises(HogQLError) as caught:
        translate(query)
    assert caught.value.message == OFFSET_NOT_ALLOWED_MESSAGE


def test_filters_placeholder_applies_date_range_and_property_filters(chdb_conn: Any) -> None:
    filters = {
        "dateRange": {"date_from": "2026-10-20", "date_to": "2026-10-27 12:00:00"},
        "properties": [
            {"key": "$browser", "value": ["Chrome", "Safari"], "operator": "exact"},
            {"key": "plan", "value": "pro", "operator": "exact", "type": "person"},
            {"key": "utm_source", "operator": "is_not_set"},
        ],
    }
    result = translate("select count() from events where {filters}", values={"filters": filters})
    expected = run(
        chdb_conn,
        "SELECT count() FROM events WHERE timestamp >= toDateTime64('2026-10-20', 6, 'UTC') "
        "AND timestamp <= toDateTime64('2026-10-27 12:00:00', 6, 'UTC') "
        "AND JSONExtractString(properties, '$browser') IN ('Chrome', 'Safari') "
        "AND JSONExtractString(person_properties, 'plan') = 'pro' "
        "AND NOT JSONHas(properties, 'utm_source')",
    )
    assert expected[0][0] > 0
    assert run(chdb_conn, result.clickhouse) == expected


def test_filters_relative_dates_and_bad_input(chdb_conn: Any) -> None:
    result = translate(
        "select count() from events where {filters}",
        values={"filters": {"dateRange": {"date_from": "-7d"}}},
    )
    assert "greaterOrEquals(events.timestamp, minus(now64(6, 'UTC'), toIntervalDay(7)))" in (
        result.clickhouse
    )
    for bad in (
        {"dateRange": {"date_from": "last tuesday"}},
        {"properties": [{"key": "x", "operator": "between"}]},
    ):
        with pytest.raises(HogQLError):
            translate("select 1 from events where {filters}", values={"filters": bad})
