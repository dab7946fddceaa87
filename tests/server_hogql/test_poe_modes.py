"""``modifiers.personsOnEventsMode``: each mode against hand-written ClickHouse SQL.

The demo data stores on each event the person's current properties, so person-on-events
values equal joined values there. A small extra team (``TEAM``) is added for this module
where they differ: a person whose properties changed after their events, a second distinct
id, and an event whose distinct id has no person (PostHog's ``pdi``/``persons`` lazy joins
are INNER JOINs, so the joined modes drop it). It is deleted again afterwards, because the
corpus's hand-written queries read every team.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.server_hogql.conftest import TEAM_ID, run
from workbench.server.hogql import HogQLError, translate_hogql
from workbench.server.hogql.database import POE_MODES
from workbench.server.hogql_runner import PERSONS_ON_EVENTS_MODES

TEAM = 99
P1 = "00000000-0000-4000-8000-000000000001"
P2 = "00000000-0000-4000-8000-000000000002"
DISABLED, NO_OVERRIDE, DEFAULT, JOINED = POE_MODES
ON_EVENTS = (NO_OVERRIDE, DEFAULT)
VIA_JOINS = (DISABLED, JOINED)

_INSERTS = (
    f'INSERT INTO persons VALUES (\'{P1}\', {TEAM}, \'{{"plan":"pro","email":"new@x.io"}}\', '
    "'2026-01-01 00:00:00', 1, 0, 0)",
    f"INSERT INTO person_distinct_ids VALUES ({TEAM}, 'd1', '{P1}', 0, 0), "
    f"({TEAM}, 'd2', '{P1}', 0, 0)",
    "INSERT INTO events (uuid, event, properties, timestamp, team_id, distinct_id, person_id, "
    "person_properties) VALUES "
    + ", ".join(
        f"(generateUUIDv4(), 'e', '{{}}', '2026-10-0{day} 00:00:00', {TEAM}, '{distinct}', "
        f"'{person}', '{{\"plan\":\"{plan}\"}}')"
        for day, distinct, person, plan in (
            (1, "d1", P1, "free"),
            (2, "d1", P1, "free"),
            (3, "d1", P1, "free"),
            (4, "d2", P1, "pro"),
            (5, "d3", P2, "ghost"),  # no distinct-id row, no persons row
        )
    ),
)


@pytest.fixture(scope="module")
def conn(chdb_conn: Any) -> Iterator[Any]:
    for sql in _INSERTS:
        chdb_conn.query(sql)
    try:
        yield chdb_conn
    finally:
        for table in ("events", "persons", "person_distinct_ids"):
            chdb_conn.query(
                f"ALTER TABLE {table} DELETE WHERE team_id = {TEAM} SETTINGS mutations_sync = 2"
            )


def hogql(conn: Any, query: str, mode: str, team: int = TEAM) -> list[list[Any]]:
    translated = translate_hogql(query, team_id=team, modifiers={"personsOnEventsMode": mode})
    return run(conn, translated.clickhouse)


PLAN = "select person.properties.plan as plan, count() as n from events group by plan order by plan"
_JSON_PLAN = "nullIf(JSONExtractString({}, 'plan'), '')"
_VIA_PDI = (
    "FROM events e INNER JOIN (SELECT * FROM person_distinct_ids WHERE team_id = {team}) d "
    "ON e.distinct_id = d.distinct_id INNER JOIN (SELECT * FROM persons WHERE team_id = "
    "{team}) p ON d.person_id = p.id WHERE e.team_id = {team}"
)
_VIA_PERSON_ID = (
    "FROM events e INNER JOIN (SELECT * FROM persons WHERE team_id = {team}) p "
    "ON e.person_id = p.id WHERE e.team_id = {team}"
)
EXPECTED_PLAN = {
    NO_OVERRIDE: f"SELECT {_JSON_PLAN.format('person_properties')} AS plan, count() FROM events "
    "WHERE team_id = {team} GROUP BY plan ORDER BY plan",
    DEFAULT: f"SELECT {_JSON_PLAN.format('person_properties')} AS plan, count() FROM events "
    "WHERE team_id = {team} GROUP BY plan ORDER BY plan",
    DISABLED: f"SELECT {_JSON_PLAN.format('p.properties')} AS plan, count() {_VIA_PDI} "
    "GROUP BY plan ORDER BY plan",
    JOINED: f"SELECT {_JSON_PLAN.format('p.properties')} AS plan, count() {_VIA_PERSON_ID} "
    "GROUP BY plan ORDER BY plan",
}


def test_the_runners_mode_list_is_the_translators() -> None:
    assert PERSONS_ON_EVENTS_MODES == POE_MODES
    assert DEFAULT == "person_id_override_properties_on_events"


@pytest.mark.parametrize("mode", POE_MODES)
def test_person_properties_per_mode_match_hand_written_sql(conn: Any, mode: str) -> None:
    assert hogql(conn, PLAN, mode) == run(conn, EXPECTED_PLAN[mode].format(team=TEAM))


def test_event_time_values_differ_from_current_values(conn: Any) -> None:
    """The point of the modes: snapshots on events vs the person's current properties."""
    assert hogql(conn, PLAN, DEFAULT) == [["free", 3], ["ghost", 1], ["pro", 1]]
    assert hogql(conn, PLAN, DISABLED) == [["pro", 4]]  # d3 has no person: dropped
    assert hogql(conn, PLAN, JOINED) == [["pro", 4]]


@pytest.mark.parametrize("mode", POE_MODES)
def test_person_id_per_mode(conn: Any, mode: str) -> None:
    query = "select person_id, count() from events group by person_id order by person_id"
    if mode == DISABLED:
        expected = f"SELECT d.person_id AS pid, count() {_VIA_PDI} GROUP BY pid ORDER BY pid"
    else:
        expected = (
            "SELECT person_id, count() FROM events WHERE team_id = {team} "
            "GROUP BY person_id ORDER BY person_id"
        )
    assert hogql(conn, query, mode) == run(conn, expected.format(team=TEAM))


@pytest.mark.parametrize("mode", POE_MODES)
def test_person_id_and_poe_fields(conn: Any, mode: str) -> None:
    query = "select person.id, poe.id, poe.properties.plan from events order by timestamp"
    rows = hogql(conn, query, mode)
    poe = [[P1, "free"]] * 3 + [[P1, "pro"]] + [[P2, "ghost"]]
    if mode in ON_EVENTS:
        assert rows == [[a, *b] for a, b in zip([P1, P1, P1, P1, P2], poe, strict=True)]
    else:  # person.id through the join; poe still reads the event's own columns
        assert rows == [[P1, *b] for b in poe[:4]]


@pytest.mark.parametrize("mode", POE_MODES)
def test_each_mode_on_the_demo_data(chdb_conn: Any, mode: str) -> None:
    query = (
        "select person.properties.plan as plan, uniqExact(person_id) as people, count() as n "
        "from events where event = 'purchase' group by plan order by plan"
    )
    if mode in ON_EVENTS:
        expected = (
            f"SELECT {_JSON_PLAN.format('person_properties')} AS plan, uniqExact(person_id), "
            "count() FROM events WHERE team_id = {team} AND event = 'purchase' "
            "GROUP BY plan ORDER BY plan"
        )
    else:
        join = _VIA_PDI if mode == DISABLED else _VIA_PERSON_ID
        pid = "d.person_id" if mode == DISABLED else "e.person_id"
        expected = (
            f"SELECT {_JSON_PLAN.format('p.properties')} AS plan, uniqExact({pid}), count() "
            f"{join} AND e.event = 'purchase' GROUP BY plan ORDER BY plan"
        )
    actual = hogql(chdb_conn, query, mode, team=TEAM_ID)
    assert actual and actual == run(chdb_conn, expected.format(team=TEAM_ID))


def test_pdi_person_chain_and_persons_pdi(conn: Any) -> None:
    rows = hogql(
        conn,
        "select pdi.distinct_id, pdi.person.properties.email from events order by timestamp",
        DEFAULT,
    )
    assert rows == [["d1", "new@x.io"]] * 3 + [["d2", "new@x.io"]]
    rows = hogql(conn, "select id, pdi.distinct_id from persons order by 2", DEFAULT)
    assert rows == [[P1, "d1"], [P1, "d2"]]


def test_person_fields_outside_poe_are_unknown_in_on_events_modes() -> None:
    for mode in ON_EVENTS:
        with pytest.raises(HogQLError, match="Unable to resolve field: is_identified"):
            translate_hogql(
                "select person.is_identified from events",
                team_id=1,
                modifiers={"personsOnEventsMode": mode},
            )
    for mode in VIA_JOINS:
        translate_hogql(
            "select person.is_identified from events",
            team_id=1,
            modifiers={"personsOnEventsMode": mode},
        )


def test_an_unknown_mode_is_an_error() -> None:
    with pytest.raises(HogQLError, match="Unknown personsOnEventsMode: v9"):
        translate_hogql("select 1", team_id=1, modifiers={"personsOnEventsMode": "v9"})
