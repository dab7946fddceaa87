"""HogQLAutocomplete requests per typed identifier: one request per keystroke pause (before)
against one answer per word (``AnswerCache``, after).

Queries are typed one character at a time; after every key where the editor wants completion
(inside a word or right after a dot) the debounce is assumed to fire: the worst case, fast
typists send fewer. Answers come from the local server's completer in process (the same
answer PostHog's shape gives: unfiltered fields and functions, property names containing
the word), with ``KEYS`` event property names, or 300 of them so lists are cut
(``incomplete_list``) and asked again as the word grows. No network, no pacer: this counts
requests, it does not time them.

Usage: ``.venv/bin/python bench/completion_requests.py``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.app.assist.answers import AnswerCache
from workbench.app.assist.completion import completion_context, wants_completion
from workbench.client.models import Suggestion
from workbench.server.hogql import hogql_autocomplete

QUERIES = (
    "select event, count() as n from events where timestamp > now() - interval 7 day "
    "group by event order by n desc limit 10",
    "select properties.$current_url, properties.$browser, person.properties.email "
    "from events e where e.event = '$pageview'",
    "with s as (select session.$session_duration as d, distinct_id from events) "
    "select avg(d), uniq(distinct_id) from s",
    "select p.properties.email, count() from events e join persons p on e.person_id = p.id "
    "group by 1",
)
"""Realistic statements: fields, functions, aliases, lazy joins, properties, a CTE."""

KEYS = ["$browser", "$current_url", "$pathname", "$os", "utm_source", "revenue", "email", "plan"]

_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def answer(text: str, start: int, end: int, keys: list[str]) -> tuple[tuple[Suggestion, ...], bool]:
    body = hogql_autocomplete(text, start=start, end=end, team_id=1, property_keys=lambda k: keys)
    items = tuple(
        Suggestion(s["label"], s["insertText"], s["kind"], s["detail"])
        for s in body["suggestions"]  # type: ignore[attr-defined]
    )
    return items, bool(body["incomplete_list"])


def count(query: str, keys: list[str]) -> tuple[int, int]:
    """(requests before, requests after) for typing ``query`` key by key."""
    before_seen: set[tuple[str, int, int]] = set()
    cache = AnswerCache()
    before = 0
    for offset in range(1, len(query) + 1):
        text = query[:offset]
        if not wants_completion(text, offset):
            continue
        context = completion_context(text, offset)
        key = (text, context.start, offset)
        if key not in before_seen:  # the old cache: exact text and position only
            before_seen.add(key)
            before += 1
        if cache.lookup(text, context) is None:
            cache.asking(text, context)
            items, incomplete = answer(text, context.start, offset, keys)
            cache.answered(text, context, items, incomplete=incomplete)
    return before, cache.requests


def main() -> None:
    print(
        f"{'keys':>5} {'identifiers':>11} {'before':>7} {'after':>6} {'before/id':>9} {'after/id':>8}"
    )
    for keys in (KEYS, [f"key_{i}" for i in range(300)] + KEYS):
        identifiers = before = after = 0
        for query in QUERIES:
            identifiers += len(_IDENTIFIER.findall(query))
            b, a = count(query, keys)
            before += b
            after += a
        print(
            f"{len(keys):>5} {identifiers:>11} {before:>7} {after:>6} "
            f"{before / identifiers:>9.2f} {after / identifiers:>8.2f}"
        )


if __name__ == "__main__":
    main()
