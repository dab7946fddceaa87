"""Projects, the database schema, HogQL metadata and autocomplete: parsing their answers.

These kinds are synchronous and never cached by PostHog (contract §6); the requests are
made by ``PostHogClient``. Parsers are lenient about extra keys and strict about types:
a wrong shape is a ``ProtocolError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.client.errors import ProtocolError
from workbench.client.models import (
    DatabaseSchema,
    HogQLMetadata,
    MetadataNotice,
    Project,
    SchemaField,
    SchemaTable,
    Suggestion,
)


def _object(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError(f"Unexpected response from PostHog: {what} is not a JSON object.")
    return data


def _list(data: object, what: str) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ProtocolError(f"Unexpected response from PostHog: {what} is not a list.")
    return data


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def parse_project(data: object) -> Project:
    """A project object (``GET /api/projects/@current/`` or one item of the list)."""
    obj = _object(data, "a project")
    project_id = _int(obj.get("id"))
    if project_id is None:
        raise ProtocolError("Unexpected response from PostHog: a project has no numeric 'id'.")
    organization = obj.get("organization")
    if isinstance(organization, dict):
        organization = organization.get("id")
    return Project(
        id=project_id,
        name=_str(obj.get("name")) or f"Project {project_id}",
        timezone=_str(obj.get("timezone")),
        organization=None if organization is None else str(organization),
    )


def parse_project_page(data: object) -> tuple[list[Project], str | None]:
    """One page of ``GET /api/projects/``: its projects and the ``next`` URL (or None)."""
    obj = _object(data, "the project list")
    projects = [parse_project(item) for item in _list(obj.get("results"), "'results'")]
    return projects, _str(obj.get("next"))


def _notices(data: object, what: str) -> tuple[MetadataNotice, ...]:
    notices = []
    for item in _list(data, what):
        if not isinstance(item, dict):
            raise ProtocolError(
                f"Unexpected response from PostHog: an entry of {what} is malformed."
            )
        notices.append(
            MetadataNotice(
                message=_str(item.get("message")) or "",
                start=_int(item.get("start")),
                end=_int(item.get("end")),
                fix=_str(item.get("fix")),
            )
        )
    return tuple(notices)


def parse_metadata(data: object) -> HogQLMetadata:
    """A ``HogQLMetadataResponse``."""
    obj = _object(data, "the metadata")
    errors = _notices(obj.get("errors"), "'errors'")
    is_valid = obj.get("isValid")
    return HogQLMetadata(
        is_valid=is_valid if isinstance(is_valid, bool) else not errors,
        errors=errors,
        warnings=_notices(obj.get("warnings"), "'warnings'"),
        notices=_notices(obj.get("notices"), "'notices'"),
        table_names=_strings(obj.get("table_names")),
    )


def parse_suggestions(data: object) -> list[Suggestion]:
    """The ``suggestions`` of a ``HogQLAutocompleteResponse``."""
    obj = _object(data, "the autocomplete answer")
    suggestions = []
    for item in _list(obj.get("suggestions"), "'suggestions'"):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise ProtocolError("Unexpected response from PostHog: a suggestion is malformed.")
        suggestions.append(
            Suggestion(
                label=item["label"],
                insert_text=_str(item.get("insertText")) or item["label"],
                kind=_str(item.get("kind")) or "Variable",
                detail=_str(item.get("detail")),
                documentation=_str(item.get("documentation")),
            )
        )
    return suggestions


def _field(name: str, data: object) -> SchemaField:
    obj = _object(data, f"field {name!r}")
    return SchemaField(
        name=_str(obj.get("name")) or name,
        hogql_value=_str(obj.get("hogql_value")) or name,
        type=_str(obj.get("type")) or "unknown",
        table=_str(obj.get("table")),
        fields=_strings(obj.get("fields")),
        chain=tuple(str(step) for step in _list(obj.get("chain"), "'chain'")),
    )


def parse_schema(data: object) -> DatabaseSchema:
    """A ``DatabaseSchemaQueryResponse``: tables by name, fields in PostHog's order."""
    tables_data = _object(_object(data, "the schema").get("tables"), "'tables'")
    tables = {}
    for name, table_data in tables_data.items():
        table = _object(table_data, f"table {name!r}")
        fields = table.get("fields")
        field_items = fields.items() if isinstance(fields, dict) else ()
        tables[name] = SchemaTable(
            name=_str(table.get("name")) or name,
            type=_str(table.get("type")) or "posthog",
            fields=tuple(_field(field_name, value) for field_name, value in field_items),
            row_count=_int(table.get("row_count")),
        )
    return DatabaseSchema(tables=tables)
