"""Editor intelligence: the schema browser, and the request budget while typing."""

from __future__ import annotations

import asyncio

import pytest
from assist_helpers import (
    SIZE,
    RequestLog,
    assist_app,
    connected,
    editor_of,
    screen_of,
    wait_for,
)
from fakes import FrozenClock
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode

from workbench.app.assist.pacer import BURST, REFILL_SECONDS, RequestPacer
from workbench.app.screens import assist_screen, validation_screen
from workbench.app.widgets.schema_browser import SchemaNode
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

TYPED = (
    "select event, count() as n, properties.$browser from events e "
    "where e.timestamp > now() - interval 7 day and e.event = '$pageview' "
    "group by event, properties.$browser order by n desc limit 100 -- done"
)
"""200 characters of a query, typed one key at a time."""

SMALL = (80, 24)
"""A small terminal: 200 key presses repaint less."""

MAX_IDLE_PAUSES = 200
"""pilot.pause() calls to wait for the deferred requests (a bound, not a timing)."""

KEY_INTERVAL = 0.005
"""Real seconds between keys sent: the app keeps up, and the debounce timers can fire."""

SECONDS_PER_KEY = 0.05
"""Fast typing (20 keys a second): the pacer's clock moves this much per key."""


async def test_typing_200_characters_stays_within_the_request_budget(
    local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(TYPED) == 200
    # Worst case for the budget: no debounce at all, so every key wants both requests.
    monkeypatch.setattr(assist_screen, "COMPLETE_DELAY", 0.0)
    monkeypatch.setattr(validation_screen, "VALIDATE_DELAY", 0.0)
    log = RequestLog()
    app = assist_app(local_server, log=log)
    async with app.run_test(size=SMALL) as pilot:
        await connected(pilot)
        screen = screen_of(pilot)
        clock = FrozenClock()
        screen.pacer = RequestPacer(clock=clock)
        started = clock.now
        before = log.query_kinds
        editor = editor_of(pilot)
        for character in TYPED:
            # Straight into the app's queue, as a terminal sends them: Pilot's press waits
            # for idle after every key, which is neither quick typing nor quick to run.
            app.post_message(events.Key(key_name(character), character))
            clock.now += SECONDS_PER_KEY
            await asyncio.sleep(KEY_INTERVAL)
        await wait_for(pilot, lambda: editor.text == TYPED)
        await app.workers.wait_for_complete()
        await pilot.pause()
        typing_seconds = len(TYPED) * SECONDS_PER_KEY
        sent = log.query_kinds - before
        # One request per 1.5 s of typing on average, plus the burst after the pause before.
        assert 0 < sent <= BURST + typing_seconds / REFILL_SECONDS
        assert screen.pacer.refused > 0  # the rest was served locally or deferred
        assert f"editor calls {screen.pacer.sent}" in screen.status_bar.assist_text
        # The pause lets what waited for a token go out (the validation, the completion,
        # the schema), still within the budget counted over typing and pause together...
        for _ in range(MAX_IDLE_PAUSES):
            if screen.assist_idle:
                break
            clock.now += SECONDS_PER_KEY
            await pilot.pause(0.05)
        assert screen.assist_idle
        paced_seconds = clock.now - started
        assert log.query_kinds - before <= BURST + paced_seconds / REFILL_SECONDS
        # ...then nothing more is sent, however long the editor stays idle.
        quiet = log.query_kinds
        for _ in range(10):
            clock.now += 10 * REFILL_SECONDS
            await pilot.pause(0.05)
        assert log.query_kinds == quiet and screen.assist_idle


def key_name(character: str) -> str:
    """Textual's key name for a typed character (``.`` is ``full_stop``)."""
    return character if character.isalnum() else _character_to_key(character)


def find(node: TreeNode[SchemaNode], label: str) -> TreeNode[SchemaNode]:
    for child in node.children:
        if str(child.label).split("  ")[0] == label:
            return child
    raise AssertionError(f"no {label!r} under {node.label}")


async def test_schema_browser_filters_expands_joins_and_inserts_names(
    local_server: LocalServer,
) -> None:
    app = assist_app(local_server, text="select  from events")
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot)
        screen = screen_of(pilot)
        editor = editor_of(pilot)
        editor.cursor_location = (0, 7)
        await pilot.press("f12")
        browser = screen.schema_browser
        assert browser.display
        tree: Tree[SchemaNode] = browser.schema_tree
        await wait_for(pilot, lambda: browser.schema is not None)
        await pilot.pause()
        tables = [str(node.label).split("  ")[0] for node in tree.root.children]
        assert {"events", "persons", "sessions"} <= set(tables)
        # Filter as you type: only tables or fields matching "stamp" stay.
        await pilot.press(*"stamp")
        await pilot.pause()
        events = find(tree.root, "events")
        assert [str(c.label).split("  ")[0] for c in events.children] == ["timestamp"]
        assert "datetime" in str(find(events, "timestamp").label)
        # Enter on a field inserts its name at the editor's cursor.
        tree.focus()
        tree.move_cursor(find(events, "timestamp"))
        await pilot.press("enter")
        assert editor.text == "select timestamp from events"
        # A lazy join expands into the joined table's fields, inserted as a path.
        browser.query_one("#schema-filter", Input).value = ""
        await pilot.pause()
        events = find(tree.root, "events")
        events.expand()
        session = find(events, "session")
        session.expand()
        await pilot.pause()
        assert "$session_duration" in [str(c.label).split("  ")[0] for c in session.children]
        # properties expands into the property keys, loaded from the server on demand.
        properties = find(events, "properties")
        properties.expand()
        await wait_for(
            pilot, lambda: "$browser" in [str(c.label).split("  ")[0] for c in properties.children]
        )
        await pilot.pause()
        tree.focus()
        tree.move_cursor(find(properties, "$browser"))
        editor.cursor_location = (0, 7)
        await pilot.pause()
        await pilot.press("enter")
        assert editor.text.startswith("select properties.$browser")
