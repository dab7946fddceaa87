"""Golden translations (HogQL in → ClickHouse out) and their results on the fixture data."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server_hogql.conftest import TEAM_ID, run
from workbench.server.hogql import HogQLError, translate_hogql

CURRENT_URL = (
    "replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(events.properties, '$current_url'), ''), "
    "'null'), '^\"|\"$', '')"
)


def translate(query: str, **kwargs: Any) -> Any:
    return translate_hogql(query, team_id=TEAM_ID, **kwargs)


def test_blog_example_from_posthogs_docs_translates_like_posthogs_printer() -> None:
    query = (
        "select properties.$current_url from events "
        "where properties.$current_url like '%/blog%' limit 100"
    )
    result = translate(query)
    assert result.clickhouse == (
        f"SELECT {CURRENT_URL} AS `$current_url` FROM events WHERE and(equals(events.team_id, 1), "
        f"ifNull(like({CURRENT_URL}, '%/blog%'), 0)) LIMIT 100"
    )
    assert "%(hogql_val_0)s" in result.clickhouse_display
    assert "'%/blog%'" not in result.clickhouse_display
    assert result.columns == ["$current_url"]
    assert result.paginate is False
    assert result.table_names == ["events"]
    assert result.hogql == (
        "SELECT\n    properties.$current_url\nFROM\n    events\n"
        "WHERE\n    like(properties.$current_url, '%/blog%')\nLIMIT 100"
    )


def test_blog_example_returns_blog_urls(chdb_conn: Any) -> None:
    result = translate(
        "select properties.$current_url from events "
        "where properties.$current_url like '%/blog%' limit 100"
    )
    rows = run(chdb_conn, result.clickhouse)
    assert len(rows) == 100
    assert all("/blog" in row[0] for row in rows)


def test_persons_email_example_returns_only_identified_persons(chdb_conn: Any) -> None:
    result = translate("select properties.email from persons where properties.email is not null")
    assert result.columns == ["email"]
    assert result.paginate is True
    assert result.clickhouse.endswith("LIMIT 101")
    rows = run(chdb_conn, result.clickhouse)
    assert len(rows) == 101
    assert all("@" in row[0] for row in rows)
    expected = run(
        chdb_conn,
        "SELECT count() FROM persons WHERE team_id = 1 AND JSONHas(properties, 'email')",
    )[0][0]
    assert expected > 101


def test_count_by_event_matches_hand_written_clickhouse(chdb_conn: Any) -> None:
    result = translate("select event, count() from events group by event order by count() desc")
    assert result.columns == ["event", "count()"]
    assert result.clickhouse == (
        "SELECT events.event AS event, count() FROM events WHERE equals(events.team_id, 1) "
        "GROUP BY events.event ORDER BY count() DESC LIMIT 101"
    )
    expected = run(
        chdb_conn, "SELECT event, count() FROM events GROUP BY event ORDER BY count() DESC"
    )
    assert run(chdb_conn, result.clickhouse) == expected


def test_other_teams_see_nothing(chdb_conn: Any) -> None:
    result = translate_hogql("select count() from events", team_id=2)
    assert "equals(events.team_id, 2)" in result.clickhouse
    assert run(chdb_conn, result.clickhouse) == [[0]]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        (
            "select properties.`$browser` from events",
            "JSONExtractRaw(events.properties, '$browser')",
        ),
        (
            "select properties['$browser'] from events",
            "JSONExtractRaw(events.properties, '$browser')",
        ),
        ("select properties.a.b from events", "JSONExtractRaw(events.properties, 'a', 'b')"),
        ("select properties.a.1 from events", "JSONExtractRaw(events.properties, 'a', 1)"),
        (
            "select person.properties.email from events",
            "JSONExtractRaw(events.person_properties, 'email')",
        ),
        (
            "select events.person.properties.email from events",
            "JSONExtractRaw(events.person_properties, 'email')",
        ),
        ("select person.id from events", "events.person_id AS id"),
        ("select person_id from events", "events.person_id AS person_id"),
        (
            "select poe.properties.plan from events",
            "JSONExtractRaw(events.person_properties, 'plan')",
        ),
    ],
)
def test_property_access_forms(query: str, fragment: str) -> None:
    assert fragment in translate(query).clickhouse


def test_column_names_follow_posthog() -> None:
    result = translate(
        "select event as e, properties.$browser, count(), 1 + 2, person.properties.email "
        "from events group by e, properties.$browser, person.properties.email"
    )
    assert result.columns == ["e", "$browser", "count()", "plus(1, 2)", "email"]


def test_not_equals_keeps_events_without_the_property(chdb_conn: Any) -> None:
    result = translate("select count() from events where properties.utm_source != 'google'")
    assert "ifNull(notEquals(" in result.clickhouse and ", 1)" in result.clickhouse
    total = run(chdb_conn, "SELECT count() FROM events")[0][0]
    google = run(
        chdb_conn,
        "SELECT count() FROM events WHERE JSONExtractString(properties, 'utm_source') = 'google'",
    )[0][0]
    assert run(chdb_conn, result.clickhouse) == [[total - google]]


def test_syntax_error_has_parser_position() -> None:
    with pytest.raises(HogQLError) as caught:
        translate("select event, count() from events where group by event")
    assert caught.value.code == "hogql_syntax_error"
    assert caught.value.start == 46


def test_unknown_function_is_named_with_its_position() -> None:
    query = "select nosuchfunc(event) from events"
    with pytest.raises(HogQLError) as caught:
        translate(query)
    assert caught.value.message == "Unsupported function call 'nosuchfunc(...)'"
    assert caught.value.code == "hogql_query_error"
    assert query[caught.value.start : caught.value.end] == "nosuchfunc(event)"


def test_unknown_field_is_named_with_its_position() -> None:
    query = "SELECT nope FROM events"
    with pytest.raises(HogQLError) as caught:
        translate(query)
    assert caught.value.message == "Unable to resolve field: nope"
    assert (caught.value.start, caught.value.end) == (7, 11)


def test_numeric_property_definitions_read_as_float(chdb_conn: Any) -> None:
    result = translate("select sum(properties.revenue) from events where event = 'purchase'")
    assert "sum(toFloat64OrNull(replaceRegexpAll(" in result.clickhouse
    expected = run(
        chdb_conn,
        "SELECT sum(JSONExtractFloat(properties, 'revenue')) FROM events WHERE event = 'purchase'",
    )
    assert run(chdb_conn, result.clickhouse)[0][0] == pytest.approx(expected[0][0])


@pytest.mark.parametrize(
    ("expr", "printed", "value"),
    [
        ("toFloat('1.5')", "toFloat64OrNull('1.5')", 1.5),
        ("toFloat('x')", "toFloat64OrNull('x')", None),
        ("toInt(2.7)", "toInt64(2.7)", 2),
        ("toFloat(count())", "accurateCastOrNull(count(), 'Float64')", 1.0),
    ],
)
def test_conversions_pick_the_clickhouse_function_by_argument_type(
    chdb_conn: Any, expr: str, printed: str, value: object
) -> None:
    result = translate(f"select {expr} from (select 1 as one)")
    assert printed in result.clickhouse
    assert run(chdb_conn, result.clickhouse) == [[value]]


def test_converting_a_numeric_property_casts_instead_of_parsing(chdb_conn: Any) -> None:
    result = translate(
        "select toInt(properties.revenue) from events where event = 'purchase' limit 1"
    )
    assert "toInt64(toFloat64OrNull(" in result.clickhouse
    assert isinstance(run(chdb_conn, result.clickhouse)[0][0], int)


@pytest.mark.parametrize(
    "query",
    [
        "select properties.$browser, person.properties.$browser from events limit 1",
        "select event, properties.event from events limit 1",
        "select e.event, e2.event from events e join events e2 on e.uuid = e2.uuid limit 1",
        "select properties.event, (select count() from persons) as event2, event from events limit 1",
    ],
)
def test_columns_with_the_same_name_still_run(chdb_conn: Any, query: str) -> None:
    result = translate(query)
    rows = run(chdb_conn, result.clickhouse)
    assert len(rows) == 1 and len(rows[0]) == len(result.columns)


def test_hogql_echo_is_pretty_printed_like_posthogs() -> None:
    result = translate(
        "with b as (select person_id from events where event = 'purchase') "
        "select e.event, count() c from events e left join (select id from persons) p "
        "on e.person_id = p.id where e.person_id in (select person_id from b) "
        "group by e.event order by c desc"
    )
    assert result.hogql == "\n".join(
        [
            "WITH",
            "    b AS (",
            "        SELECT",
            "            person_id",
            "        FROM",
            "            events",
            "        WHERE",
            "            equals(event, 'purchase')",
            "    )",
            "SELECT",
            "    e.event,",
            "    count() AS c",
            "FROM",
            "    events AS e",
            "    LEFT JOIN (",
            "        SELECT",
            "            id",
            "        FROM",
            "            persons",
            "    ) AS p ON equals(e.person_id, p.id)",
            "WHERE",
            "    in(e.person_id, (",
            "        SELECT",
            "            person_id",
            "        FROM",
            "            b",
            "    ))",
            "GROUP BY",
            "    e.event",
            "ORDER BY",
            "    c DESC",
            "LIMIT 101",
        ]
    )


def test_display_placeholders_are_numbered_in_order_of_appearance() -> None:
    result = translate(
        "select properties.a from (select properties from events where event = 'x') "
        "where properties.b = 'y'"
    )
    display = result.clickhouse_display
    positions = [display.index(f"%(hogql_val_{n})s") for n in range(4)]
    assert positions == sorted(positions)
    assert "%(hogql_val_4)s" not in display
    assert "'x'" in result.clickhouse and "'x'" not in display
    assert "SETTINGS" not in result.clickhouse and not result.clickhouse.endswith(";")


def test_timings_name_each_step_and_add_up() -> None:
    timings = dict(translate("select event from events").timings)
    assert list(timings) == ["./parse_select", "./print_ast", "./translate"]
    assert all(seconds >= 0 for seconds in timings.values())
    assert timings["./translate"] == pytest.approx(
        timings["./parse_select"] + timings["./print_ast"]
    )
