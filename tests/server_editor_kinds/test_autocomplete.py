"""HogQLAutocomplete over HTTP: tables, fields, aliases, data-derived property keys,
functions, and a 200 for any text."""

from __future__ import annotations

import httpx

from tests.server_editor_kinds.conftest import complete, hogql_rows, labels, post_kind

EVENT_KEY_COUNTS = (
    "select key, count() as c from (select arrayJoin(JSONExtractKeys(properties)) as key"
    " from events) group by key order by c desc, key"
)
"""Every event property key with its frequency, as a plain HogQL query."""


def test_tables_after_from_and_join_match_the_schema(api: httpx.Client) -> None:
    schema = post_kind(api, {"kind": "DatabaseSchemaQuery"}).json()
    for marked in ("select * from |", "select * from events e left join |"):
        body = complete(api, marked)
        assert labels(body) == list(schema["tables"])
        assert {(s["kind"], s["detail"]) for s in body["suggestions"]} == {("Folder", "Table")}
    assert labels(complete(api, "select * from |", "per")) == ["persons", "person_distinct_ids"]


def test_event_property_keys_come_from_the_data_most_frequent_first(api: httpx.Client) -> None:
    expected = [key for key, _ in hogql_rows(api, EVENT_KEY_COUNTS + " limit 220")]
    body = complete(api, "select properties.| from events")
    assert labels(body) == expected
    assert body["incomplete_list"] is False
    assert "utm_source" in expected[:-1]  # a real, non-trivial list
    with_prefix = complete(api, "select properties.| from events", "$b")
    assert labels(with_prefix) == [key for key in expected if key.startswith("$b")]


def test_property_keys_after_an_alias_and_a_dot(api: httpx.Client) -> None:
    direct = labels(complete(api, "select properties.| from events"))
    assert labels(complete(api, "select e.properties.| from events e")) == direct
    assert labels(complete(api, "select count() from events as ev where ev.properties.|")) == direct


def test_person_property_keys_are_the_persons_keys(api: httpx.Client) -> None:
    person_keys = {
        key
        for (key,) in hogql_rows(
            api, "select distinct arrayJoin(JSONExtractKeys(properties)) from persons"
        )
    }
    suggested = labels(complete(api, "select person.properties.| from events"))
    assert set(suggested) == person_keys
    assert "email" in suggested and "$current_url" not in suggested


def test_alias_dot_lists_that_tables_fields_with_clickhouse_types(api: httpx.Client) -> None:
    body = complete(api, "select e.| from events e join persons p on e.person_id = p.id")
    fields = {s["label"]: s for s in body["suggestions"]}
    assert fields["timestamp"]["detail"] == "DateTime64(6, 'UTC')"
    assert fields["event"]["detail"] == "String"
    assert fields["person"]["detail"] == "Table"
    assert "is_identified" not in fields
    persons = labels(complete(api, "select p.| from events e join persons p on e.person_id = p.id"))
    assert "is_identified" in persons and "event" not in persons


def test_lazy_join_fields_after_its_name(api: httpx.Client) -> None:
    body = complete(api, "select session.| from events")
    assert "$session_duration" in labels(body)
    assert "event" not in labels(body)


def test_functions_insert_a_call(api: httpx.Client) -> None:
    body = complete(api, "select | from events", "coun")
    functions = {s["label"]: s for s in body["suggestions"] if s["kind"] == "Function"}
    assert functions["count"]["insertText"] == "count()"
    assert "countIf" in functions
    assert all(label.lower().startswith("coun") for label in labels(body))


def test_keywords_and_fields_where_an_expression_starts(api: httpx.Client) -> None:
    body = complete(api, "select event from events |")
    assert "WHERE" in labels(body, "Keyword")
    assert "timestamp" in labels(body)


def test_nothing_inside_a_string_or_a_comment(api: httpx.Client) -> None:
    assert complete(api, "select * from events where event = '|", "from")["suggestions"] == []
    assert complete(api, "select 1 -- from |")["suggestions"] == []
    assert complete(api, "select /* properties.| */ 1 from events")["suggestions"] == []


def test_quoted_identifier_still_completes(api: httpx.Client) -> None:
    body = complete(api, "select properties.`|` from events", "$b")
    assert "$browser" in labels(body)


def test_every_prefix_of_real_queries_answers_200_with_well_formed_suggestions(
    api: httpx.Client,
) -> None:
    queries = [
        "select properties.$current_url as url, count() from events e"
        " where e.timestamp > now() - interval 7 day group by url order by 2 desc limit 10",
        "with s as (select session.$session_duration d from events) select avg(d) from s",
        "select p.properties.email, count() from events e join persons p on e.person_id = p.id"
        " where event = '$pageview' group by 1",
    ]
    for query in queries:
        for end in range(0, len(query) + 1, 3):
            body = complete(api, query[:end] + "|")
            assert set(body) == {"suggestions", "incomplete_list", "timings"}
            for suggestion in body["suggestions"]:
                assert isinstance(suggestion["label"], str) and suggestion["label"]
                assert isinstance(suggestion["insertText"], str)
                assert isinstance(suggestion["kind"], str)


def test_timings_are_reported_in_posthogs_shape(api: httpx.Client) -> None:
    timings = complete(api, "select properties.| from events")["timings"]
    assert [t["k"] for t in timings][-1] == "."
    assert all(isinstance(t["t"], float) and t["t"] >= 0 for t in timings)


def test_a_malformed_request_is_a_400_not_a_crash(api: httpx.Client) -> None:
    node = {"kind": "HogQLAutocomplete", "query": "select ", "startPosition": 7}
    response = post_kind(api, node)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "endPosition" in response.json()["detail"]


def test_positions_outside_the_text_are_clamped(api: httpx.Client) -> None:
    node = {
        "kind": "HogQLAutocomplete",
        "query": "select * from ",
        "startPosition": 50,
        "endPosition": 40,
    }
    response = post_kind(api, node)
    assert response.status_code == 200
    assert "events" in labels(response.json())


def test_inside_backticks_the_bare_name_is_inserted(api: httpx.Client) -> None:
    body = complete(api, "select e.`|` from events e", "$sess")
    assert [(s["label"], s["insertText"]) for s in body["suggestions"]] == [
        ("$session_id", "$session_id")
    ]
