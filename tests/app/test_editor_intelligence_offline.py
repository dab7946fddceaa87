"""Editor intelligence without the server's help: the quick fix (the local server's
metadata never offers one) with a scripted client, and local completion when offline."""

from __future__ import annotations

from assist_helpers import (
    SIZE,
    diagnostic_text,
    editor_of,
    labels,
    popup_of,
    screen_of,
    type_at,
    wait_for,
)
from fakes import FakeClient, make_app

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.workbench_app import WorkbenchApp
from workbench.app.workers import ClientSession, QueryClient
from workbench.client import (
    DatabaseSchema,
    HogQLMetadata,
    MetadataNotice,
    SchemaField,
    SchemaTable,
    Suggestion,
)
from workbench.connection import ConnectionSettings


class AssistingClient(FakeClient):
    """A fake that validates by a table of answers and offers no completions."""

    def __init__(self, answers: dict[str, HogQLMetadata]) -> None:
        super().__init__()
        self.answers = answers
        self.validated: list[str] = []

    async def metadata(self, sql: str) -> HogQLMetadata:
        self.validated.append(sql)
        return self.answers.get(sql) or HogQLMetadata(True, (), (), (), ())

    async def autocomplete(self, sql: str, start: int, end: int) -> list[Suggestion]:
        return []

    async def schema(self) -> DatabaseSchema:
        return DatabaseSchema(tables={})


def problem(message: str, start: int, end: int, fix: str | None = None) -> HogQLMetadata:
    notice = MetadataNotice(message, start, end, fix)
    return HogQLMetadata(False, (notice,), (), (), ())


async def test_quick_fix_replaces_the_span_with_the_servers_fix() -> None:
    client = AssistingClient(
        {"select cuont() from events": problem("Unknown function: cuont", 7, 12, fix="count")}
    )
    app = make_app(client, text="")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        editor = editor_of(pilot)
        await type_at(pilot, "select cuont() from events")
        await wait_for(pilot, lambda: bool(editor.diagnostic_spans))
        assert editor.diagnostic_spans == [(7, 12, "error")]
        editor.cursor_location = (0, 9)
        await pilot.pause()
        assert "Unknown function: cuont" in diagnostic_text(pilot)
        assert "quick fix" in diagnostic_text(pilot)
        await pilot.press("alt+f")
        assert editor.text == "select count() from events"
        assert editor.diagnostic_spans == []
        # The fixed text validates clean, and the message goes.
        await wait_for(pilot, lambda: "select count() from events" in client.validated)
        await pilot.pause()
        assert editor.diagnostic_spans == [] and diagnostic_text(pilot) == ""


async def test_no_quick_fix_without_a_fix_leaves_the_text() -> None:
    client = AssistingClient({"select evnt": problem("Unable to resolve field: evnt", 7, 11)})
    app = make_app(client, text="")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        editor = editor_of(pilot)
        await type_at(pilot, "select evnt")
        await wait_for(pilot, lambda: bool(editor.diagnostic_spans))
        await pilot.press("alt+f")
        assert editor.text == "select evnt"


def unreachable_app() -> WorkbenchApp:
    """A real client pointed at a closed port: every request is refused."""
    settings = ConnectionSettings(
        host="http://127.0.0.1:9", project_id="1", api_key="phx_" + "x" * 40
    )

    def make_client() -> QueryClient:
        from workbench.client import PostHogClient
        from workbench.client.budget import RateBudget

        return PostHogClient(settings, budget=RateBudget())

    context = WorkbenchContext(
        host_label="http://127.0.0.1:9",
        project_label="1",
        session=ClientSession(make_client),
        initial_buffers=SavedBuffers([SavedBuffer(title="query", text="")]),
    )
    return WorkbenchApp(context)


EVENTS = SchemaTable(
    name="events",
    type="posthog",
    fields=(
        SchemaField("event", "event", "string"),
        SchemaField("timestamp", "timestamp", "datetime"),
        SchemaField("person", "person", "lazy_table", table="persons"),
    ),
)
PERSONS = SchemaTable(
    name="persons",
    type="posthog",
    fields=(SchemaField("is_identified", "is_identified", "integer"),),
)


async def test_offline_completion_is_local_and_says_so() -> None:
    app = unreachable_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        popup = popup_of(pilot)
        await type_at(pilot, "select cou")
        await wait_for(pilot, lambda: popup.is_open)
        assert popup.source == "local: offline"
        assert "count" in labels(pilot) and "countIf" in labels(pilot)
        assert "local (offline)" in screen_of(pilot).status_bar.assist_text
        # With a schema known (cached from earlier), tables, alias fields and joins complete.
        screen_of(pilot).schema = DatabaseSchema(tables={"events": EVENTS, "persons": PERSONS})
        editor = editor_of(pilot)
        editor.load_text("select  from events e")
        await type_at(pilot, "e.t", at=(0, 7))
        await wait_for(pilot, lambda: labels(pilot)[:1] == ["timestamp"])  # then "event"
        editor.load_text("select  from events")
        await type_at(pilot, "person.is", at=(0, 7))
        await wait_for(pilot, lambda: labels(pilot) == ["is_identified"])
        editor.load_text("")
        await type_at(pilot, "select * from pe")
        await wait_for(pilot, lambda: labels(pilot) == ["persons"])
        await pilot.press("enter")
        assert editor.text == "select * from persons"
