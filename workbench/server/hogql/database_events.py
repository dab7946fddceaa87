"""The ``events`` table in each persons-on-events mode, as PostHog's ``create_hogql_database``
sets it up (``posthog/hogql/database/database.py``, ``schema/events.py``).

| mode | ``person_id`` | ``person`` |
|---|---|---|
| ``disabled`` | traverser ``pdi.person_id`` | traverser ``pdi.person`` (current values) |
| ``person_id_no_override_properties_on_events`` | the event's column | traverser ``poe`` |
| ``person_id_override_properties_on_events`` (default) | expression over ``event_person_id`` | traverser ``poe`` |
| ``person_id_override_properties_joined`` | expression over ``event_person_id`` | lazy join to ``persons`` |

PostHog's override expression is ``if(not(empty(override.distinct_id)), override.person_id,
event_person_id)`` over ``person_distinct_id_overrides``. The demo project has no merged
persons, so that table would be empty and the expression is ``event_person_id`` itself; the
stand-in prints the column (same values, no join).
"""

from __future__ import annotations

from workbench.server.hogql.database_models import (
    NUMERIC_PROPERTIES,
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

POE_MODES = (
    "disabled",
    "person_id_no_override_properties_on_events",
    "person_id_override_properties_on_events",
    "person_id_override_properties_joined",
)
"""``modifiers.personsOnEventsMode`` values as PostHog's schema names them."""
DEFAULT_POE_MODE = "person_id_override_properties_on_events"
"""PostHog's default for teams (``create_default_modifiers_for_team``)."""

GROUP_SLOTS = 5
"""PostHog's events carry ``$group_0`` … ``$group_4`` (one key per group type)."""

_STORAGE = frozenset(
    {
        "person_properties",
        "person_created_at",
        *(f"group{i}_{part}" for i in range(GROUP_SLOTS) for part in ("properties", "created_at")),
    }
)
"""Person- and group-on-events storage columns, reached as ``person.properties``, ``poe.*`` and
``goe_N.*``, never listed."""


def _group_on_events_columns() -> dict[str, FieldLike]:
    """``groupN_properties``/``groupN_created_at``. PostHog's property-type swapper treats
    ``goe_N.properties`` keys as *event* properties (its finder only special-cases ``poe``),
    so their owner is ``event``."""
    out: dict[str, FieldLike] = {}
    for index in range(GROUP_SLOTS):
        name = f"group{index}_properties"
        out[name] = Column(name, name, "String", json=True, property_owner="event")
        name = f"group{index}_created_at"
        out[name] = Column(name, name, "DateTime64(3, 'UTC')")
    return out


def _group_on_events(index: int) -> VirtualTable:
    """``goe_N``: group N's key, creation time and properties as stored on the event."""
    return VirtualTable(
        f"goe_{index}",
        {
            "key": f"$group_{index}",
            "created_at": f"group{index}_created_at",
            "properties": f"group{index}_properties",
        },
    )


_ELEMENTS_CHAIN_FIELDS: dict[str, FieldLike] = {
    name: ExpressionField(name, "elements_chain", template, type_)
    for name, template, type_ in (
        ("elements_chain_href", 'extract({column}, \'(?::|")href="(.*?)"\')', "String"),
        (
            "elements_chain_texts",
            'arrayDistinct(extractAll({column}, \'(?::|")text="(.*?)"\'))',
            "Array(String)",
        ),
        (
            "elements_chain_ids",
            'arrayDistinct(extractAll({column}, \'(?::|")attr_id="(.*?)"\'))',
            "Array(String)",
        ),
        (
            "elements_chain_elements",
            "arrayDistinct(extractAll({column}, "
            "'(?:^|;)(a|button|form|input|select|textarea|label)(?:\\.|$|:)'))",
            "Array(String)",
        ),
    )
}
"""PostHog's virtual fields parsed out of the autocapture ``elements_chain``."""

_ASTERISK = (
    "uuid",
    "event",
    "properties",
    "timestamp",
    "distinct_id",
    "elements_chain",
    "created_at",
    "$session_id",
    "$window_id",
)
"""``SELECT *`` fields before ``person_id`` (a stored field in every mode but ``disabled``)."""


def events_table(mode: str) -> Table:
    """The ``events`` table for one persons-on-events ``mode`` (one of ``POE_MODES``)."""
    if mode not in POE_MODES:
        raise ValueError(f"unknown personsOnEventsMode: {mode}")
    overrides = mode in (
        "person_id_override_properties_on_events",
        "person_id_override_properties_joined",
    )
    person_id: FieldLike
    if mode == "disabled":
        person_id = Traverser("person_id", ("pdi", "person_id"))
    elif overrides:
        person_id = ExpressionField(
            "person_id", "event_person_id", "{column}", "UUID", schema_type="expression"
        )
    else:
        person_id = Column("person_id", "person_id", "UUID")
    person: FieldLike
    if mode == "disabled":
        person = Traverser("person", ("pdi", "person"))
    elif mode == "person_id_override_properties_joined":
        person = LazyJoin("person", "persons", "event_person_id", "id", join_type="INNER JOIN")
    else:
        person = Traverser("person", ("poe",))
    # poe.id is PostHog's person_id field in the two properties-on-events modes (the override
    # expression in the default one), else the stored column
    joined = mode in ("disabled", "person_id_override_properties_joined")
    poe_id = "event_person_id" if joined else "person_id"
    fields: dict[str, FieldLike] = {
        **columns(
            ("uuid", "UUID"),
            ("event", "String"),
            ("properties", "String"),
            ("timestamp", TIMESTAMP),
            ("distinct_id", "String"),
            ("elements_chain", "String"),
            ("created_at", TIMESTAMP),
            ("$session_id", "String"),
            ("$window_id", "String"),
            ("person_properties", "String"),
            ("person_created_at", "DateTime64(3, 'UTC')"),
            numeric=NUMERIC_PROPERTIES["events"],
            owner="event",
        ),
        **_group_on_events_columns(),
        "pdi": LazyJoin(
            "pdi", "person_distinct_ids", "distinct_id", "distinct_id", join_type="INNER JOIN"
        ),
        "poe": VirtualTable(
            "poe",
            {"id": poe_id, "created_at": "person_created_at", "properties": "person_properties"},
        ),
        **{f"goe_{index}": _group_on_events(index) for index in range(GROUP_SLOTS)},
        "person": person,
        "person_id": person_id,
    }
    for index in range(GROUP_SLOTS):
        fields[f"$group_{index}"] = Column(f"$group_{index}", f"$group_{index}", "String")
        fields[f"group_{index}"] = LazyJoin(
            f"group_{index}",
            "groups",
            f"$group_{index}",
            "key",
            target_filter=("group_type_index", index),
        )
    fields["session"] = LazyJoin("session", "sessions", "$session_id", "session_id")
    fields.update(_ELEMENTS_CHAIN_FIELDS)
    fields["event_person_id"] = Column("event_person_id", "person_id", "UUID")
    # event_person_id is a PostHog field only in the override modes; elsewhere it stays
    # resolvable (poe.id needs it) but unlisted
    hidden = _STORAGE if overrides else _STORAGE | {"event_person_id"}
    asterisk = _ASTERISK if mode == "disabled" else (*_ASTERISK, "person_id")
    return Table("events", "events", fields, asterisk, hidden=hidden)
