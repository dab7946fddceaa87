"""DatabaseSchemaQuery: tables, fields, lazy and virtual tables in PostHog's shape."""

from __future__ import annotations

from typing import Any

from workbench.server.hogql import database_schema


def test_schema_lists_tables_fields_and_lazy_tables_in_posthogs_shape() -> None:
    schema = database_schema()
    assert schema["joins"] == []
    tables: dict[str, Any] = schema["tables"]  # type: ignore[assignment]
    assert set(tables) == {"events", "persons", "person_distinct_ids", "sessions", "groups"}
    events = tables["events"]
    assert events["type"] == "posthog" and events["id"] == "events"
    fields = events["fields"]
    assert fields["timestamp"]["type"] == "datetime"
    assert fields["properties"]["type"] == "json"
    assert fields["$session_id"]["hogql_value"] == "`$session_id`"
    assert fields["pdi"]["type"] == "lazy_table"
    assert fields["pdi"]["table"] == "person_distinct_ids"
    assert "person_id" in fields["pdi"]["fields"]
    assert fields["poe"]["type"] == "virtual_table"
    assert "person_properties" not in fields
    assert tables["sessions"]["fields"]["$session_duration"]["type"] == "integer"


def _fields(table: str) -> dict[str, Any]:
    tables: dict[str, Any] = database_schema()["tables"]  # type: ignore[assignment]
    fields: dict[str, Any] = tables[table]["fields"]
    return fields


def test_events_person_fields_follow_the_default_persons_on_events_mode() -> None:
    fields = _fields("events")
    assert fields["person"] == {
        "name": "person",
        "hogql_value": "person",
        "type": "field_traverser",
        "schema_valid": True,
        "chain": ["poe"],
    }
    assert fields["person_id"]["type"] == "expression"
    assert fields["event_person_id"]["type"] == "string"
    assert fields["poe"]["table"] == "events" and "id" not in fields["poe"]
    for index in range(5):
        assert fields[f"$group_{index}"]["type"] == "string"
        assert fields[f"group_{index}"]["table"] == "groups"


def test_elements_chain_fields_are_typed_like_posthogs_columns() -> None:
    fields = _fields("events")
    assert fields["elements_chain_href"]["type"] == "string"
    assert fields["elements_chain_texts"]["type"] == "array"


def test_persons_have_pdi_and_a_boolean_is_identified() -> None:
    fields = _fields("persons")
    assert list(fields) == ["id", "created_at", "properties", "is_identified", "pdi"]
    assert fields["is_identified"]["type"] == "boolean"
    assert fields["pdi"]["fields"] == ["team_id", "distinct_id", "person_id"]
    assert _fields("person_distinct_ids")["person"]["table"] == "persons"


def test_traverser_chains_resolve_in_every_mode() -> None:
    from workbench.server.hogql.database import POE_MODES, Traverser, tables_for_mode

    for mode in POE_MODES:
        events = tables_for_mode(mode)["events"]
        for name, spec in events.fields.items():
            if isinstance(spec, Traverser):
                assert spec.chain[0] in events.fields, (mode, name)


def test_groups_on_events_are_virtual_tables_of_events() -> None:
    fields = _fields("events")
    for index in range(5):
        goe = fields[f"goe_{index}"]
        assert (goe["type"], goe["table"]) == ("virtual_table", "events")
        assert goe["fields"] == ["key", "created_at", "properties"]
        assert f"group{index}_properties" not in fields  # storage, reached as goe_N.properties
