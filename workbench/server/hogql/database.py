"""The HogQL database as queries see it: tables, fields, lazy joins, virtual tables.

Names and shapes follow PostHog's HogQL schema (events, persons, person_distinct_ids,
sessions, groups). The stand-in stores person-on-events columns on ``events``; how
``person_id`` and ``person.*`` resolve depends on ``modifiers.personsOnEventsMode``
(``database_events.py``). ``TABLES`` is the default mode's database; ``tables_for_mode``
gives any mode's. Lazy joins read the joined table without PostHog's argMax-by-version
de-duplication: the demo data holds one version of each person and distinct id.
"""

from __future__ import annotations

from functools import cache

from workbench.server.hogql.database_events import (
    DEFAULT_POE_MODE,
    GROUP_SLOTS,
    POE_MODES,
    events_table,
)
from workbench.server.hogql.database_models import (
    NUMERIC_PROPERTIES,
    PROPERTY_DEFINITIONS,
    TIMESTAMP,
    Column,
    ExpressionField,
    FieldLike,
    LazyJoin,
    Table,
    Traverser,
    VirtualTable,
    columns,
)

__all__ = [
    "DEFAULT_POE_MODE",
    "GROUP_SLOTS",
    "JOIN_TABLES",
    "NUMERIC_PROPERTIES",
    "POE_MODES",
    "PROPERTY_DEFINITIONS",
    "TABLES",
    "Column",
    "ExpressionField",
    "FieldLike",
    "LazyJoin",
    "Table",
    "Traverser",
    "VirtualTable",
    "tables_for_mode",
]

PERSONS = Table(
    "persons",
    "persons",
    {
        **columns(
            ("id", "UUID"),
            ("created_at", "DateTime64(3, 'UTC')"),
            ("properties", "String"),
            ("version", "Int64"),
            owner="person",
        ),
        # PostHog's BooleanDatabaseField over the Int8 column: results stay Int8 0/1
        "is_identified": Column("is_identified", "is_identified", "Int8", schema_type="boolean"),
        "pdi": LazyJoin("pdi", "persons_pdi", "id", "person_id"),
    },
    ("id", "created_at", "properties", "is_identified"),
    hidden=frozenset({"version"}),  # a raw_persons field in PostHog
)

PERSON_DISTINCT_IDS = Table(
    "person_distinct_ids",
    "person_distinct_ids",
    {
        **columns(("distinct_id", "String"), ("person_id", "UUID")),
        "person": LazyJoin("person", "persons", "person_id", "id", join_type="INNER JOIN"),
    },
    ("distinct_id", "person_id"),
)

SESSIONS = Table(
    "sessions",
    "sessions",
    {
        **columns(
            ("session_id", "String"),
            ("distinct_id", "String"),
            ("$start_timestamp", TIMESTAMP),
            ("$end_timestamp", TIMESTAMP),
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
    columns(
        ("index", "Int8", "group_type_index"),
        ("key", "String", "group_key"),
        ("created_at", "DateTime64(3, 'UTC')"),
        ("properties", "String", "group_properties"),
        numeric=NUMERIC_PROPERTIES["groups"],
        owner="group",
    ),
    ("index", "key", "created_at", "properties"),
)


PERSONS_PDI = Table(
    "person_distinct_ids",
    "person_distinct_ids",
    columns(("distinct_id", "String"), ("person_id", "UUID")),
    ("distinct_id", "person_id"),
)
"""``persons.pdi``'s target: PostHog's PersonsPDITable (distinct ids only, no ``person``)."""

JOIN_TABLES: dict[str, Table] = {"persons_pdi": PERSONS_PDI}
"""Tables only lazy joins reach (``LazyJoin.table`` keys), not queryable by name."""


@cache
def tables_for_mode(mode: str = DEFAULT_POE_MODE) -> dict[str, Table]:
    """Every table a HogQL query may read, by HogQL name, in one persons-on-events mode."""
    return {t.name: t for t in (events_table(mode), PERSONS, PERSON_DISTINCT_IDS, SESSIONS, GROUPS)}


TABLES: dict[str, Table] = tables_for_mode(DEFAULT_POE_MODE)
"""Every table a HogQL query may read, by HogQL name (PostHog's default PoE mode)."""
