"""Projects, schema, metadata and autocomplete through the client."""

from __future__ import annotations

import httpx
import orjson
import pytest

from tests.client.fake_posthog import FakePostHog
from workbench.client import PostHogClient, ProtocolError
from workbench.connection import ConnectionSettings


async def test_metadata_reports_positions(client: PostHogClient, fake: FakePostHog) -> None:
    metadata = await client.metadata("SELECT nope FROM events")
    assert not metadata.is_valid
    assert (metadata.errors[0].start, metadata.errors[0].end) == (7, 11)
    assert metadata.table_names == ("events",)
    body = orjson.loads(fake.requests[0].content)
    assert body == {
        "query": {"kind": "HogQLMetadata", "language": "hogQL", "query": "SELECT nope FROM events"}
    }


async def test_autocomplete_sends_positions(client: PostHogClient, fake: FakePostHog) -> None:
    suggestions = await client.autocomplete("SELECT ev FROM events", 7, 9)
    first = suggestions[0]
    assert (first.label, first.insert_text, first.kind, first.detail) == (
        "event",
        "event",
        "Variable",
        "String",
    )
    query = orjson.loads(fake.requests[0].content)["query"]
    assert (query["startPosition"], query["endPosition"]) == (7, 9)


async def test_schema_is_fetched_once_per_client(client: PostHogClient, fake: FakePostHog) -> None:
    first = await client.schema()
    second = await client.schema()
    assert first is second
    assert len(fake.requests) == 1
    events = first.tables["events"]
    fields = {f.name: f for f in events.fields}
    assert fields["pdi"].table == "person_distinct_ids"
    assert fields["person_id"].chain == ("pdi", "person_id")
    await client.schema(refresh=True)
    assert len(fake.requests) == 2


async def test_projects_and_current(client: PostHogClient) -> None:
    projects = await client.list_projects()
    assert [(p.id, p.name, p.timezone) for p in projects] == [(1, "Demo", "UTC")]
    assert (await client.current_project()).id == 1


async def test_current_resolves_at_current(make_client, fake: FakePostHog) -> None:  # type: ignore[no-untyped-def]
    from tests.client.fake_posthog import API_KEY

    settings = ConnectionSettings(
        host="https://posthog.test", project_id="@current", api_key=API_KEY
    )
    client = make_client(settings=settings)
    project = await client.current_project()
    assert project.id == 1
    assert fake.requests[0].url.path == "/api/projects/@current/"


async def test_project_pages_are_followed(client: PostHogClient, fake: FakePostHog) -> None:
    page = {"id": 2, "name": "Two"}
    fake.respond_next(
        httpx.Response(
            200,
            json={
                "results": [{"id": 1, "name": "One"}],
                "next": "https://posthog.test/api/projects/?offset=1",
            },
        ),
        httpx.Response(200, json={"results": [page], "next": None}),
    )
    projects = await client.list_projects()
    assert [p.id for p in projects] == [1, 2]
    assert fake.requests[1].url.params["offset"] == "1"


async def test_next_link_to_another_host_is_not_followed(
    client: PostHogClient, fake: FakePostHog
) -> None:
    fake.respond_next(
        httpx.Response(200, json={"results": [], "next": "https://evil.test/api/projects/?o=1"})
    )
    with pytest.raises(ProtocolError, match="another host"):
        await client.list_projects()
    assert len(fake.requests) == 1
