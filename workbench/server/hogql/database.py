"""The HogQL database as queries see it: tables, fields, lazy joins, virtual tables.

Names and shapes follow PostHog's HogQL schema (events, persons, person_distinct_ids,
sessions, groups). The stand-in stores person-on-events columns on ``events``, so
``person.properties``/``person.id`` read those columns (PostHog's default PoE mode) and need
no join; other ``person.*`` fields, ``pdi.*`` and ``session.*`` become LEFT JOINs.
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


FieldLike = Column | LazyJoin | VirtualTable | Traverser | ExpressionField


@dataclass(frozen=True)
class Table:
    """A HogQL table over one ClickHouse table, filtered by ``team_id`` on every access."""

    name: str
    clickhouse_name: str
    fields: dict[str, FieldLike]
    asterisk: tuple[str, ...]
    """Fields ``SELECT *`` expands to, in order."""


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


def _columns(
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


_TS = "DateTime64(6, 'UTC')"
_PERSON_ON_EVENTS = {
    "id": "person_id",
    "properties": "person_properties",
    "created_at": "person_created_at",
}

GROUP_SLOTS = 5
"""PostHog's events carry ``$group_0`` … ``$group_4`` (one key per group type)."""

_ELEMENTS_CHAIN_FIELDS: dict[str, FieldLike] = {
    "elements_chain_href": ExpressionField(
        "elements_chain_href",
        "elements_chain",
        'extract({column}, \'(?::|")href="(.*?)"\')',
        "String",
    ),
    "elements_chain_texts": ExpressionField(
        "elements_chain_texts",
        "elements_chain",
        'arrayDistinct(extractAll({column}, \'(?::|")text="(.*?)"\'))',
        "Array(String)",
    ),
    "elements_chain_ids": ExpressionField(
        "elements_chain_ids",
        "elements_chain",
        'arrayDistinct(extractAll({column}, \'(?::|")attr_id="(.*?)"\'))',
        "Array(String)",
    ),
    "elements_chain_elements": ExpressionField(
        "elements_chain_elements",
        "elements_chain",
        "arrayDistinct(extractAll({column}, "
        "'(?:^|;)(a|button|form|input|select|textarea|label)(?:\\.|$|:)'))",
        "Array(String)",
    ),
}
"""PostHog's virtual fields parsed out of the autocapture ``elements_chain``."""

EVENTS = Table(
    "events",
    "events",
    {
        **_columns(
            ("uuid", "UUID"),
            ("event", "String"),
            ("properties", "String"),
            ("timestamp", _TS),
            ("distinct_id", "String"),
            ("elements_chain", "String"),
            ("created_at", _TS),
            ("$session_id", "String"),
            ("$window_id", "String"),
            ("person_id", "UUID"),
            *((f"$group_{index}", "String") for index in range(GROUP_SLOTS)),
            ("person_properties", "String"),
            ("person_created_at", "DateTime64(3, 'UTC')"),
            numeric=NUMERIC_PROPERTIES["events"],
        ),
        "poe": VirtualTable("poe", dict(_PERSON_ON_EVENTS)),
        "person": LazyJoin("person", "persons", "person_id", "id", dict(_PERSON_ON_EVENTS)),
        "pdi": LazyJoin("pdi", "person_distinct_ids", "distinct_id", "distinct_id"),
        "session": LazyJoin("session", "sessions", "$session_id", "session_id"),
        **{
            f"group_{index}": LazyJoin(
                f"group_{index}",
                "groups",
                f"$group_{index}",
                "key",
                target_filter=("group_type_index", index),
            )
            for index in range(GROUP_SLOTS)
        },
        **_ELEMENTS_CHAIN_FIELDS,
    },
    (
        "uuid",
        "event",
        "properties",
        "timestamp",
        "distinct_id",
        "elements_chain",
        "created_at",
        "$session_id",
        "$window_id",
        "person_id",
    ),
)

PERSONS = Table(
    "persons",
    "persons",
    _columns(
        ("id", "UUID"),
        ("created_at", "DateTime64(3, 'UTC')"),
        ("properties", "String"),
        ("is_identified", "Int8"),
        ("version", "Int64"),
        owner="person",
    ),
    ("id", "created_at", "properties", "is_identified"),
)

PERSON_DISTINCT_IDS = Table(
    "person_distinct_ids",
    "person_distinct_ids",
    {
        **_columns(("distinct_id", "String"), ("person_id", "UUID")),
        "person": LazyJoin("person", "persons", "person_id", "id"),
    },
    ("distinct_id", "person_id"),
)

SESSIONS = Table(
    "sessions",
    "sessions",
    {
        **_columns(
            ("session_id", "String"),
            ("distinct_id", "String"),
            ("$start_timestamp", _TS),
            ("$end_timestamp", _TS),
            ("$session_duration", "Int64"),
            ("$entry_current_url", "String"),
            ("$entry_pathname", "String"),
            ("$exit_current_url", "String"),
            ("$exit_pathname", "String"),
            ("$pageview_count", "Int64"),
            ("$autocapture_count", "Int64"),
            ("$is_bounce", "Bool"),
            ("$channel_type", "String"),
            ("$entry_referring_domain", "String"),
            ("$entry_utm_source", "String"),
            ("$entry_utm_medium", "String"),
            ("$entry_utm_campaign", "String"),
            ("$urls", "Array(String)"),
        ),
    },
    (
        "session_id",
        "distinct_id",
        "$start_timestamp",
        "$end_timestamp",
        "$session_duration",
        "$entry_current_url",
        "$exit_current_url",
        "$pageview_count",
        "$is_bounce",
    ),
)

GROUPS = Table(
    "groups",
    "groups",
    _columns(
        ("index", "Int8", "group_type_index"),
        ("key", "String", "group_key"),
        ("created_at", "DateTime64(3, 'UTC')"),
        ("properties", "String", "group_properties"),
        numeric=NUMERIC_PROPERTIES["groups"],
        owner="group",
    ),
    ("index", "key", "created_at", "properties"),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (EVENTS, PERSONS, PERSON_DISTINCT_IDS, SESSIONS, GROUPS)
}
"""Every table a HogQL query may read, by HogQL name."""
