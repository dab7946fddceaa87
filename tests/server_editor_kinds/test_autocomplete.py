"""HogQLAutocomplete over HTTP, as PostHog answers: unfiltered fields then functions, no
keywords, aliases, CTE/subquery columns, lazy joins, data-derived property keys, a 200 always."""

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
        body = complete(api, marked, "per")  # unfiltered: the editor filters
        assert labels(body) == list(schema["tables"])
        assert {(s["kind"], s["detail"]) for s in body["suggestions"]} == {("Folder", "Table")}


def test_fields_then_all_functions_unfiltered_without_keywords(api: httpx.Client) -> None:
    body = complete(api, "select | from events", "coun")
    kinds = [s["kind"] for s in body["suggestions"]]
    fields = {s["label"]: s for s in body["suggestions"] if s["kind"] == "Variable"}
    functions = {s["label"]: s for s in body["suggestions"] if s["kind"] == "Function"}
    assert kinds == ["Variable"] * len(fields) + ["Function"] * len(functions)
    assert {"event", "timestamp", "person"} <= set(fields)  # not filtered by "coun"
    assert functions["count"]["insertText"] == "count()"
    assert {"countIf", "avg"} <= set(functions) and len(functions) > 100
    assert fields["timestamp"]["detail"] == "DateTime"
    assert fields["person"]["detail"] == "Table"
    assert fields["$session_id"]["insertText"] == "`$session_id`"
    assert "Keyword" not in kinds
    assert complete(api, "select event from events |", "wh")["suggestions"] == []


def test_event_property_keys_come_from_the_data_most_frequent_first(api: httpx.Client) -> None:
    expected = [key for key, _ in hogql_rows(api, EVENT_KEY_COUNTS + " limit 220")]
    body = complete(api, "select properties.| from events")
    assert labels(body) == expected
    assert body["incomplete_list"] is False
    assert {s["kind"] for s in body["suggestions"]} == {"Variable"}
    details = {s["label"]: s["detail"] for s in body["suggestions"]}
    assert details["revenue"] == "Numeric" and details["$browser"] == "String"
    assert "utm_source" in expected[:-1]  # a real, non-trivial list
    containing = complete(api, "select properties.| from events", "rl")
    assert labels(containing) == [key for key in expected if "rl" in key]
    assert "$current_url" in labels(containing)  # a substring match, not a prefix


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
    for marked in (
        "select person.properties.| from events",
        "select events.person.properties.| from events",
        "select poe.properties.| from events",
        "select p.properties.| from events e, persons p",
    ):
        suggested = labels(complete(api, marked))
        assert set(suggested) == person_keys, marked
    assert "email" in person_keys and "$current_url" not in person_keys


def test_a_from_alias_makes_a_one_part_word_an_alias(api: httpx.Client) -> None:
    body = complete(api, "select | from events e, persons p", "ev")
    assert [(s["label"], s["kind"], s["detail"]) for s in body["suggestions"]] == [
        ("e", "Folder", "Table"),
        ("p", "Folder", "Table"),
    ]


def test_alias_dot_lists_that_tables_fields_with_posthog_types(api: httpx.Client) -> None:
    body = complete(api, "select e.| from events e join persons p on e.person_id = p.id")
    fields = {s["label"]: s for s in body["suggestions"]}
    assert fields["timestamp"]["detail"] == "DateTime"
    assert fields["event"]["detail"] == "String"
    assert fields["person"]["detail"] == "Table"
    assert "is_identified" not in fields
    persons = labels(complete(api, "select p.| from events e, persons p"))
    assert "is_identified" in persons and "event" not in persons


def test_subquery_and_cte_columns(api: httpx.Client) -> None:
    sub = complete(api, "select s.| from (select event as ev, 1 as one from events) s")
    assert [(s["label"], s["detail"]) for s in sub["suggestions"] if s["kind"] == "Variable"] == [
        ("ev", "String"),
        ("one", "Integer"),
    ]
    cte = "with c as (select event, timestamp from events) "
    assert labels(complete(api, cte + "select | from c"), "Variable") == ["event", "timestamp"]
    assert labels(complete(api, cte + "select * from |"))[-1] == "c"


def test_lazy_joins_and_virtual_tables_list_their_targets_fields(api: httpx.Client) -> None:
    body = complete(api, "select session.| from events")
    fields = {s["label"]: s["detail"] for s in body["suggestions"]}
    assert fields["$session_duration"] == "Integer"
    assert "event" not in fields and "count" not in fields  # no functions after a table
    poe = {
        s["label"]: s["detail"] for s in complete(api, "select poe.| from events")["suggestions"]
    }
    assert (poe["properties"], poe["created_at"]) == ("Object", "DateTime")
    assert poe["id"] in ("String", "UUID")  # a UUID column, or an expression of UUID type


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
    fields = {s["label"]: s["insertText"] for s in body["suggestions"]}
    assert fields["$session_id"] == "$session_id"  # the user typed the backticks
    assert "event" in fields  # unfiltered, as everywhere
