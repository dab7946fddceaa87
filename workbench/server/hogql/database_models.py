"""The HogQL schema's building blocks: field kinds, tables and property definitions.

``database.py`` assembles PostHog's tables from these; ``database_events.py`` builds the
``events`` table for each persons-on-events mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """A stored column. ``json``: a JSON string whose chain continues as property access."""

    name: str
    column: str
    type: str
    nullable: bool = False
    json: bool = False
    numeric_properties: frozenset[str] = frozenset()
    """Property keys typed Numeric (PostHog's property definitions): read as Float64."""
    schema_type: str | None = None
    """The DatabaseSchemaQuery type when it is not derived from ``type`` (``is_identified`` is
    PostHog's BooleanDatabaseField over an Int8 column: ``boolean``, values stay 0/1)."""
    property_owner: str | None = None
    """Whose properties a JSON column holds: ``event``, ``person`` or ``group`` (the key of
    ``PROPERTY_DEFINITIONS`` its keys are looked up in), else None."""


@dataclass(frozen=True)
class LazyJoin:
    """``alias.name.x`` joins ``table`` on ``from_field = to_field`` (LEFT JOIN) on demand.

    ``overrides`` maps target fields to columns of the source table that hold the same value
    (person-on-events), which are read directly instead of joining.
    """

    name: str
    table: str
    from_field: str
    to_field: str
    overrides: dict[str, str] = field(default_factory=dict)
    target_filter: tuple[str, int] | None = None
    """(ClickHouse column, value) the joined rows must match, e.g. the group type index."""
    join_type: str = "LEFT JOIN"
    """How PostHog's join function joins: ``INNER JOIN`` for ``pdi`` and ``persons``."""


@dataclass(frozen=True)
class VirtualTable:
    """A namespace of the same table's columns (``poe.properties`` = ``person_properties``)."""

    name: str
    fields: dict[str, str]


@dataclass(frozen=True)
class Traverser:
    """A field that is another chain (``person_id`` on persons-via-pdi schemas)."""

    name: str
    chain: tuple[str, ...]


@dataclass(frozen=True)
class ExpressionField:
    """A computed field: ClickHouse SQL over another column of the same table.

    ``template`` holds ``{column}``, replaced by the qualified source column.
    """

    name: str
    source: str
    template: str
    type: str
    schema_type: str | None = None
    """The DatabaseSchemaQuery type when not derived from ``type`` (``expression``)."""


FieldLike = Column | LazyJoin | VirtualTable | Traverser | ExpressionField


@dataclass(frozen=True)
class Table:
    """A HogQL table over one ClickHouse table, filtered by ``team_id`` on every access."""

    name: str
    clickhouse_name: str
    fields: dict[str, FieldLike]
    asterisk: tuple[str, ...]
    """Fields ``SELECT *`` expands to, in order."""
    hidden: frozenset[str] = frozenset()
    """Resolvable fields PostHog does not list in ``DatabaseSchemaQuery`` (storage columns)."""


def _typed(property_type: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, property_type)


PROPERTY_DEFINITIONS: dict[str, dict[str, str]] = {
    "event": {
        **_typed(
            "String",
            *("$current_url", "$pathname", "$host", "$referrer", "$referring_domain"),
            *("$browser", "$browser_version", "$os", "$device_type", "$geoip_country_code"),
            *("$lib", "$lib_version", "$session_id", "$window_id", "utm_source", "utm_medium"),
            *("utm_campaign", "$event_type", "$feature_flag", "$feature_flag_response"),
            *("title", "genre", "query", "plan", "currency", "signup_method"),
        ),
        **_typed("Numeric", "revenue", "price", "quantity", "$screen_width", "$screen_height"),
    },
    "person": _typed(
        "String",
        *("email", "name", "plan", "company", "$initial_browser", "$initial_os"),
        *("$initial_device_type", "$geoip_country_code"),
    ),
    "group": {**_typed("String", "name", "industry"), **_typed("Numeric", "employees")},
}
"""The demo project's typed property definitions (PostHog's ``PropertyDefinition.property_type``)
by owner: the keys the demo data writes, as ingestion would type them. Only these get the
property-type notice and conversion; a key without a definition is read as a plain string."""

NUMERIC_PROPERTIES: dict[str, frozenset[str]] = {
    "events": frozenset(k for k, t in PROPERTY_DEFINITIONS["event"].items() if t == "Numeric"),
    "groups": frozenset(k for k, t in PROPERTY_DEFINITIONS["group"].items() if t == "Numeric"),
}
"""The demo project's Numeric property definitions, by table (PostHog's property-type swapper)."""

_PROPERTY_OWNERS = {"properties": "event", "person_properties": "person"}


def columns(
    *specs: tuple[str, str] | tuple[str, str, str],
    numeric: frozenset[str] = frozenset(),
    owner: str | None = None,
) -> dict[str, FieldLike]:
    """Columns from (name, type[, ClickHouse column]); JSON ``*properties`` columns get their
    owner (``owner`` for ``properties``, else by column name) and numeric keys."""
    out: dict[str, FieldLike] = {}
    for spec in specs:
        name, type_ = spec[0], spec[1]
        column = spec[2] if len(spec) == 3 else name
        json = name.endswith("properties") and type_ == "String"
        out[name] = Column(
            name,
            column,
            type_,
            nullable=type_.startswith("Nullable"),
            json=json,
            numeric_properties=numeric if name == "properties" else frozenset(),
            property_owner=(owner if name == "properties" and owner else _PROPERTY_OWNERS.get(name))
            if json
            else None,
        )
    return out


TIMESTAMP = "DateTime64(6, 'UTC')"
"""PostHog's event timestamp type."""
