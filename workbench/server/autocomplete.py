"""The ``HogQLAutocomplete`` query kind: request checks, guards and timings around the
translator's ``hogql_autocomplete``.

The editor calls this on every keystroke pause with half-typed SQL, so it answers 200 with a
``HogQLAutocompleteResponse`` whatever the text: inside a string literal or a comment there
is nothing to suggest (as PostHog, whose cursor node is then a constant), nor for the Hog
languages (``hog``, ``hogTemplate``, ...: PostHog's Hog completions are not reproduced), and
an unexpected failure of the completer yields an empty list rather than an error. Property keys come from
the data through a :class:`~workbench.server.property_keys.PropertyKeyCache`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from workbench.hogql.tokens import opaque_span_at
from workbench.server.errors import parse_error

logger = logging.getLogger(__name__)

Completer = Callable[..., dict[str, Any]]
"""``hogql_autocomplete(query, *, start, end, team_id, property_keys)`` (the translator's)."""
KeysFor = Callable[[str, int], Sequence[str]]
"""``keys(kind, team_id)``: property keys most frequent first (``PropertyKeyCache.keys``)."""

_NON_CODE_OPENERS = ("'", "-", "/", "#")
"""First characters of string literals and comments: no completion inside them. Backticks and
double quotes open quoted identifiers, where completion does apply (``properties.`$cur``)."""


SQL_LANGUAGES = frozenset({"hogQL", "hogQLExpr"})
"""Languages the completer understands; Hog programs and templates get no suggestions here."""


def empty_response(timings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A ``HogQLAutocompleteResponse`` without suggestions."""
    return {"suggestions": [], "incomplete_list": False, "timings": timings}


def positions(query: dict[str, Any]) -> tuple[str, int, int]:
    """``(text, start, end)`` from the request node; 400 for a missing or mistyped field.

    Offsets are clamped into the text and ``end`` is at least ``start``: editors send stale
    positions while the buffer changes under them.
    """
    text = query.get("query")
    if not isinstance(text, str):
        raise parse_error("Input should be a valid string [loc=('query', 'query')]")
    found: list[int] = []
    for name in ("startPosition", "endPosition"):
        value = query.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise parse_error(f"Input should be a valid integer [loc=('query', '{name}')]")
        found.append(value)
    start = max(0, min(found[0], len(text)))
    end = max(start, min(found[1], len(text)))
    return text, start, end


def opener_around(text: str, offset: int) -> tuple[int, str] | None:
    """``(position, first character)`` of the string, comment or quoted identifier that
    contains ``offset``, or None in plain code.

    An unterminated one runs to the end of the text, so the cursor there is inside it: the
    extra space makes it reach past the end.
    """
    span = opaque_span_at(text + " ", offset)
    return None if span is None else (span[0], text[span[0]])


def unquoted(text: str, start: int, end: int, quote_at: int) -> tuple[str, int, int]:
    """The text without the quote at ``quote_at`` (and its closing one right after the word,
    if typed), so the completer sees ``chain.word`` in a query that still parses."""
    if text[end : end + 1] == text[quote_at]:
        text = text[:end] + text[end + 1 :]
    return text[:quote_at] + text[quote_at + 1 :], start - 1, end - 1


class AutocompleteKind:
    """``handler(query_node, team_id)`` for the editor-kind registry."""

    def __init__(self, complete: Completer, keys: KeysFor) -> None:
        self._complete = complete
        self._keys = keys

    def __call__(self, query: dict[str, Any], team_id: int) -> dict[str, Any]:
        text, start, end = positions(query)
        started = time.perf_counter()
        key_seconds = 0.0

        def property_keys(kind: str) -> Sequence[str]:
            nonlocal key_seconds
            began = time.perf_counter()
            try:
                return self._keys(kind, team_id)
            finally:
                key_seconds += time.perf_counter() - began

        if query.get("language", "hogQL") not in SQL_LANGUAGES:
            return empty_response(_timings(started, key_seconds))
        opener = opener_around(text, start)
        if opener is not None and opener[1] in _NON_CODE_OPENERS:
            return empty_response(_timings(started, key_seconds))
        if opener is not None:  # a quoted identifier: ``x.`$cur`` or ``x."$cur``
            text, start, end = unquoted(text, start, end, opener[0])
        try:
            response = self._complete(
                text, start=start, end=end, team_id=team_id, property_keys=property_keys
            )
        except Exception:
            # Called on every keystroke pause: a completer bug must cost the suggestions only.
            logger.exception("autocomplete failed at %d..%d", start, end)
            return empty_response(_timings(started, key_seconds))
        if opener is not None:  # the user typed the quotes: insert the bare name
            for suggestion in response["suggestions"]:
                suggestion["insertText"] = suggestion["label"]
        return {**response, "timings": _timings(started, key_seconds)}


def _timings(started: float, key_seconds: float) -> list[dict[str, Any]]:
    """PostHog's ``timings`` shape: ``[{k, t}]`` in seconds, ``.`` being the whole request."""
    total = time.perf_counter() - started
    return [
        {"k": "./property_keys", "t": round(key_seconds, 6)},
        {"k": "./suggestions", "t": round(max(0.0, total - key_seconds), 6)},
        {"k": ".", "t": round(total, 6)},
    ]
