"""The fake PostHog's HogQLAutocomplete: PostHog's answer shapes on the fake's tiny schema.

As PostHog: after FROM/JOIN every table (``Folder``/``Table``); after ``properties.`` the
event property names *containing* the typed term (at most 220, ``incomplete_list`` past
that, detail the property type); elsewhere every field of ``events`` (``Variable``, PostHog's
type names) then every function (``Function``, ``name()``), unfiltered by the word, and
never a keyword.
"""

from __future__ import annotations

import re
from typing import Any

PROPERTY_DEFINITION_LIMIT = 220

FUNCTIONS = ("avg", "count", "countIf", "toStartOfDay")
"""The fake's exposed function names (PostHog's list is ~800 long)."""

EVENT_FIELDS = (("event", "String"), ("pdi", "Table"), ("person_id", "String"))
"""``events`` as PostHog lists it: the traverser ``person_id`` resolved to its target."""

_TABLE_KEYWORD_BEFORE = re.compile(r"\b(?:from|join)\s+\Z", re.IGNORECASE)


def item(label: str, kind: str, detail: str | None, insert: str | None = None) -> dict[str, Any]:
    return {
        "label": label,
        "insertText": label if insert is None else insert,
        "kind": kind,
        "detail": detail,
        "documentation": None,
    }


def fake_autocomplete(
    query: str, start: int, end: int, properties: list[tuple[str, str]]
) -> dict[str, Any]:
    """A ``HogQLAutocompleteResponse`` for the word ``query[start:end]``."""
    before, term = query[:start], query[start:end]
    incomplete = False
    if _TABLE_KEYWORD_BEFORE.search(before):
        suggestions = [item(name, "Folder", "Table") for name in ("events",)]
    elif before.endswith("properties."):
        matching = [(name, kind) for name, kind in properties if term in name]
        suggestions = [
            item(name, "Variable", kind) for name, kind in matching[:PROPERTY_DEFINITION_LIMIT]
        ]
        incomplete = len(matching) > PROPERTY_DEFINITION_LIMIT
    else:
        suggestions = [item(name, "Variable", detail) for name, detail in EVENT_FIELDS]
        suggestions += [item(name, "Function", None, f"{name}()") for name in FUNCTIONS]
    return {"suggestions": suggestions, "incomplete_list": incomplete, "timings": []}
