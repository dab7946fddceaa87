"""The word at the cursor and local suggestions (headless).

Local completion is the fallback when the server cannot be asked (offline, budget low or
spent): tables after FROM/JOIN, fields of a table or alias before a dot (lazy joins lead
into the joined table), property keys already learnt from the server after
``properties.``, else fields of the tables in FROM plus functions and keywords. It uses the
server's kinds and detail names (``Variable``/``String``, ``Folder``/``Table``,
``Function``, ``Keyword``) and the same ranking as server answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.app.assist.ranking import rank
from workbench.hogql.functions import FUNCTIONS
from workbench.hogql.lexer import CONSTANTS, KEYWORDS, WORD_OPERATORS

if TYPE_CHECKING:
    from workbench.client import DatabaseSchema, SchemaTable, Suggestion

_WORD_CHARACTER = re.compile(r"[\w$]")
_WORD_BEFORE = re.compile(r"[\w$]*\Z")
_QUALIFIER_BEFORE = re.compile(r"([\w$]+(?:\.[\w$]+)*)\.\Z")
_TABLE_KEYWORD_BEFORE = re.compile(r"\b(?:from|join)\s+\Z", re.IGNORECASE)
_TABLE_REFERENCE = re.compile(
    r"\b(?:from|join)\s+([\w$]+)(?:\s+(?:as\s+)?([\w$]+))?", re.IGNORECASE
)
_NOT_ALIASES = frozenset(k.lower() for k in (*KEYWORDS, *WORD_OPERATORS))
"""Words that follow a table name without being its alias (``FROM events WHERE``)."""

LOCAL_KEYWORDS: tuple[str, ...] = (*KEYWORDS, *WORD_OPERATORS, *CONSTANTS)
"""Keywords offered by local completion."""


@dataclass(frozen=True)
class CompletionContext:
    """The word being typed: ``text[start:end]`` is ``prefix``; ``qualifier`` is what
    precedes its dot (``properties`` in ``properties.$br``, ``e`` in ``e.ev``), or ""."""

    start: int
    end: int
    prefix: str
    qualifier: str
    after_table_keyword: bool


def completion_context(text: str, offset: int) -> CompletionContext:
    """The context of the cursor at character ``offset``."""
    before = text[:offset]
    word = _WORD_BEFORE.search(before)
    start = word.start() if word else offset
    end = offset
    while end < len(text) and _WORD_CHARACTER.match(text[end]):
        end += 1
    qualifier = _QUALIFIER_BEFORE.search(before[:start])
    return CompletionContext(
        start=start,
        end=end,
        prefix=text[start:offset],
        qualifier=qualifier.group(1) if qualifier else "",
        after_table_keyword=bool(_TABLE_KEYWORD_BEFORE.search(before[:start])),
    )


def wants_completion(text: str, offset: int) -> bool:
    """True when typing here should open the popup: inside a word, or right after a dot."""
    if offset == 0:
        return False
    previous = text[offset - 1]
    return previous == "." or bool(_WORD_CHARACTER.match(previous))


def table_aliases(text: str, schema: DatabaseSchema) -> dict[str, str]:
    """Alias (and table name) → table name, for every ``FROM``/``JOIN`` of a known table."""
    aliases: dict[str, str] = {}
    for match in _TABLE_REFERENCE.finditer(text):
        table, alias = match.group(1), match.group(2)
        if table not in schema.tables:
            continue
        aliases[table] = table
        if alias and alias.lower() not in _NOT_ALIASES:
            aliases[alias] = table
    return aliases


def _resolve_table(path: list[str], aliases: dict[str, str], schema: DatabaseSchema) -> str | None:
    """The table a dotted path leads to (``e.person`` → persons), following lazy joins."""
    if not path:
        return None
    table = aliases.get(path[0])
    steps = path[1:]
    if table is None:
        # An unqualified lazy join of a table in FROM (``person.`` in ``FROM events``).
        for candidate in dict.fromkeys(aliases.values()):
            joined = _join_target(schema.tables[candidate], path[0])
            if joined is not None:
                table = joined
                break
        if table is None:
            return None
    for step in steps:
        joined = _join_target(schema.tables[table], step)
        if joined is None:
            return None
        table = joined
    return table


def _join_target(table: SchemaTable, field_name: str) -> str | None:
    for field in table.fields:
        if field.name == field_name and field.table:
            return field.table
    return None


_SCHEMA_TYPE_DETAIL = {
    "string": "String",
    "integer": "Integer",
    "float": "Float",
    "decimal": "Float",
    "datetime": "DateTime",
    "date": "Date",
    "boolean": "Boolean",
    "json": "Object",
    "lazy_table": "Table",
    "virtual_table": "Table",
    "view": "Table",
}
"""DatabaseSchemaQuery field types → the detail HogQLAutocomplete gives the same field."""


def _field_suggestions(table: SchemaTable) -> list[Suggestion]:
    from workbench.client.models import Suggestion

    return [
        Suggestion(
            label=f.name,
            insert_text=f.hogql_value,
            kind="Variable",
            detail=_SCHEMA_TYPE_DETAIL.get(f.type),
        )
        for f in table.fields
    ]


def local_suggestions(
    text: str,
    context: CompletionContext,
    schema: DatabaseSchema | None,
    property_keys: dict[str, tuple[str, ...]] | None = None,
) -> list[Suggestion]:
    """Suggestions from what is known locally, filtered and ranked by the typed prefix."""
    # The client package stays out of the first frame's imports (test_app_launch).
    from workbench.client.models import Suggestion

    keys = property_keys or {}
    if context.qualifier:
        last = context.qualifier.rsplit(".", 1)[-1]
        if last == "properties":
            known = keys.get(context.qualifier) or keys.get("properties") or ()
            found = [Suggestion(label=k, insert_text=k, kind="Variable") for k in known]
            return rank(found, context.prefix)
        if schema is None:
            return []
        aliases = table_aliases(text, schema)
        table = _resolve_table(context.qualifier.split("."), aliases, schema)
        if table is None:
            return []
        return rank(_field_suggestions(schema.tables[table]), context.prefix)
    tables = [
        Suggestion(label=name, insert_text=name, kind="Folder", detail="Table")
        for name in (schema.tables if schema is not None else {})
    ]
    if context.after_table_keyword:
        return rank(tables, context.prefix)
    items: list[Suggestion] = []
    if schema is not None:
        for table_name in dict.fromkeys(table_aliases(text, schema).values()):
            items += _field_suggestions(schema.tables[table_name])
    items += [Suggestion(label=f, insert_text=f"{f}()", kind="Function") for f in FUNCTIONS]
    items += [Suggestion(label=k, insert_text=k, kind="Keyword") for k in LOCAL_KEYWORDS]
    items += tables
    return rank(items, context.prefix) if context.prefix else []
