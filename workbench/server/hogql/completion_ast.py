"""Finding the node at the cursor of a half-typed query, as PostHog's autocomplete does.

The text is parsed as typed first, then with a marker (:data:`MATCH_ANY`) spliced in at
the cursor, with ``}`` and with `` FROM events`` appended, in PostHog's order, until one
variant parses. The node at the cursor is the innermost one whose span holds
``[start, end)``; its parent and the nearest enclosing SELECT say what to suggest. When no
variant parses, :func:`rebuilt_query` gives a small query with the same chain and tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from workbench.server.hogql.parser import parse_expr, parse_select

MATCH_ANY = "$$_POSTHOG_ANY_$$"
"""PostHog's marker: parses as (the end of) an identifier where the user has typed nothing."""

PARSE_VARIANTS: tuple[tuple[str, int], ...] = (
    ("", 0),
    (MATCH_ANY, len(MATCH_ANY)),
    ("}", 0),
    (MATCH_ANY + "}", len(MATCH_ANY)),
    (" FROM events", 0),
    (f"{MATCH_ANY} FROM events", len(MATCH_ANY)),
)
"""``(text spliced in at the cursor, how far it moves the word's end)``, tried in order."""

Node = dict[str, Any]


@dataclass(frozen=True)
class CursorNode:
    """What one parse variant says about the cursor.

    ``text`` is the variant's text and ``start``/``end`` the word's span in it (characters);
    ``node`` is the innermost node holding that span, ``parent`` the node holding ``node``
    (None at the root), ``select`` the innermost SELECT holding ``node`` (else the root when
    it is a SELECT) and ``root`` the whole tree.
    """

    text: str
    start: int
    end: int
    root: Node
    node: Node | None
    parent: Node | None
    select: Node | None

    @property
    def match_term(self) -> str:
        """The typed word, without the marker (PostHog's ``match_term``)."""
        word = self.text[self.start : self.end]
        return "" if word == MATCH_ANY else word.replace(MATCH_ANY, "")


def parse_variants(query: str, start: int, end: int, *, expr: bool = False) -> Iterator[CursorNode]:
    """Every variant that parses, in PostHog's order (``expr``: the text is one expression)."""
    for extra, length in PARSE_VARIANTS:
        if expr and "FROM" in extra:
            continue  # an expression has no FROM to complete
        text = query[:end] + extra + query[end:]
        try:
            root = parse_expr(text) if expr else parse_select(text)
        except Exception:  # the C++ parser raises its own classes too
            continue
        yield find_node(root, text, start, end + length)


def find_node(root: Node, text: str, start: int, end: int) -> CursorNode:
    """The innermost node whose span holds ``[start, end]`` (later siblings win ties)."""
    found: list[Node | None] = [None, None, None]  # node, parent, select

    def visit(node: Node, parent: Node | None, selects: tuple[Node, ...]) -> None:
        span = _span(node)
        if span is not None and span[0] <= start and end <= span[1]:
            found[:] = [node, parent, selects[-1] if selects else None]
        inner = (*selects, node) if node.get("node") == "SelectQuery" else selects
        for child in _children(node):
            visit(child, node, inner)

    visit(root, None, ())
    node, parent, select = found
    if select is None and root.get("node") == "SelectQuery":
        select = root
    return CursorNode(text, start, end, root, node, parent, select)


def _span(node: Node) -> tuple[int, int] | None:
    begin, finish = node.get("start"), node.get("end")
    if isinstance(begin, dict) and isinstance(finish, dict):
        first, last = begin.get("offset"), finish.get("offset")
        if isinstance(first, int) and isinstance(last, int):
            return first, last
    return None


def _children(node: Node) -> Iterator[Node]:
    """Child nodes in field order; lists (select, ctes, args) are walked in order."""
    for key, value in node.items():
        if key in ("start", "end"):
            continue
        if isinstance(value, dict) and "node" in value:
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "node" in item:
                    yield item
        elif isinstance(value, dict):  # ctes as a name → CTE map in some parser versions
            for item in value.values():
                if isinstance(item, dict) and "node" in item:
                    yield item


def all_ctes(root: Node) -> dict[str, Node]:
    """Every subquery CTE of the tree by name (an inner WITH shadows an outer one)."""
    out: dict[str, Node] = {}

    def visit(node: Node) -> None:
        ctes = node.get("ctes")
        items = ctes.values() if isinstance(ctes, dict) else ctes if isinstance(ctes, list) else ()
        for cte in items:
            if isinstance(cte, dict) and cte.get("cte_type", "subquery") == "subquery":
                name, expr = cte.get("name"), cte.get("expr")
                if isinstance(name, str) and isinstance(expr, dict):
                    out[name] = expr
        for child in _children(node):
            visit(child)

    visit(root)
    return out


_TABLE_REFERENCE = re.compile(
    r"\b(?:from|join)\s+([A-Za-z_$][\w$]*)(\s+(?:as\s+)?[A-Za-z_]\w*)?", re.I
)
_CHAIN_BEFORE = re.compile(r"((?:[A-Za-z_$][\w$]*\.)*)\Z")
_TABLE_KEYWORD_BEFORE = re.compile(r"\b(?:from|join)\s+\Z", re.I)
_CLAUSE_WORDS = re.compile(
    r"^\s+(where|join|left|right|inner|full|cross|on|group|order|limit|having|union|array|"
    r"prewhere|settings|using|global|any|all|outer|final|sample|window|qualify|as)$",
    re.I,
)


def rebuilt_query(query: str, start: int, end: int) -> tuple[str, int, int] | None:
    """``SELECT <chain><word> FROM <the text's tables>`` when the text itself never parses.

    A syntax error elsewhere (an open parenthesis further on) must not cost the suggestions
    for the word being typed; the rebuilt query keeps what decides them.
    """
    word = query[start:end]
    chain_match = _CHAIN_BEFORE.search(query[:start])
    chain = chain_match.group(1) if chain_match else ""
    if _TABLE_KEYWORD_BEFORE.search(query[:start]) and not chain:
        return "SELECT 1 FROM " + word, 14, 14 + len(word)
    refs = []
    for match in _TABLE_REFERENCE.finditer(query):
        alias = match.group(2) or ""
        refs.append(match.group(1) + ("" if _CLAUSE_WORDS.match(alias) else alias))
    if not refs:
        return None
    head = "SELECT " + chain
    return f"{head}{word} FROM {', '.join(refs)}", len(head), len(head) + len(word)
