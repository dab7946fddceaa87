"""HogQLMetadata notices (PostHog's property-type swapper) and character offsets."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.server.hogql import hogql_metadata, translate_hogql


def _spans(query: str, items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["message"], query[item["start"] : item["end"]]) for item in items]


def test_each_typed_property_gets_a_notice_on_its_last_part() -> None:
    query = (
        "select properties.$browser, properties.revenue, person.properties.email "
        "from events where properties.nokey = 'x'"
    )
    meta = hogql_metadata(query, team_id=1)
    assert meta["isValid"] is True
    assert meta["warnings"] == []
    assert _spans(query, meta["notices"]) == [
        ("Event property '$browser' is of type 'String'.", "$browser"),
        ("Event property 'revenue' is of type 'Float'.", "revenue"),
        ("Person property 'email' is of type 'String'.", "email"),
    ]
    assert all(notice["fix"] is None for notice in meta["notices"])


def test_notice_span_uses_the_escaped_last_part_like_posthog() -> None:
    # PostHog: start = max(node.start, node.end - len(escape_hogql_identifier(last)))
    query = "select properties.`$os`, properties.`a b` from events"
    notices = hogql_metadata(query, team_id=1)["notices"]
    assert _spans(query, notices) == [("Event property '$os' is of type 'String'.", "os`")]


def test_only_single_key_field_reads_of_a_table_get_notices() -> None:
    for query in (
        "select properties['$browser'] from events",  # ArrayAccess, not a Field
        "select properties.$browser.x from events",  # nested chain
        "select p.$browser from (select properties as p from events)",  # via a subquery
        "select properties.name from groups",  # group type unknown without group_N
    ):
        assert hogql_metadata(query, team_id=1)["notices"] == [], query


def test_group_properties_through_group_n_are_typed() -> None:
    query = "select group_0.properties.employees from events"
    assert _spans(query, hogql_metadata(query, team_id=1)["notices"]) == [
        ("Group property 'employees' is of type 'Float'.", "employees")
    ]


def test_persons_table_properties_are_person_properties() -> None:
    query = "select properties.plan from persons"
    assert _spans(query, hogql_metadata(query, team_id=1)["notices"]) == [
        ("Person property 'plan' is of type 'String'.", "plan")
    ]


def test_an_invalid_query_reports_no_notices() -> None:
    meta = hogql_metadata("select properties.$browser, nope from events", team_id=1)
    assert meta["isValid"] is False
    assert meta["notices"] == []


MULTI_LINE = "select\n  properties.$os,\n  'ünïcödé 😀' as s,\n  nope\nfrom events"


@pytest.mark.parametrize(
    ("query", "expected_error"),
    [
        (MULTI_LINE, "nope"),
        ("select '😀',\n  properties.$os, (1 from events", "from events"),
        ("select 'üüü'\n, (1 from events", "from events"),
        ("select '日本', nosuchfn(1)\nfrom events", "nosuchfn(1)"),
    ],
)
def test_error_offsets_are_characters_in_multi_line_non_ascii_queries(
    query: str, expected_error: str
) -> None:
    [error] = hogql_metadata(query, team_id=1)["errors"]
    assert query[error["start"] : error["end"]] == expected_error


def test_notice_offsets_are_characters_after_non_ascii_text() -> None:
    query = "select 'ünï 😀',\n  properties.$os,\n  person.properties.`$initial_os`\nfrom events"
    meta = hogql_metadata(query, team_id=1)
    assert _spans(query, meta["notices"]) == [
        ("Event property '$os' is of type 'String'.", "$os"),
        ("Person property '$initial_os' is of type 'String'.", "initial_os`"),
    ]


def test_a_near_miss_function_name_is_suggested_as_posthog_does() -> None:
    meta = hogql_metadata("select toStartOfDy(timestamp) from events", team_id=1)
    assert meta["errors"][0]["message"] == (
        "Unsupported function call 'toStartOfDy(...)'. Perhaps you meant 'toStartOfDay(...)'?"
    )


def test_translation_carries_notices_and_reads_numeric_properties_as_float() -> None:
    translated = translate_hogql("select properties.revenue from events", team_id=1)
    assert "toFloat64OrNull(" in translated.clickhouse
    assert [n["message"] for n in translated.notices] == [
        "Event property 'revenue' is of type 'Float'."
    ]
