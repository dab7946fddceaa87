"""Completion against PostHog's unfiltered answers: ranking, keywords, kinds, one answer per
word (headless), and the popup and request count in the app with a scripted client."""

from __future__ import annotations

from assist_helpers import SIZE, editor_of, labels, popup_of, screen_of, type_at, wait_for
from fakes import FakeClient, FrozenClock, make_app

from workbench.app.assist.answers import PENDING_SECONDS, AnswerCache
from workbench.app.assist.completion import completion_context
from workbench.app.assist.pacer import RequestPacer
from workbench.app.assist.ranking import (
    MAX_SHOWN,
    friendly_kind,
    is_property_context,
    rank,
    with_local_words,
)
from workbench.app.widgets.completion_popup import suggestion_prompt
from workbench.client.models import Completions, Suggestion


def item(label: str, kind: str = "Variable", detail: str | None = None) -> Suggestion:
    insert = f"{label}()" if kind == "Function" else label
    return Suggestion(label=label, insert_text=insert, kind=kind, detail=detail)


def test_prefix_matches_first_then_substrings_fields_before_functions() -> None:
    answer = [
        item("timestamp", detail="DateTime"),
        item("created_at", detail="DateTime"),
        item("toStartOfDay", "Function"),
        item("Timestamp_ms"),  # any case
        item("toTimeZone", "Function"),
        item("timeSlot", "Function"),
        item("event"),
    ]
    ranked = [s.label for s in rank(answer, "TIM")]
    assert ranked == ["timestamp", "Timestamp_ms", "timeSlot", "toTimeZone"]
    assert [s.label for s in rank(answer, "day")] == ["toStartOfDay"]  # inside the name
    assert [s.label for s in rank(answer, "")][:2] == ["timestamp", "created_at"]
    assert rank(answer, "zzz") == []


def test_ranking_caps_and_drops_duplicates() -> None:
    many = [item(f"f{i}") for i in range(MAX_SHOWN + 50)]
    assert len(rank(many, "f")) == MAX_SHOWN
    twice = [item("count", "Function"), item("count", "Function"), item("count")]
    assert [(s.label, s.kind) for s in rank(twice, "co")] == [
        ("count", "Variable"),
        ("count", "Function"),
    ]


def test_keywords_are_added_locally_and_functions_when_the_server_sent_none() -> None:
    aliases_only = [item("e", "Folder", "Table")]
    words = with_local_words(aliases_only, ["WHERE", "SELECT"], ["count"])
    assert [(s.label, s.kind) for s in words] == [
        ("e", "Folder"),
        ("count", "Function"),
        ("WHERE", "Keyword"),
        ("SELECT", "Keyword"),
    ]
    with_functions = with_local_words([item("avg", "Function")], ["WHERE"], ["count"])
    assert [s.label for s in with_functions] == ["avg", "WHERE"]


def test_friendly_kinds_and_literal_details_in_the_popup() -> None:
    assert friendly_kind("Variable") == "field"
    assert friendly_kind("Variable", property_context=True) == "property"
    assert friendly_kind("Folder") == "table" and friendly_kind("Function") == "function"
    assert friendly_kind("Keyword") == "keyword" and friendly_kind("Snippet") == "snippet"
    assert is_property_context("properties") and is_property_context("e.person.properties")
    assert is_property_context("person_properties") and not is_property_context("e")
    row = suggestion_prompt(item("revenue", detail="Numeric"), property_context=True).plain
    assert row.split() == ["revenue", "property", "Numeric"]
    row = suggestion_prompt(item("ts", detail="DateTime64(6, 'UTC')")).plain
    assert row.split(maxsplit=2) == ["ts", "field", "DateTime64(6, 'UTC')"]


def context_of(text: str) -> tuple[str, object]:
    return text, completion_context(text, len(text))


def test_one_answer_serves_the_word_until_its_context_changes() -> None:
    cache = AnswerCache()
    answer = (item("event"), item("count", "Function"))
    text, context = "select e", completion_context("select e", 8)
    assert cache.lookup(text, context) is None
    cache.asking(text, context)
    assert cache.awaited("select ev", completion_context("select ev", 9))
    assert not cache.awaited("select x ev", completion_context("select x ev", 11))
    cache.answered(text, context, answer)
    assert not cache.awaited("select ev", completion_context("select ev", 9))
    for typed in ("select ev", "select eve", "select event"):
        assert cache.lookup(typed, completion_context(typed, len(typed))) == answer
    # Text after the word is part of the context; a shorter word may need more than was sent.
    assert cache.lookup("select ev from x", completion_context("select ev from x", 9)) is None
    assert cache.lookup("select ", completion_context("select ", 7)) is None
    assert cache.requests == 1


def test_a_cut_list_serves_only_its_own_word() -> None:
    cache = AnswerCache()
    text = "select properties.$b from events"
    asked = completion_context(text, 20)
    cache.answered(text, asked, (item("$browser"),), incomplete=True)
    assert cache.lookup(text, asked) == (item("$browser"),)
    longer = "select properties.$br from events"
    assert cache.lookup(longer, completion_context(longer, 21)) is None


def test_a_lost_request_is_not_waited_for_forever() -> None:
    clock = FrozenClock()
    cache = AnswerCache(clock=clock)
    text, context = "select e", completion_context("select e", 8)
    cache.asking(text, context)
    clock.now += PENDING_SECONDS + 1
    assert not cache.awaited(text, context)


class PostHogLikeClient(FakeClient):
    """Answers as PostHog: the same unfiltered list for any word, counting requests."""

    def __init__(self, incomplete: bool = False) -> None:
        super().__init__()
        self.asked: list[tuple[str, int, int]] = []
        self.incomplete = incomplete

    async def autocomplete(self, sql: str, start: int, end: int) -> Completions:
        self.asked.append((sql, start, end))
        if sql[:start].endswith("properties."):
            keys = [item("$browser", detail="String"), item("revenue", detail="Numeric")]
            return Completions(keys, incomplete_list=self.incomplete)
        fields = [item("timestamp", detail="DateTime"), item("event", detail="String")]
        functions = [
            item(name, "Function") for name in ("toStartOfDay", "count", "toTimeZone", "timeSlot")
        ]
        return Completions([*fields, *functions])


async def test_typing_a_word_asks_once_and_ranks_locally_with_keywords() -> None:
    client = PostHogLikeClient()
    app = make_app(client, text="")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        screen, popup = screen_of(pilot), popup_of(pilot)
        screen.pacer = RequestPacer(burst=100)
        editor_of(pilot).load_text("select  from events")
        await type_at(pilot, "t", at=(0, 7))
        await wait_for(pilot, lambda: popup.is_open and popup.source == "server")
        asked = len(client.asked)
        await type_at(pilot, "im")
        await wait_for(pilot, lambda: screen.assist_idle and labels(pilot)[:1] == ["timestamp"])
        assert labels(pilot) == ["timestamp", "timeSlot", "toTimeZone"]
        assert len(client.asked) == asked  # "ti" and "tim" were ranked locally
        rows = [str(option.prompt) for option in popup.options]
        assert rows[0].split() == ["timestamp", "field", "DateTime"]
        assert rows[1].split()[:2] == ["timeSlot", "function"]
        # Keywords come from the app: the server sends none.
        editor_of(pilot).load_text("select event from events ")
        await type_at(pilot, "wh", at=(0, 25))
        await wait_for(pilot, lambda: "WHERE" in labels(pilot))
        assert popup.chosen is not None and popup.chosen.kind == "Keyword"


async def test_a_cut_property_list_is_asked_again_as_the_word_grows() -> None:
    client = PostHogLikeClient(incomplete=True)
    app = make_app(client, text="")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.context.session.current is not None)
        screen, popup = screen_of(pilot), popup_of(pilot)
        screen.pacer = RequestPacer(burst=100)
        editor_of(pilot).load_text("select  from events")
        await type_at(pilot, "properties.", at=(0, 7))
        await wait_for(pilot, lambda: "$browser" in labels(pilot) and screen.assist_idle)
        rows = [str(option.prompt) for option in popup.options]
        assert rows[0].split() == ["$browser", "property", "String"]
        asked = len(client.asked)
        await type_at(pilot, "$")
        await wait_for(pilot, lambda: len(client.asked) > asked)
        assert client.asked[-1] == ("select properties.$ from events", 18, 19)
