"""``HogQLAutocomplete``: suggestions for the word at ``[start, end)``, as PostHog answers.

As in PostHog's ``get_hogql_autocomplete``, the query is parsed with a marker at the cursor
(:mod:`~workbench.server.hogql.completion_ast`) and the node there decides:

- a field of the nearest SELECT → every field of its FROM table (kind ``Variable``, detail its
  type), then every function (``Function``, ``name()``): unfiltered, the editor filters; with
  a FROM alias, a one-part word gets only the aliases (``Folder``/``Table``);
- ``x.`` → what ``x`` leads to: an alias, a lazy join or virtual table (its fields), a JSON
  field (property names containing the typed term, at most 220, ``incomplete_list`` beyond);
- a table name after FROM/JOIN → every table (``Folder``/``Table``), then the CTE names.

No keywords are sent. When no variant parses, a small query rebuilt from the chain before the
cursor and the text's FROM/JOIN tables is completed instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from workbench.server.hogql.completion_ast import (
    MATCH_ANY,
    CursorNode,
    all_ctes,
    parse_variants,
    rebuilt_query,
)
from workbench.server.hogql.completion_tables import (
    CompletionTable,
    aliased_tables,
    detail,
    hidden_fields,
    named_tables,
    nested_table,
    table_of,
)
from workbench.server.hogql.database import PROPERTY_DEFINITIONS, TABLES, Column
from workbench.server.hogql.functions import FUNCTIONS

PropertyKind = Literal["event", "person", "group"]
PropertyKeys = Callable[[PropertyKind], Sequence[str]]
"""``property_keys(kind)``: keys most frequent first; an item may carry ``property_type``."""

PROPERTY_DEFINITION_LIMIT = 220
"""PostHog caps property suggestions here and then sets ``incomplete_list``."""
KEY_SCAN_LIMIT = 5000
"""Keys read per list: the substring filter runs on these, so it must see more than 220."""

_WRAPPED = ("@", "-", "!", "$", "+")
"""PostHog's ``HOGQL_CHARACTERS_TO_BE_WRAPPED``: such field names are inserted in backticks."""


def property_keys_sql(kind: PropertyKind, *, team_id: int) -> str:
    """ClickHouse SQL: ``(key, property type)`` rows, most frequent key first.

    The type is the one most values of the key have: ``Numeric`` for JSON numbers,
    ``Boolean``, ``DateTime`` for ISO-8601-looking strings, ``String``; '' for objects,
    arrays and nulls (no type, as a PostHog definition without one).
    """
    table, column = {
        "event": ("events", "properties"),
        "person": ("persons", "properties"),
        "group": ("groups", "group_properties"),
    }[kind]
    value_type = (
        "multiIf(match(kv.2, '^-?[0-9]'), 'Numeric', kv.2 IN ('true', 'false'), 'Boolean', "
        "match(kv.2, '^\"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}|\")'), 'DateTime', "
        "startsWith(kv.2, '\"'), 'String', '')"
    )
    return (
        "SELECT key, argMax(type, n) FROM (SELECT kv.1 AS key, "
        f"{value_type} AS type, count() AS n FROM "
        f"(SELECT arrayJoin(JSONExtractKeysAndValuesRaw({column})) AS kv FROM "
        f"(SELECT {column} FROM {table} WHERE team_id = {int(team_id)} LIMIT 200000)) "
        "GROUP BY key, type) "
        f"GROUP BY key ORDER BY sum(n) DESC, key LIMIT {KEY_SCAN_LIMIT}"
    )


def hogql_autocomplete(
    query: str,
    *,
    start: int,
    end: int,
    team_id: int,
    property_keys: PropertyKeys | None = None,
) -> dict[str, object]:
    """PostHog's ``HogQLAutocompleteResponse``: ``{suggestions, incomplete_list, timings}``."""
    del team_id  # suggestions come from the schema; data-derived keys from ``property_keys``
    start = max(0, min(start, len(query)))
    end = max(start, min(end, len(query)))
    out = _Suggestions()
    if not _complete(out, query, start, end, property_keys):
        rebuilt = rebuilt_query(query, start, end)
        if rebuilt is not None:
            _complete(out, *rebuilt, property_keys)
    return {"suggestions": out.items, "incomplete_list": out.incomplete, "timings": None}


def _complete(
    out: _Suggestions, query: str, start: int, end: int, keys: PropertyKeys | None
) -> bool:
    """Try PostHog's parse variants until one yields suggestions; False if none parsed."""
    parsed = False
    for variant in parse_variants(query, start, end):
        parsed = True
        out.try_next = False
        _suggest(out, variant, keys)
        if out.items and not out.try_next:
            break
    return parsed


class _Suggestions:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.incomplete = False
        self.try_next = False
        """PostHog's ``TRY_NEXT_VARIANT``: keep what was found and parse the next variant."""

    def add(self, label: str, kind: str, detail: str | None, insert: str | None = None) -> None:
        self.items.append(
            {
                "insertText": label if insert is None else insert,
                "label": label,
                "kind": kind,
                "detail": detail,
                "documentation": None,
            }
        )

    def functions(self, prefix: str = "") -> None:
        lowered = prefix.lower()
        for name in sorted(FUNCTIONS):
            if not name.startswith("_") and name.lower().startswith(lowered):
                self.add(name, "Function", None, f"{name}()")


def _suggest(out: _Suggestions, at: CursorNode, keys: PropertyKeys | None) -> None:
    node, parent, select = at.node, at.parent, at.select
    if node is None or node.get("node") != "Field":
        return
    chain = [str(part) for part in node.get("chain") or []]
    ctes = all_ctes(at.root)
    parent_kind = parent.get("node") if parent is not None else None
    if parent_kind == "JoinExpr":
        if len(chain) == 1:
            for name in (*TABLES, *ctes):
                out.add(name, "Folder", "Table")
        return
    if select is None or not isinstance(select.get("select_from"), dict) or not chain:
        return
    if parent_kind == "Placeholder":
        return
    _select_fields(out, chain, select, ctes, at.match_term, keys)


def _select_fields(
    out: _Suggestions,
    chain: list[str],
    select: dict[str, Any],
    ctes: dict[str, dict[str, Any]],
    term: str,
    keys: PropertyKeys | None,
) -> None:
    """PostHog's ``_suggest_select_fields``: walk the chain from the FROM table."""
    first = select["select_from"]
    table = table_of(first, ctes)
    if table is None:  # no known FROM table: functions for now, then ` FROM events`
        if len(chain) == 1:
            out.functions("" if chain[0] == MATCH_ANY else chain[0])
        out.try_next = True
        return
    aliases = aliased_tables(select, ctes)
    rest = chain
    if first.get("alias") is not None:
        if len(chain) == 1:
            for alias in aliases:
                out.add(alias, "Folder", "Table")
            return
        table_or_none = aliases.get(chain[0]) or named_tables(select, ctes).get(chain[0])
        if table_or_none is None:
            return  # not an alias of this query
        table, rest = table_or_none, chain[1:]
    elif len(chain) > 1 and chain[0] not in table.fields:
        # ``events.event``: the unaliased table's own name qualifies its fields.
        named = named_tables(select, ctes).get(chain[0])
        if named is not None:
            table, rest = named, chain[1:]
    for index, part in enumerate(rest):
        spec = table.fields.get(part)
        if index < len(rest) - 2:  # a step on the way, not the word being typed
            nested = nested_table(table.owner(part), spec) if spec is not None else None
            if nested is None:
                return
            table = nested
            continue
        if spec is None:
            _add_fields(out, table, top_level=True)
            out.functions()
        elif isinstance(spec, Column) and spec.json:
            _add_property_keys(out, table.owner(part), spec, term, keys)
        else:
            nested = nested_table(table.owner(part), spec)
            if nested is not None:
                _add_fields(out, nested, top_level=False)
        return


def _add_fields(out: _Suggestions, table: CompletionTable, *, top_level: bool) -> None:
    """Fields with their types; at the top level hidden ones are skipped and names with
    special characters are inserted quoted (PostHog's nested listings do neither)."""
    for name, spec in table.fields.items():
        if top_level and name in hidden_fields(table.name):
            continue
        wrapped = top_level and any(char in name for char in _WRAPPED)
        out.add(name, "Variable", detail(spec), f"`{name}`" if wrapped else None)


def _property_kind(owner: str, spec: Column) -> PropertyKind | None:
    """PostHog's ``_property_definition_type``: which definitions a JSON field's keys are."""
    if spec.property_owner == "event":  # the schema says whose properties a column holds
        return "event"
    if spec.property_owner in ("person", "group"):
        return "person" if spec.property_owner == "person" else "group"
    if owner == "persons":
        return "person"
    if owner == "groups":
        return "group"
    if owner == "events":
        return "person" if spec.column == "person_properties" else "event"
    return None


def _add_property_keys(
    out: _Suggestions,
    owner: str,
    spec: Column,
    term: str,
    keys: PropertyKeys | None,
) -> None:
    kind = _property_kind(owner, spec)
    if kind is None or keys is None:
        return
    # PostHog filters with ``name__contains``: a case-sensitive substring.
    matching = [key for key in keys(kind) if term in key]
    for key in matching[:PROPERTY_DEFINITION_LIMIT]:
        out.add(str(key), "Variable", _property_type(key, kind, spec))
    out.incomplete = len(matching) > PROPERTY_DEFINITION_LIMIT


def _property_type(key: str, kind: PropertyKind, spec: Column) -> str | None:
    """The key's type: its property definition (``Numeric`` keys of the field, the schema's
    ``PROPERTY_DEFINITIONS`` when it has them), else the type read from the data, else
    ``String``."""
    if key in spec.numeric_properties:
        return "Numeric"
    defined = PROPERTY_DEFINITIONS.get(kind, {}).get(str(key))
    if defined is not None:
        return defined
    found = getattr(key, "property_type", "String")
    return found if isinstance(found, str) or found is None else "String"
