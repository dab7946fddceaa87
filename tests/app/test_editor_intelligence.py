"""Editor intelligence (issue 8) against the local server: validation and completion."""

from __future__ import annotations

import pytest
from assist_helpers import (
    SIZE,
    assist_app,
    connected,
    diagnostic_text,
    editor_of,
    labels,
    popup_of,
    screen_of,
    type_at,
    wait_for,
)

from workbench.app.assist.pacer import RequestPacer
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server


async def test_validation_underlines_appear_and_disappear(local_server: LocalServer) -> None:
    app = assist_app(local_server)
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot)
        editor, screen = editor_of(pilot), screen_of(pilot)
        await type_at(pilot, "select evnt from events")
        await wait_for(pilot, lambda: bool(editor.diagnostic_spans))
        assert editor.diagnostic_spans == [(7, 11, "error")]
        # The gutter carries a mark on the line, the status bar the message at the cursor.
        assert "●" in editor.render_line(0).text
        editor.cursor_location = (0, 9)
        await pilot.pause()
        assert "Unable to resolve field: evnt" in diagnostic_text(pilot)
        # Correcting the word removes the underline at once, and validation keeps it away.
        await type_at(pilot, "e", at=(0, 9))
        assert editor.text == "select event from events"
        assert editor.diagnostic_spans == []
        await wait_for(pilot, lambda: "select event from events" in screen.metadata_cache)
        await pilot.pause()
        assert editor.diagnostic_spans == []
        assert "●" not in editor.render_line(0).text
        assert diagnostic_text(pilot) == ""
        # Breaking it again brings a new underline at the new span.
        await type_at(pilot, " where", at=(0, 24))
        await wait_for(pilot, lambda: bool(editor.diagnostic_spans))
        (start, end, severity), *_ = editor.diagnostic_spans
        assert severity == "error" and 24 <= start < end <= len(editor.text)


async def test_completions_in_each_context(local_server: LocalServer) -> None:
    app = assist_app(local_server)
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot)
        editor, popup = editor_of(pilot), popup_of(pilot)

        # After FROM: tables.
        await type_at(pilot, "select * from ev")
        await wait_for(pilot, lambda: "events" in labels(pilot) and popup.source == "server")
        assert popup.source == "server"
        await pilot.press("tab")
        assert editor.text == "select * from events" and not popup.is_open

        # After `properties.`: property keys of the table in FROM.
        editor.load_text("select  from events")
        await type_at(pilot, "properties.$b", at=(0, 7))
        await wait_for(pilot, lambda: "$browser" in labels(pilot) and popup.source == "server")
        assert labels(pilot)[0].startswith("$b")
        assert all("$b" in label.lower() for label in labels(pilot))

        # After a table alias and a dot: that table's fields, with their types.
        editor.load_text("select  from events e")
        await type_at(pilot, "e.ev", at=(0, 7))
        await wait_for(pilot, lambda: "event" in labels(pilot) and popup.source == "server")
        chosen = popup.chosen
        assert chosen is not None and chosen.kind == "Variable" and chosen.detail == "String"
        await pilot.press("enter")
        assert editor.text == "select e.event from events e"

        # Function names: accepting puts the cursor between the parentheses.
        editor.load_text("")
        await type_at(pilot, "select cou")
        await wait_for(pilot, lambda: "count" in labels(pilot) and popup.source == "server")
        while popup.chosen is not None and popup.chosen.label != "count":
            await pilot.press("down")
        await pilot.press("tab")
        assert editor.text == "select count()"
        assert editor.cursor_location == (0, len("select count("))

        # Escape closes the popup and leaves the text alone.
        await type_at(pilot, " from ev", at=(0, 14))
        await wait_for(pilot, lambda: popup.is_open)
        await pilot.press("escape")
        assert not popup.is_open and editor.text == "select count() from ev"


async def test_bare_fields_under_a_from_alias_come_from_the_schema(
    local_server: LocalServer,
) -> None:
    # PostHog answers a one-part word under `FROM events e` with the alias only; HogQL still
    # resolves `event` there, so the app adds the schema's fields (once the schema is in).
    app = assist_app(local_server)
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot)
        editor, popup, screen = editor_of(pilot), popup_of(pilot), screen_of(pilot)
        screen.pacer = RequestPacer(burst=100)  # this test is about answers, not pacing
        await type_at(pilot, "select * from ev")  # the first completion fetches the schema
        await wait_for(pilot, lambda: screen.schema is not None and popup.is_open)
        await pilot.press("escape")
        editor.load_text("select  from events e")
        await type_at(pilot, "eve", at=(0, 7))
        await wait_for(pilot, lambda: "event" in labels(pilot))
        assert popup.source == "server + schema"
        chosen = popup.chosen
        assert chosen is not None and chosen.label == "event" and chosen.kind == "Variable"
        await pilot.press("tab")
        assert editor.text == "select event from events e"
