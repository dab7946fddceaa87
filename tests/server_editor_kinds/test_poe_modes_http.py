"""``modifiers.personsOnEventsMode`` over HTTP: applied, echoed, validated."""

from __future__ import annotations

import httpx

from tests.server_editor_kinds.conftest import post_kind

QUERY = "select person.properties.plan as plan, count() from events group by plan order by plan"


def run(api: httpx.Client, mode: str | None) -> httpx.Response:
    node: dict[str, object] = {"kind": "HogQLQuery", "query": QUERY}
    if mode is not None:
        node["modifiers"] = {"personsOnEventsMode": mode}
    return post_kind(api, node)


def test_a_mode_changes_the_sql_and_is_echoed(api: httpx.Client) -> None:
    default = run(api, None).json()
    assert default["modifiers"]["personsOnEventsMode"] == "person_id_override_properties_on_events"
    assert "JOIN" not in default["clickhouse"]  # person properties stored on the event
    disabled = run(api, "disabled").json()
    assert disabled["modifiers"]["personsOnEventsMode"] == "disabled"
    assert (
        "INNER JOIN" in disabled["clickhouse"] and "events__pdi__person" in disabled["clickhouse"]
    )
    # the demo data stores current person properties on events: same answer either way
    assert disabled["results"] == default["results"]


def test_an_unknown_mode_is_posthogs_schema_error(api: httpx.Client) -> None:
    response = run(api, "v2_enabled")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert "'person_id_override_properties_joined'" in body["detail"]
    assert "personsOnEventsMode" in body["detail"]
