"""DatabaseSchemaQuery over HTTP: PostHog's table and field shape, lazy and virtual tables,
and agreement with what queries and autocomplete see."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server_editor_kinds.conftest import complete, labels, post_kind

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
        ("person", "persons"),
        ("session", "sessions"),
    ):
        field = events[lazy]
        assert (field["type"], field["table"], field["id"]) == ("lazy_table", target, lazy)
        assert field["fields"] == list(tables[target]["fields"])
    assert events["poe"]["type"] == "virtual_table"
    assert {"id", "properties"} <= set(events["poe"]["fields"])
    assert "person_properties" not in events  # reached as person.properties / poe.properties


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
    offered = labels(complete(api, "select e.| from events e"))
    assert offered == list(events)


def test_column_types_agree_with_query_results(api: httpx.Client) -> None:
    events = schema(api)["tables"]["events"]["fields"]
    response = post_kind(
        api,
        {"kind": "HogQLQuery", "query": "select timestamp, event, properties from events limit 1"},
    )
    types = dict(response.json()["types"])
    assert types["timestamp"].startswith("DateTime") and events["timestamp"]["type"] == "datetime"
    assert types["event"] == "String" and events["event"]["type"] == "string"
