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
