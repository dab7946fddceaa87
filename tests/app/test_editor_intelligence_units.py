"""Editor intelligence, headless parts and the request lifecycle with a scripted client."""

from __future__ import annotations

import asyncio

from assist_helpers import SIZE, editor_of, labels, popup_of, screen_of, type_at, wait_for
from fakes import FakeClient, FrozenClock, make_app

from workbench.app.assist.completion import (
    completion_context,
    local_suggestions,
    wants_completion,
)
from workbench.app.assist.diagnostics import diagnostic_at, diagnostics_from
from workbench.app.assist.pacer import RequestPacer
from workbench.app.widgets.completion_popup import suggestion_prompt
from workbench.app.widgets.schema_browser import quoted_name
from workbench.client import (
    DatabaseSchema,
    HogQLMetadata,
    MetadataNotice,
    SchemaField,
    SchemaTable,
    Suggestion,
)


def test_pacer_allows_a_burst_then_one_request_per_refill() -> None:
    clock = FrozenClock()
    pacer = RequestPacer(refill_seconds=1.5, burst=2, clock=clock)
    assert pacer.try_spend() and pacer.try_spend()
    assert not pacer.try_spend() and pacer.refused == 1
    assert pacer.wait_time() == 1.5
    clock.now += 1.0
    assert not pacer.try_spend()
    clock.now += 0.5
    assert pacer.try_spend() and pacer.sent == 3
    clock.now += 100  # idle time banks no more than the burst
    assert pacer.try_spend() and pacer.try_spend() and not pacer.try_spend()


def test_diagnostics_are_placed_in_the_buffer_and_ordered_by_severity() -> None:
    metadata = HogQLMetadata(
        is_valid=False,
        errors=(MetadataNotice("end", 13, 13),),
        warnings=(MetadataNotice("warn", 0, 6),),
        notices=(MetadataNotice("note", 2, 4, fix="x"), MetadataNotice("whole")),
        table_names=(),
    )
    found = diagnostics_from(metadata, offset=100, length=13)
    spans = [(d.start, d.end, d.severity) for d in found]
    # A zero-width span marks the character before it; a span-less notice covers it all.
    assert (112, 113, "error") in spans and (100, 113, "notice") in spans
    assert spans[0] == (100, 106, "warning")
    assert diagnostic_at(found, 103).severity == "warning"  # type: ignore[union-attr]
    assert diagnostic_at(found, 113).message == "end"  # type: ignore[union-attr]
    assert diagnostic_at(found, 50) is None


EVENTS = SchemaTable(
    "events",
    "posthog",
    (
        SchemaField("event", "event", "string"),
        SchemaField("$session_id", "`$session_id`", "string"),
        SchemaField("person", "person", "lazy_table", table="persons"),
    ),
)
PERSONS = SchemaTable("persons", "posthog", (SchemaField("id", "id", "string"),))
SCHEMA = DatabaseSchema({"events": EVENTS, "persons": PERSONS})


def local(text: str, offset: int | None = None) -> list[str]:
    at = len(text) if offset is None else offset
    context = completion_context(text, at)
    keys = {"properties": ("$browser", "$os")}
    return [s.label for s in local_suggestions(text, context, SCHEMA, keys)]


def test_local_completion_in_each_context() -> None:
    assert local("select * from p") == ["persons"]
    assert local("select * from ") == ["events", "persons"]
    assert local("select x. from events x", 9) == ["event", "$session_id", "person"]
    assert local("select person. from events", 14) == ["id"]
    assert local("select properties.$b from events", 20) == ["$browser"]
    assert local("select ev from events", 9)[:2] == ["event", "events"]  # prefix matches first
    assert "countIf" in local("select countI") and "LIMIT" in local("select 1 lim")
    assert local("select nothing_like_this") == []
    assert local("select 1 from events where ") == []  # no prefix: nothing local to say


def test_completion_context_and_when_it_opens() -> None:
    context = completion_context("select e.ev from events e", 11)
    assert (context.start, context.end, context.prefix, context.qualifier) == (9, 11, "ev", "e")
    assert completion_context("select a.b.c", 12).qualifier == "a.b"
    assert wants_completion("select e.", 9) and wants_completion("select e", 8)
    assert not wants_completion("select ", 7) and not wants_completion("", 0)


def test_untrusted_names_are_shown_literally() -> None:
    row = suggestion_prompt(Suggestion("[bold]x\x1b[2J", "[bold]x", "Field", detail="[/]"))
    assert row.plain.startswith("[bold]x\\x1b[2J") and "[/]" in row.plain
    assert not row.spans or all(span.start >= len("[bold]x\\x1b[2J") for span in row.spans)
    assert quoted_name("$browser") == "$browser" and quoted_name("my key") == "`my key`"
    assert quoted_name("a`b") == "`a``b`"


class GatedClient(FakeClient):
    """Autocomplete waits on a gate; records what was asked and what was cancelled."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, int, int]] = []
        self.cancelled_asks: list[str] = []
        self.gate = asyncio.Event()

    async def autocomplete(self, sql: str, start: int, end: int) -> list[Suggestion]:
        self.asked.append((sql, start, end))
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            self.cancelled_asks.append(sql)
            raise
        # As PostHog: fields then every function, whatever the word.
        return [
            Suggestion(label="event", insert_text="event", kind="Variable", detail="String"),
            Suggestion(label="count", insert_text="count()", kind="Function"),
            Suggestion(label="uniq", insert_text="uniq()", kind="Function"),
        ]


async def test_a_newer_request_cancels_the_stale_one_and_one_answer_serves_the_word() -> None:
    client = GatedClient()
    app = make_app(client, text="")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        screen_of(pilot).pacer = RequestPacer(burst=100)
        await type_at(pilot, "select co")
        await wait_for(pilot, lambda: bool(client.asked) and client.asked[-1][0] == "select co")
        # Typing on in the same word waits for the answer in flight instead of asking again.
        before = len(client.asked)
        await type_at(pilot, "u")
        screen = screen_of(pilot)
        await wait_for(pilot, lambda: screen._expected_completion == ("select cou", 7, 10))
        assert len(client.asked) == before and client.asked[-1][0] == "select co"
        # Another word's request cancels the stale one.
        await type_at(pilot, " ev")
        await wait_for(pilot, lambda: client.asked[-1][0] == "select cou ev")
        await wait_for(pilot, lambda: "select co" in client.cancelled_asks)
        client.gate.set()
        await wait_for(pilot, lambda: labels(pilot)[:1] == ["event"])
        assert popup_of(pilot).source == "server"
        # Back in the first word: asked once, then every keystroke is ranked locally.
        editor_of(pilot).load_text("select ")
        await type_at(pilot, "c", at=(0, 7))
        await wait_for(pilot, lambda: client.asked[-1][0] == "select c")
        await wait_for(pilot, lambda: labels(pilot)[:1] == ["count"])
        asked = len(client.asked)
        await type_at(pilot, "oun")
        await wait_for(pilot, lambda: editor_of(pilot).text == "select coun")
        await wait_for(pilot, lambda: screen_of(pilot).assist_idle)
        assert labels(pilot)[0] == "count" and "event" not in labels(pilot)
        await pilot.press("backspace")
        await wait_for(pilot, lambda: screen_of(pilot).assist_idle)
        assert len(client.asked) == asked
        assert popup_of(pilot).source == "server"


class LowBudget:
    """A rate budget close to a 429 for the other query kinds."""

    def should_warn(self, kind: str) -> bool:
        return kind == "other"

    def remaining(self, bucket: str) -> int:
        return 4


class LowBudgetClient(GatedClient):
    def __init__(self) -> None:
        super().__init__()
        self.budget = LowBudget()  # type: ignore[assignment]
        self.validated: list[str] = []

    async def metadata(self, sql: str) -> HogQLMetadata:
        self.validated.append(sql)
        return HogQLMetadata(True, (), (), (), ())


async def test_low_budget_completes_locally_validates_nothing_and_says_so() -> None:
    client = LowBudgetClient()
    app = make_app(client, text="")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        await type_at(pilot, "select countI")
        await wait_for(pilot, lambda: popup_of(pilot).is_open)
        assert popup_of(pilot).source == "local: budget low"
        assert "countIf" in labels(pilot)
        await wait_for(pilot, lambda: screen_of(pilot).assist_idle)
        assert client.asked == [] and client.validated == []
        status = screen_of(pilot).status_bar.assist_text
        assert "local (budget low)" in status and "4/h left" in status
