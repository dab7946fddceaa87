"""HogQLAutocomplete: contexts, kinds, data-derived property keys."""

from __future__ import annotations

from typing import Any

from tests.server_hogql.conftest import run
from workbench.server.hogql import hogql_autocomplete, property_keys_sql
from workbench.server.hogql.autocomplete import PROPERTY_DEFINITION_LIMIT


def complete(query: str, cursor_word: str = "", **kwargs: Any) -> dict[str, Any]:
    """Suggestions for ``cursor_word`` typed at the place marked ``|`` in ``query``."""
    start = query.index("|")
    text = query.replace("|", cursor_word, 1)
    return hogql_autocomplete(text, start=start, end=start + len(cursor_word), team_id=1, **kwargs)


def labels(response: dict[str, Any], kind: str | None = None) -> list[str]:
    return [s["label"] for s in response["suggestions"] if kind is None or s["kind"] == kind]


def test_tables_after_from() -> None:
    response = complete("select * from |")
    assert labels(response) == ["events", "persons", "person_distinct_ids", "sessions", "groups"]
    assert {s["kind"] for s in response["suggestions"]} == {"Folder"}


def test_fields_functions_and_keywords_in_select() -> None:
    response = complete("select | from events")
    fields = {s["label"]: s for s in response["suggestions"] if s["kind"] == "Field"}
    assert fields["timestamp"]["detail"] == "DateTime64(6, 'UTC')"
    assert fields["$session_id"]["insertText"] == "$session_id"
    assert "person_properties" not in fields
    functions = {s["label"]: s for s in response["suggestions"] if s["kind"] == "Function"}
    assert functions["count"]["insertText"] == "count()"
    assert "SELECT" in labels(response, "Keyword")
    assert "session" in labels(response, "Folder")


def test_prefix_filters_suggestions() -> None:
    response = complete("select | from events", "time")
    assert "timestamp" in labels(response)
    assert all(label.lower().startswith("time") for label in labels(response))


def test_alias_fields_after_dot() -> None:
    assert labels(complete("select p.| from persons p")) == [
        "id",
        "created_at",
        "properties",
        "is_identified",
        "version",
    ]


def test_lazy_join_fields() -> None:
    assert "$session_duration" in labels(complete("select session.| from events"))


def test_property_keys_come_from_the_data_most_frequent_first(chdb_conn: Any) -> None:
    def keys(kind: str) -> list[str]:
        return [row[0] for row in run(chdb_conn, property_keys_sql(kind, team_id=1))]  # type: ignore[arg-type]

    event_keys = labels(complete("select properties.| from events", property_keys=keys))
    assert event_keys[0] == "$browser"  # on every event; ties broken by name
    assert event_keys.index("$current_url") < event_keys.index("utm_source")
    assert event_keys.index("utm_source") < event_keys.index("revenue")  # rarer, later
    person_keys = labels(complete("select person.properties.| from events", property_keys=keys))
    assert {"email", "plan", "company"} <= set(person_keys)
    assert "$current_url" not in person_keys


def test_property_list_is_capped_and_flagged_incomplete() -> None:
    many = [f"key{i}" for i in range(PROPERTY_DEFINITION_LIMIT + 1)]
    response = complete("select properties.| from events", property_keys=lambda kind: many)
    assert len(response["suggestions"]) == PROPERTY_DEFINITION_LIMIT
    assert response["incomplete_list"] is True
    assert complete("select properties.| from events")["incomplete_list"] is False


def test_ctes_are_offered_as_tables_after_from() -> None:
    response = complete("with buyers as (select 1), b2 as (select 2) select * from |")
    assert labels(response)[-2:] == ["buyers", "b2"]
