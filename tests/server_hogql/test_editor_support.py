"""HogQLAutocomplete as PostHog answers it: unfiltered fields and functions, aliases, CTEs,
subqueries, lazy joins, virtual tables and data-derived property keys."""

from __future__ import annotations

from typing import Any

from tests.server_hogql.conftest import run
from workbench.server.hogql import hogql_autocomplete, property_keys_sql
from workbench.server.hogql.autocomplete import PROPERTY_DEFINITION_LIMIT
from workbench.server.hogql.completion_tables import hidden_fields
from workbench.server.hogql.database import TABLES
from workbench.server.hogql.functions import FUNCTIONS
from workbench.server.property_keys import PropertyKey

KEYS = {
    "event": ["$browser", "$current_url", "revenue", "utm_source", "$pathname"],
    "person": ["email", "plan", "$browser"],
    "group": ["employees", "industry"],
}

EXPOSED_FUNCTIONS = sorted(name for name in FUNCTIONS if not name.startswith("_"))


def visible(table: str) -> list[str]:
    """The fields of ``table`` PostHog lists at the top level (hidden ones skipped)."""
    return [name for name in TABLES[table].fields if name not in hidden_fields(table)]


def keys(kind: str) -> list[str]:
    return KEYS[kind]


def complete(query: str, cursor_word: str = "", **kwargs: Any) -> dict[str, Any]:
    """Suggestions for ``cursor_word`` typed at the place marked ``|`` in ``query``."""
    start = query.index("|")
    text = query.replace("|", cursor_word, 1)
    kwargs.setdefault("property_keys", keys)
    return hogql_autocomplete(text, start=start, end=start + len(cursor_word), team_id=1, **kwargs)


def labels(response: dict[str, Any], kind: str | None = None) -> list[str]:
    return [s["label"] for s in response["suggestions"] if kind is None or s["kind"] == kind]


def by_label(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["label"]: s for s in response["suggestions"]}


def test_fields_then_every_function_unfiltered_and_no_keywords() -> None:
    for word in ("", "ti", "zzz"):
        response = complete("select | from events", word)
        kinds = [s["kind"] for s in response["suggestions"]]
        fields = labels(response, "Variable")
        assert fields[:3] == ["uuid", "event", "properties"]  # the table's order
        assert "person_properties" not in fields  # hidden, as PostHog's hidden fields
        assert labels(response, "Function") == EXPOSED_FUNCTIONS  # not filtered by the word
        assert kinds == ["Variable"] * len(fields) + ["Function"] * len(EXPOSED_FUNCTIONS)
        assert "Keyword" not in kinds


def test_field_details_are_posthogs_type_names() -> None:
    fields = by_label(complete("select | from events"))
    assert fields["timestamp"]["detail"] == "DateTime"
    assert fields["uuid"]["detail"] == "String"  # UUIDs are strings in PostHog's listing
    assert fields["properties"]["detail"] == "Object"
    assert fields["person"]["detail"] == "Table"
    assert fields["poe"]["detail"] == "Table"
    assert fields["elements_chain_texts"]["detail"] == "Array"  # an expression field's type
    assert fields["elements_chain_href"]["detail"] == "String"
    assert fields["count"]["detail"] is None and fields["count"]["insertText"] == "count()"
    sessions = by_label(complete("select | from sessions"))
    assert sessions["$session_duration"]["detail"] == "Integer"
    assert sessions["$is_bounce"]["detail"] == "Boolean"
    assert by_label(complete("select | from persons"))["is_identified"]["detail"] in (
        "Integer",  # Int8 until the schema marks it a Boolean field, as PostHog's
        "Boolean",
    )


def test_names_with_special_characters_are_inserted_in_backticks() -> None:
    fields = by_label(complete("select | from events"))
    assert fields["$session_id"]["insertText"] == "`$session_id`"
    assert fields["event"]["insertText"] == "event"


def test_tables_after_from_and_join_then_ctes() -> None:
    tables = list(TABLES)
    for query in ("select * from |", "select * from events e left join |"):
        response = complete(query, "pe")
        assert labels(response) == tables  # unfiltered too
        assert {(s["kind"], s["detail"]) for s in response["suggestions"]} == {("Folder", "Table")}
    response = complete("with buyers as (select 1), b2 as (select 2) select * from |")
    assert labels(response) == [*tables, "buyers", "b2"]


def test_with_a_from_alias_a_one_part_word_gets_only_the_aliases() -> None:
    response = complete("select | from events e, persons p", "ev")
    assert [(s["label"], s["kind"], s["detail"]) for s in response["suggestions"]] == [
        ("e", "Folder", "Table"),
        ("p", "Folder", "Table"),
    ]


def test_alias_dot_leads_into_that_table_including_comma_joins() -> None:
    persons = complete("select p.| from events e, persons p")
    assert labels(persons, "Variable") == visible("persons")
    assert labels(persons, "Function") == EXPOSED_FUNCTIONS
    events = labels(complete("select e.| from events e join persons p on e.person_id = p.id"))
    assert "event" in events and "is_identified" not in events
    assert complete("select x.| from events e")["suggestions"] == []  # not an alias here


def test_subquery_columns_with_their_types() -> None:
    query = "select s.| from (select event as ev, timestamp, 1 as one, 2.5 as f, 'a' as t from events) s"
    fields = by_label(complete(query))
    assert labels(complete(query), "Variable") == ["ev", "timestamp", "one", "f", "t"]
    assert fields["ev"]["detail"] == "String"
    assert fields["timestamp"]["detail"] == "DateTime"
    assert [fields[name]["detail"] for name in ("one", "f", "t")] == ["Integer", "Float", "String"]


def test_cte_columns_as_a_table_and_after_its_alias() -> None:
    cte = "with c as (select event, properties, 1 as n from events) "
    assert labels(complete(cte + "select | from c"), "Variable") == ["event", "properties", "n"]
    assert labels(complete(cte + "select x.| from c x"), "Variable") == ["event", "properties", "n"]
    assert labels(complete(cte + "select x.properties.| from c x")) == KEYS["event"]


def test_property_keys_contain_the_typed_term_with_their_types() -> None:
    response = complete("select properties.| from events", "ur")
    assert labels(response) == ["$current_url", "utm_source"]  # a substring, not a prefix
    assert complete("select properties.| from events", "URL")["suggestions"] == []
    everything = by_label(complete("select properties.| from events"))
    assert list(everything) == KEYS["event"]
    assert everything["revenue"]["detail"] == "Numeric"  # a numeric definition
    assert everything["$browser"] == {
        "label": "$browser",
        "insertText": "$browser",
        "kind": "Variable",
        "detail": "String",
        "documentation": None,
    }


def test_property_types_read_from_the_data_are_passed_on() -> None:
    typed = [PropertyKey("signed_up", "DateTime"), PropertyKey("beta", "Boolean"), "plain"]
    details = by_label(complete("select properties.| from events", property_keys=lambda k: typed))
    assert [details[k]["detail"] for k in ("signed_up", "beta", "plain")] == [
        "DateTime",
        "Boolean",
        "String",
    ]


def test_property_list_is_capped_and_flagged_incomplete() -> None:
    many = [f"key{i}" for i in range(PROPERTY_DEFINITION_LIMIT + 1)]
    response = complete("select properties.| from events", property_keys=lambda kind: many)
    assert len(response["suggestions"]) == PROPERTY_DEFINITION_LIMIT
    assert response["incomplete_list"] is True
    narrowed = complete("select properties.| from events", "key1", property_keys=lambda k: many)
    assert narrowed["incomplete_list"] is False  # 111 keys contain "key1"
    assert complete("select properties.| from events")["incomplete_list"] is False


def test_person_and_group_keys_by_where_the_json_field_lives() -> None:
    person = KEYS["person"]
    assert labels(complete("select person.properties.| from events")) == person
    assert labels(complete("select events.person.properties.| from events")) == person
    assert labels(complete("select poe.properties.| from events")) == person
    assert labels(complete("select person_properties.| from events")) == person
    assert labels(complete("select properties.| from persons")) == person
    assert labels(complete("select p.properties.| from events e, persons p")) == person
    assert (
        labels(complete("select s.pp.| from (select person.properties as pp from events) s"))
        == person
    )
    assert labels(complete("select group_0.properties.| from events")) == KEYS["group"]
    assert labels(complete("select properties.| from groups")) == KEYS["group"]


def test_lazy_joins_and_virtual_tables_list_their_targets_fields() -> None:
    session = by_label(complete("select session.| from events"))
    assert list(session) == list(TABLES["sessions"].fields)  # no functions after a table
    assert session["$session_duration"]["detail"] == "Integer"
    assert {s["kind"] for s in session.values()} == {"Variable"}
    assert labels(complete("select pdi.| from events")) == list(
        TABLES["person_distinct_ids"].fields
    )
    poe = by_label(complete("select poe.| from events"))
    assert {"id", "properties", "created_at"} <= set(poe)
    assert poe["properties"]["detail"] == "Object"
    person = labels(complete("select e.person.| from events e", "cre"))  # unfiltered
    assert {"id", "created_at", "properties"} <= set(person) and "event" not in person


def test_without_from_the_events_variant_applies() -> None:
    response = complete("select |", "ev")
    assert "event" in labels(response, "Variable")


def test_an_unknown_from_table_gives_the_functions_starting_with_the_word() -> None:
    response = complete("select * from nope where |", "cou")
    assert labels(response) == [name for name in EXPOSED_FUNCTIONS if name.startswith("cou")]
    assert {s["kind"] for s in response["suggestions"]} == {"Function"}


def test_a_syntax_error_elsewhere_still_completes_the_word() -> None:
    response = complete("select e.properties.| from events e where (", "$b")
    assert labels(response) == ["$browser"]
    assert "person" in labels(complete("select e.| from events e where ((("))


def test_keywords_positions_get_nothing_from_the_server() -> None:
    assert complete("select * from events |", "wh")["suggestions"] == []


def test_property_keys_come_from_the_data_most_frequent_first(chdb_conn: Any) -> None:
    def data_keys(kind: str) -> list[str]:
        rows = run(chdb_conn, property_keys_sql(kind, team_id=1))  # type: ignore[arg-type]
        return [PropertyKey(row[0], row[1] or None) for row in rows]

    event = by_label(complete("select properties.| from events", property_keys=data_keys))
    names = list(event)
    assert names[0] == "$browser"  # on every event; ties broken by name
    assert names.index("$current_url") < names.index("utm_source") < names.index("revenue")
    assert event["revenue"]["detail"] == "Numeric"
    assert event["$browser"]["detail"] == "String"
    person = labels(complete("select person.properties.| from events", property_keys=data_keys))
    assert {"email", "plan", "company"} <= set(person)
    assert "$current_url" not in person
