"""Filtering and ranking completion items by the typed word, and naming their kinds (headless).

PostHog answers HogQLAutocomplete with every field and every function, unfiltered (its
Monaco editor filters in the browser), and never with keywords; so the app filters, ranks,
caps and adds keywords itself. Items whose label starts with the word (any case) come
first, then those that merely contain it; within each, fields and tables before functions
before keywords, in the server's order otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.client.models import Suggestion

MAX_SHOWN = 100
"""Items the popup is given at most (it shows ten rows and scrolls)."""

_KIND_RANK = {"Function": 1, "Keyword": 2}
"""Fields, properties and tables (rank 0) before functions before keywords."""

_FRIENDLY = {
    "Variable": "field",
    "Field": "field",
    "Property": "property",
    "Folder": "table",
    "Function": "function",
    "Keyword": "keyword",
    "Constant": "variable",
}
"""Monaco's kind names as the popup shows them."""


def friendly_kind(kind: str, *, property_context: bool = False) -> str:
    """``field``, ``property`` (a ``Variable`` after ``properties.``), ``table``, ``function``…"""
    if property_context and kind in ("Variable", "Field"):
        return "property"
    return _FRIENDLY.get(kind, kind.lower())


def is_property_context(qualifier: str) -> bool:
    """True after a JSON field's dot (``properties.``, ``person.properties.``…)."""
    return qualifier.rsplit(".", 1)[-1].lower().endswith("properties")


def rank(items: Iterable[Suggestion], word: str, *, limit: int = MAX_SHOWN) -> list[Suggestion]:
    """Items matching ``word`` (case-insensitive), best first, at most ``limit``.

    Duplicates (same label and kind) are dropped: PostHog may send a function twice.
    """
    lowered = word.lower()
    starts: list[Suggestion] = []
    contains: list[Suggestion] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        if (item.label, item.kind) in seen:
            continue
        seen.add((item.label, item.kind))
        label = item.label.lower()
        if label.startswith(lowered):
            starts.append(item)
        elif lowered in label:
            contains.append(item)

    def by_kind(item: Suggestion) -> int:
        return _KIND_RANK.get(item.kind, 0)

    return (sorted(starts, key=by_kind) + sorted(contains, key=by_kind))[:limit]


def with_local_words(
    items: Sequence[Suggestion], keywords: Iterable[str], functions: Iterable[str]
) -> list[Suggestion]:
    """``items`` plus keywords, and plus function names when the server sent none (with a
    FROM alias PostHog answers a one-part word with the aliases only)."""
    from workbench.client.models import Suggestion

    out = list(items)
    if not any(item.kind == "Function" for item in items):
        out += [Suggestion(label=f, insert_text=f"{f}()", kind="Function") for f in functions]
    out += [Suggestion(label=k, insert_text=k, kind="Keyword") for k in keywords]
    return out
