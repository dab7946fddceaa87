"""The schema browser: tables, their fields with types, lazy joins, property keys.

Filter as you type; enter on a name asks the screen to insert it at the editor's cursor
(``InsertRequested``). Joins expand into the joined table's fields; ``properties`` expands
into the property keys, which the screen loads on demand (``PropertyKeysWanted``). Every
name is shown literally (server text: no markup, control characters escaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode

from workbench.app.literal import escape_control

if TYPE_CHECKING:
    from workbench.client import DatabaseSchema, SchemaField, SchemaTable

JOIN_TYPES = frozenset({"lazy_table", "virtual_table", "field_traverser"})
"""Field types that lead into another table (expandable)."""

_PLAIN_NAME = re.compile(r"[A-Za-z_$][\w$]*\Z")


def quoted_name(name: str) -> str:
    """``name`` as HogQL accepts it after a dot: bare when it can be, else in backticks."""
    if _PLAIN_NAME.match(name):
        return name
    return "`" + name.replace("`", "``") + "`"


@dataclass
class SchemaNode:
    """What a tree node stands for: ``insert`` is the text enter puts at the cursor."""

    insert: str
    table: str | None = None
    """For a join: the joined table; for ``properties``: the table they belong to."""
    kind: str = "field"
    loaded: bool = False


class InsertRequested(Message):
    """Insert ``text`` at the editor's cursor."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class PropertyKeysWanted(Message):
    """The user opened ``properties`` of ``table``; the screen should load its keys."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table


def _label(name: str, detail: str) -> Text:
    text = Text(escape_control(name))
    if detail:
        text.append(f"  {escape_control(detail)}", style="#8a8a8a")
    return text


class SchemaBrowser(Vertical):
    """A filter input over a tree of the project's tables."""

    DEFAULT_CSS = """
    SchemaBrowser {
        display: none;
        width: 40;
        border-right: solid $primary-darken-2;
    }
    SchemaBrowser Input { height: 3; }
    SchemaBrowser Tree { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.schema: DatabaseSchema | None = None
        self.property_keys: dict[str, tuple[str, ...]] = {}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter tables and fields", id="schema-filter")
        tree: Tree[SchemaNode] = Tree("tables", id="schema-tree")
        tree.show_root = False
        yield tree

    @property
    def schema_tree(self) -> Tree[SchemaNode]:
        return self.query_one("#schema-tree", Tree)

    @property
    def filter_text(self) -> str:
        return self.query_one("#schema-filter", Input).value.strip().lower()

    def set_schema(self, schema: DatabaseSchema | None) -> None:
        self.schema = schema
        self.rebuild()

    def set_property_keys(self, table: str, keys: tuple[str, ...]) -> None:
        """Fill the open ``properties`` nodes of ``table`` in place (no collapse)."""
        self.property_keys[table] = keys
        pending = [self.schema_tree.root]
        while pending:
            node = pending.pop()
            data = node.data
            if data is not None and data.kind == "properties" and data.table == table:
                self._fill_properties(node)
            pending.extend(node.children)

    def rebuild(self) -> None:
        """Refill the tree for the current filter (whole tables match by name)."""
        tree = self.schema_tree
        tree.clear()
        if self.schema is None:
            tree.root.add_leaf(Text("loading the schema…"))
            return
        wanted = self.filter_text
        for table in self.schema.tables.values():
            table_hit = not wanted or wanted in table.name.lower()
            fields = [f for f in table.fields if table_hit or self._field_hit(table, f, wanted)]
            if not table_hit and not fields:
                continue
            node = tree.root.add(
                _label(table.name, "table"), SchemaNode(table.name, table.name, "table")
            )
            for field in fields:
                self._add_field(node, table, field, prefix="")
            if wanted:
                node.expand()

    def _field_hit(self, table: SchemaTable, field: SchemaField, wanted: str) -> bool:
        if wanted in field.name.lower():
            return True
        if field.type == "json":
            return any(wanted in key.lower() for key in self.property_keys.get(table.name, ()))
        return False

    def _add_field(
        self, parent: TreeNode[SchemaNode], table: SchemaTable, field: SchemaField, prefix: str
    ) -> None:
        insert = prefix + field.hogql_value
        if field.table and field.type in JOIN_TYPES:
            data = SchemaNode(insert, field.table, "join")
            parent.add(_label(field.name, f"→ {field.table}"), data, allow_expand=True)
        elif field.type == "json" and field.name == "properties":
            data = SchemaNode(insert, table.name, "properties")
            node = parent.add(_label(field.name, "properties"), data, allow_expand=True)
            if table.name in self.property_keys:
                self._fill_properties(node)
                if self.filter_text:
                    node.expand()
        else:
            parent.add_leaf(_label(field.name, field.type), SchemaNode(insert))

    def _fill_properties(self, node: TreeNode[SchemaNode]) -> None:
        data = node.data
        assert data is not None and data.table is not None
        node.remove_children()
        wanted = self.filter_text
        for key in self.property_keys.get(data.table, ()):
            if wanted and wanted not in key.lower() and wanted not in data.table.lower():
                continue
            node.add_leaf(_label(key, "property"), SchemaNode(f"{data.insert}.{quoted_name(key)}"))
        data.loaded = True

    @on(Tree.NodeExpanded, "#schema-tree")
    def _expanded(self, event: Tree.NodeExpanded[SchemaNode]) -> None:
        node, data = event.node, event.node.data
        if data is None or data.loaded or self.schema is None:
            return
        if data.kind == "join" and data.table is not None:
            data.loaded = True
            joined = self.schema.tables.get(data.table)
            if joined is not None:
                for field in joined.fields:
                    self._add_field(node, joined, field, prefix=f"{data.insert}.")
        elif data.kind == "properties" and data.table is not None:
            if data.table in self.property_keys:
                self._fill_properties(node)
            else:
                node.add_leaf(Text("loading property keys…"))
                self.post_message(PropertyKeysWanted(data.table))

    @on(Tree.NodeSelected, "#schema-tree")
    def _selected(self, event: Tree.NodeSelected[SchemaNode]) -> None:
        if event.node.data is not None:
            self.post_message(InsertRequested(event.node.data.insert))

    @on(Input.Changed, "#schema-filter")
    def _filter_changed(self) -> None:
        self.rebuild()

    @on(Input.Submitted, "#schema-filter")
    def _filter_submitted(self) -> None:
        self.schema_tree.focus()
