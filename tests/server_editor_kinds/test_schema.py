"""DatabaseSchemaQuery over HTTP: PostHog's table and field shape, lazy and virtual tables,
and agreement with what queries and autocomplete see."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server_editor_kinds.conftest import complete, post_kind

FIELD_TYPES = {
    "integer",
    "float",
    "decimal",
    "string",
    "datetime",
    "date",
    "boolean",
    "array",
    "json",
    "lazy_table",
    "virtual_table",
    "field_traverser",
    "expression",
    "view",
    "materialized_view",
    "unknown",
}
"""PostHog's ``DatabaseSerializedFieldType`` values."""


def schema(api: httpx.Client) -> dict[str, Any]:
    response = post_kind(api, {"kind": "DatabaseSchemaQuery"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_every_table_and_field_has_posthogs_shape(api: httpx.Client) -> None:
    body = schema(api)
    assert body["joins"] == []
    assert {"events", "persons", "sessions", "person_distinct_ids"} <= set(body["tables"])
    for name, table in body["tables"].items():
        assert (table["type"], table["id"], table["name"]) == ("posthog", name, name)
        for field_name, field in table["fields"].items():
            assert field["name"] == field_name
            assert field["type"] in FIELD_TYPES
            assert field["schema_valid"] is True
            plain = field_name.replace("_", "a").isalnum()
            assert field["hogql_value"] == (field_name if plain else f"`{field_name}`")


def test_events_columns_lazy_tables_and_virtual_tables(api: httpx.Client) -> None:
    tables = schema(api)["tables"]
    events = tables["events"]["fields"]
    assert events["timestamp"]["type"] == "datetime"
    assert events["properties"]["type"] == "json"
    assert events["event"]["type"] == "string"
    assert events["$session_id"]["hogql_value"] == "`$session_id`"
    for lazy, target in (
        ("pdi", "person_distinct_ids"),
        ("session", "sessions"),
        ("group_0", "groups"),
    ):
        field = events[lazy]
        assert (field["type"], field["table"], field["id"]) == ("lazy_table", target, lazy)
        # every key of the target table, team_id included (hidden at the top level)
        assert field["fields"][0] == "team_id"
        assert set(tables[target]["fields"]) <= set(field["fields"])
    assert events["poe"] == {
        "name": "poe",
        "hogql_value": "poe",
        "type": "virtual_table",
        "schema_valid": True,
        "table": "events",
        "fields": ["id", "created_at", "properties"],
    }
    # PostHog's default persons-on-events mode: person traverses to poe, person_id is the
    # override expression over event_person_id
    assert (events["person"]["type"], events["person"]["chain"]) == ("field_traverser", ["poe"])
    assert events["person_id"]["type"] == "expression"
    assert events["event_person_id"]["type"] == "string"
    assert "person_properties" not in events  # reached as person.properties / poe.properties


def test_persons_pdi_and_is_identified(api: httpx.Client) -> None:
    tables = schema(api)["tables"]
    persons = tables["persons"]["fields"]
    assert persons["is_identified"]["type"] == "boolean"
    pdi = persons["pdi"]
    assert (pdi["type"], pdi["table"], pdi["id"]) == ("lazy_table", "person_distinct_ids", "pdi")
    assert pdi["fields"] == ["team_id", "distinct_id", "person_id"]
    person = tables["person_distinct_ids"]["fields"]["person"]
    assert (person["type"], person["table"]) == ("lazy_table", "persons")
    assert "version" not in persons  # a raw_persons field in PostHog


def test_is_identified_values_are_posthogs_int8(api: httpx.Client) -> None:
    response = post_kind(
        api,
        {
            "kind": "HogQLQuery",
            "query": "select is_identified, count() from persons group by 1 order by 1",
        },
    )
    body = response.json()
    assert body["types"][0] == ["is_identified", "Int8"]
    assert [row[0] for row in body["results"]] == [0, 1]


def test_persons_and_sessions(api: httpx.Client) -> None:
    tables = schema(api)["tables"]
    persons = tables["persons"]["fields"]
    assert (persons["properties"]["type"], persons["created_at"]["type"]) == ("json", "datetime")
    sessions = tables["sessions"]["fields"]
    assert sessions["$session_duration"]["type"] == "integer"
    assert sessions["$start_timestamp"]["type"] == "datetime"
    assert sessions["$session_duration"]["hogql_value"] == "`$session_duration`"


def test_autocomplete_offers_the_schemas_fields(api: httpx.Client) -> None:
    events = schema(api)["tables"]["events"]["fields"]
    body = complete(api, "select e.| from events e")
    offered = [s["label"] for s in body["suggestions"] if s["kind"] != "Function"]
    assert offered == list(events)  # PostHog lists every function after the fields


def test_column_types_agree_with_query_results(api: httpx.Client) -> None:
    events = schema(api)["tables"]["events"]["fields"]
    response = post_kind(
        api,
        {"kind": "HogQLQuery", "query": "select timestamp, event, properties from events limit 1"},
    )
    types = dict(response.json()["types"])
    assert types["timestamp"].startswith("DateTime") and events["timestamp"]["type"] == "datetime"
    assert types["event"] == "String" and events["event"]["type"] == "string"
