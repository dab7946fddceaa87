"""The autocomplete kind's parts without a server: key cache, guards, the 220-key cap."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from workbench.server.autocomplete import AutocompleteKind, opener_around
from workbench.server.engine import ClickHouseError
from workbench.server.errors import ApiError
from workbench.server.hogql import hogql_autocomplete
from workbench.server.property_keys import FAILED_LOAD_TTL, KEY_LIST_TTL, PropertyKeyCache
from workbench.server.schema_query import SchemaKind


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def node(text: str, start: int, end: int | None = None) -> dict[str, Any]:
    end = start if end is None else end
    return {"kind": "HogQLAutocomplete", "query": text, "startPosition": start, "endPosition": end}


def test_key_lists_are_reused_for_a_minute_per_team_and_kind() -> None:
    loads: list[tuple[str, int]] = []
    clock = Clock()

    def load(kind: str, team_id: int) -> list[str]:
        loads.append((kind, team_id))
        return [f"{kind}-{len(loads)}"]

    cache = PropertyKeyCache(load, clock=clock)
    assert cache.keys("event", 1) == ["event-1"]
    clock.now += KEY_LIST_TTL - 1
    assert cache.keys("event", 1) == ["event-1"]
    assert cache.keys("person", 1) == ["person-2"]
    assert cache.keys("event", 2) == ["event-3"]
    clock.now += 2
    assert cache.keys("event", 1) == ["event-4"]
    assert loads == [("event", 1), ("person", 1), ("event", 2), ("event", 1)]


def test_a_failed_scan_gives_no_keys_and_is_retried_soon() -> None:
    clock = Clock()
    outcomes: list[list[str] | Exception] = [
        ClickHouseError(159, "TIMEOUT_EXCEEDED", "slow"),
        ["a"],
    ]

    def load(kind: str, team_id: int) -> list[str]:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    cache = PropertyKeyCache(load, clock=clock)
    assert cache.keys("event", 1) == []
    clock.now += FAILED_LOAD_TTL + 0.1
    assert cache.keys("event", 1) == ["a"]


def test_with_a_background_runner_an_expired_list_answers_while_it_reloads() -> None:
    clock = Clock()
    pending: list[Callable[[], None]] = []
    generation = [0]

    def load(kind: str, team_id: int) -> list[str]:
        generation[0] += 1
        return [f"v{generation[0]}"]

    cache = PropertyKeyCache(load, clock=clock, background=pending.append)
    cache.prefetch("event", 1)
    assert generation == [0] and len(pending) == 1  # queued, not run by the request thread
    pending.pop()()
    assert cache.keys("event", 1) == ["v1"]
    clock.now += KEY_LIST_TTL + 1
    assert cache.keys("event", 1) == ["v1"]  # stale, answered at once
    assert cache.keys("event", 1) == ["v1"]
    assert len(pending) == 1  # one reload however many requests
    pending.pop()()
    assert cache.keys("event", 1) == ["v2"]


def test_a_closed_background_runner_leaves_the_stale_list() -> None:
    clock = Clock()

    def closed(job: Callable[[], None]) -> None:
        raise RuntimeError("cannot schedule new futures after shutdown")

    cache = PropertyKeyCache(lambda kind, team: ["k"], clock=clock, background=closed)
    assert cache.keys("event", 1) == ["k"]  # nothing cached yet: loaded in the request
    clock.now += KEY_LIST_TTL + 1
    assert cache.keys("event", 1) == ["k"]
    assert cache.keys("event", 1) == ["k"]


def test_concurrent_misses_run_one_scan() -> None:
    started = threading.Event()
    release = threading.Event()
    calls: list[str] = []

    def load(kind: str, team_id: int) -> list[str]:
        calls.append(kind)
        started.set()
        release.wait(5)
        return ["k"]

    cache = PropertyKeyCache(load)
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.keys("event", 1))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    time.sleep(0.05)  # let the other threads reach the lock (no timing is asserted)
    release.set()
    for thread in threads:
        thread.join(5)
    assert calls == ["event"]
    assert results == [["k"]] * 4


def test_the_list_is_capped_at_220_and_flagged_incomplete() -> None:
    many = [f"key{i}" for i in range(300)]
    handler = AutocompleteKind(hogql_autocomplete, lambda kind, team: many)
    text = "select properties. from events"
    body = handler(node(text, text.index(" from")), 1)
    assert [s["label"] for s in body["suggestions"]] == many[:220]
    assert body["incomplete_list"] is True


def test_a_failing_completer_costs_only_the_suggestions() -> None:
    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise IndexError("bug")

    body = AutocompleteKind(broken, lambda kind, team: [])(node("select ", 7), 1)
    assert body["suggestions"] == [] and body["incomplete_list"] is False
    assert body["timings"][-1]["k"] == "."


@pytest.mark.parametrize(
    ("text", "offset", "opener"),
    [
        ("select 'abc", 10, "'"),
        ("select 'a' ", 11, None),
        ("select 1 -- from ", 17, "-"),
        ("select 1 -- x\nfrom ", 19, None),
        ("select /* a", 11, "/"),
        ("select `$b", 10, "`"),
        ("select `$b` ", 12, None),
    ],
)
def test_opener_around_the_cursor(text: str, offset: int, opener: str | None) -> None:
    found = opener_around(text, offset)
    assert (found[1] if found else None) == opener


def test_request_fields_are_checked() -> None:
    handler = AutocompleteKind(hogql_autocomplete, lambda kind, team: [])
    with pytest.raises(ApiError) as error:
        handler({"query": 1, "startPosition": 0, "endPosition": 0}, 1)
    assert error.value.code == "parse_error"
    with pytest.raises(ApiError):
        handler({"query": "x", "startPosition": "0", "endPosition": 0}, 1)


def test_schema_is_built_once_and_a_failure_is_503() -> None:
    builds: list[int] = []

    def build() -> dict[str, object]:
        builds.append(1)
        return {"tables": {}, "joins": []}

    kind = SchemaKind(build)
    assert kind({}, 1) is kind({}, 2)
    assert builds == [1]

    def failing() -> dict[str, object]:
        raise KeyError("persons")

    with pytest.raises(ApiError) as error:
        SchemaKind(failing)({}, 1)
    assert (error.value.status, error.value.code) == (503, "database_schema_unavailable")


@pytest.mark.parametrize("quote", ["`", '"'])
def test_inside_a_quoted_identifier_the_chain_before_it_counts(quote: str) -> None:
    handler = AutocompleteKind(hogql_autocomplete, lambda kind, team: ["$browser", "a b"])
    text = f"select e.properties.{quote}$b{quote} from events e"
    start = text.index("$b")
    body = handler(node(text, start, start + 2), 1)
    assert [(s["label"], s["insertText"]) for s in body["suggestions"]] == [
        ("$browser", "$browser")
    ]
    body = handler(node(text, start, start), 1)
    assert [s["insertText"] for s in body["suggestions"]] == ["$browser", "a b"]


def test_only_the_sql_languages_are_completed() -> None:
    handler = AutocompleteKind(hogql_autocomplete, lambda kind, team: [])
    text = "select * from "
    for language, expected in (("hogQL", True), ("hogQLExpr", True), ("hog", False)):
        body = handler({**node(text, len(text)), "language": language}, 1)
        assert ("events" in [s["label"] for s in body["suggestions"]]) is expected
    assert handler(node(text, len(text)), 1)["suggestions"]  # no language: HogQL


def test_the_completer_itself_never_needs_the_guard(caplog: pytest.LogCaptureFixture) -> None:
    """Every cursor position of realistic and of random half-typed text: no exception reaches
    the guard (it would hide a completer bug as an empty list)."""
    handler = AutocompleteKind(hogql_autocomplete, lambda kind, team: ["$browser", "a b"])
    texts = [
        "select properties.$current_url as url, count() from events e where e.timestamp >"
        " now() - interval 7 day group by url order by 2 desc limit 10",
        "with s as (select session.$session_duration d from events) select avg(d) from s",
        "select `properties`.`$browser`, e.`person`.properties.x from events as e"
        " array join [1,2] as n where {filters}",
        "select a.b.c.d. from events, persons p where p.properties['x']. and pdi.person.",
    ]
    rng = random.Random(7)
    words = "select from events e . properties person ` ' \" ( ) , $ x 1 join on where -- /*"
    texts += [
        "".join(rng.choice([*words.split(" "), " "]) for _ in range(rng.randrange(1, 25)))
        for _ in range(300)
    ]
    with caplog.at_level(logging.ERROR, logger="workbench.server.autocomplete"):
        for text in texts:
            for start in range(len(text) + 1):
                body = handler(node(text, start, min(len(text), start + 2)), 1)
                assert isinstance(body["suggestions"], list)
    assert [r.getMessage() for r in caplog.records] == []
