"""Array slices, EXISTS, COLUMNS(), IN COHORT and SETTINGS: run when PostHog runs them,
a positioned 400 naming the construct otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server_hogql.conftest import TEAM_ID, run
from workbench.server.hogql import HogQLError, hogql_metadata, translate_hogql


def same_rows(conn: Any, hogql: str, clickhouse: str) -> list[list[Any]]:
    translated = translate_hogql(hogql, team_id=TEAM_ID)
    actual = run(conn, translated.clickhouse)
    assert actual, "no rows: the comparison would prove nothing"
    assert actual == run(conn, clickhouse)
    return actual


def test_array_slices_are_inclusive_like_posthogs_printer(chdb_conn: Any) -> None:
    rows = same_rows(
        chdb_conn,
        "select [10, 20, 30, 40][2:3] as a, [10, 20, 30][2:] as b, [10, 20, 30][:2] as c",
        "SELECT [20, 30], [20, 30], [10, 20]",
    )
    assert rows == [[[20, 30], [20, 30], [10, 20]]]


def test_array_slice_over_data_and_its_column_name(chdb_conn: Any) -> None:
    same_rows(
        chdb_conn,
        "select session_id, $urls[1:2] from sessions order by session_id limit 5",
        "SELECT session_id, arraySlice(`$urls`, 1, 2) FROM sessions ORDER BY session_id LIMIT 5",
    )
    translated = translate_hogql("select $urls[1:2] from sessions", team_id=TEAM_ID)
    assert translated.columns == ["$urls[1:2]"]


def test_exists_with_an_uncorrelated_subquery(chdb_conn: Any) -> None:
    same_rows(
        chdb_conn,
        "select count() from events where exists (select 1 from persons where is_identified)",
        "SELECT count() FROM events",
    )
    assert run(
        chdb_conn,
        translate_hogql(
            "select count() from events where exists (select 1 from persons where 1 = 0)",
            team_id=TEAM_ID,
        ).clickhouse,
    ) == [[0]]


def test_a_correlated_exists_cannot_resolve_the_outer_table() -> None:
    query = "select 1 from events e where exists (select 1 from persons p where p.id = e.person_id)"
    with pytest.raises(HogQLError, match="Unable to resolve field: e") as caught:
        translate_hogql(query, team_id=TEAM_ID)
    error = caught.value
    assert error.start is not None and query[error.start : error.end] == "e.person_id"


def test_columns_regex_expands_to_matching_fields(chdb_conn: Any) -> None:
    translated = translate_hogql(
        "select COLUMNS('session|window') from events order by timestamp limit 3", team_id=TEAM_ID
    )
    assert translated.columns == ["$session_id", "$window_id"]
    assert run(chdb_conn, translated.clickhouse) == run(
        chdb_conn, "SELECT `$session_id`, `$window_id` FROM events ORDER BY timestamp LIMIT 3"
    )


@pytest.mark.parametrize(
    ("query", "message", "span"),
    [
        (
            "select COLUMNS('nomatch') from events",
            "No columns matched the COLUMNS('nomatch') expression",
            "COLUMNS('nomatch')",
        ),
        (
            "select length(COLUMNS('id')) from events",
            "COLUMNS() can only be used as a column of a SELECT",
            "COLUMNS('id')",
        ),
        (
            "select 1 from events where person_id in cohort 3",
            "Could not find cohort with ID 3",
            "3",
        ),
        (
            "select 1 from events where person_id not in cohort 'Power users'",
            "Could not find a cohort with the name 'Power users'",
            "'Power users'",
        ),
        (
            "select 1 from events where person_id in cohort event",
            "cohort() takes only constant arguments",
            "event",
        ),
        (
            "select exists(1)",
            "Function 'exists' expects a subquery: EXISTS (SELECT …)",
            "exists(1)",
        ),
        (
            "select event\nfrom events\nSETTINGS max_threads = 1 -- why not",
            "Unsupported: SelectStmt.settingsClause()",
            "SETTINGS max_threads = 1",
        ),
    ],
)
def test_unsupported_forms_are_positioned_errors(query: str, message: str, span: str) -> None:
    with pytest.raises(HogQLError) as caught:
        translate_hogql(query, team_id=TEAM_ID)
    error = caught.value
    assert error.message == message
    assert error.start is not None and error.end is not None
    assert query[error.start : error.end] == span
    [meta_error] = hogql_metadata(query, team_id=TEAM_ID)["errors"]
    assert (meta_error["start"], meta_error["end"]) == (error.start, error.end)


def test_group_on_events_properties_equal_the_joined_group(chdb_conn: Any) -> None:
    """goe_0 reads the organisation's properties stored on the event; group_0 joins them."""
    hogql = (
        "select goe_0.properties.name as a, group_0.properties.name as b, count() as n "
        "from events where goe_0.key != '' group by a, b order by n desc, a"
    )
    rows = same_rows(
        chdb_conn,
        hogql,
        "SELECT nullIf(JSONExtractString(e.group0_properties, 'name'), '') AS a, "
        "nullIf(JSONExtractString(g.group_properties, 'name'), '') AS b, count() AS n "
        "FROM events e LEFT JOIN (SELECT * FROM groups WHERE group_type_index = 0) g "
        "ON e.`$group_0` = g.group_key WHERE e.`$group_0` != '' GROUP BY a, b "
        "ORDER BY n DESC, a",
    )
    assert all(a == b and a for a, b, _ in rows)
