"""The client's autocomplete: PostHog's unfiltered answer and ``incomplete_list`` kept."""

from __future__ import annotations

import orjson

from tests.client.fake_posthog import FakePostHog
from workbench.client.client import PostHogClient
from workbench.client.models import Completions


async def test_fields_then_functions_as_posthog_sends_them(
    client: PostHogClient, fake: FakePostHog
) -> None:
    completions = await client.autocomplete("SELECT ev FROM events", 7, 9)
    assert isinstance(completions, Completions) and isinstance(completions, list)
    assert completions.incomplete_list is False
    assert [(s.label, s.insert_text, s.kind, s.detail) for s in completions] == [
        ("event", "event", "Variable", "String"),
        ("pdi", "pdi", "Variable", "Table"),
        ("person_id", "person_id", "Variable", "String"),
        ("avg", "avg()", "Function", None),
        ("count", "count()", "Function", None),
        ("countIf", "countIf()", "Function", None),
        ("toStartOfDay", "toStartOfDay()", "Function", None),
    ]
    query = orjson.loads(fake.requests[0].content)["query"]
    assert query == {
        "kind": "HogQLAutocomplete",
        "language": "hogQL",
        "query": "SELECT ev FROM events",
        "startPosition": 7,
        "endPosition": 9,
    }


async def test_a_cut_property_list_says_so(client: PostHogClient, fake: FakePostHog) -> None:
    fake.properties = [(f"key{i}", "Numeric") for i in range(300)]
    sql = "SELECT properties.key FROM events"
    cut = await client.autocomplete(sql, 18, 21)
    assert len(cut) == 220 and cut.incomplete_list is True
    assert cut[0].detail == "Numeric"
    narrowed = await client.autocomplete(sql.replace(".key", ".key29"), 18, 23)
    assert [s.label for s in narrowed] == ["key29", *(f"key29{i}" for i in range(10))]
    assert narrowed.incomplete_list is False
    assert "incomplete_list=False" in repr(narrowed)
