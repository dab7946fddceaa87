"""Deterministic demo data for the local server, generated in pure ClickHouse SQL.

A streaming product ("Hogflix"): persons (about 45% identified, with email, name, plan,
company), sessions with realistic lengths, channels and UTM tags, pageviews, autocapture,
feature-flag calls, searches, video plays, signups and purchases with revenue, spread over
the five weeks ending ``now`` with a daily rhythm and quieter weekends. Every random choice
is ``sipHash64(seed, tag, index)``, so the same (events, seed, now) gives the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.server import demo_data_sql as demo_sql
from workbench.server.schema import SCHEMA_VERSION, TABLE_DDL

DAYS = 35
"""The data spans this many days ending at ``now``."""
EVENTS_PER_PERSON = 20
"""Roughly one person per this many events (1M events → 50k persons)."""
MEAN_SESSION_EVENTS = 8
"""Average events per session; lengths are geometric-ish, 15% single-event bounces."""
STALE_AFTER = timedelta(days=7)
"""Data built longer ago than this is rebuilt, so "recent weeks" stay recent."""
_TEMP_TABLES = ("_demo_persons", "_demo_sessions", "_demo_events")


def build_demo_data(
    conn: Any,
    *,
    events: int,
    seed: int = 1,
    now: datetime | None = None,
    on_progress: Callable[[float], None] | None = None,
    team_id: int = 1,
) -> None:
    """(Re)create every table and fill it; ``conn`` is a ``chdb.connect(path)`` connection.

    ``workbench_meta`` is written last, so an interrupted build is never "current".
    """
    if events < 0:
        raise ValueError("events must be >= 0")
    now = now or datetime.now(UTC)
    if now.tzinfo is not None:  # a naive ``now`` is taken as UTC
        now = now.astimezone(UTC).replace(tzinfo=None)
    params = demo_sql.Params(
        events=events,
        persons=max(50, events // EVENTS_PER_PERSON),
        sessions=events // MEAN_SESSION_EVENTS * 5 // 4 + 20,
        seed=int(seed),
        team_id=int(team_id),
        days=DAYS,
        now=now,
    )
    steps = [
        *(f"DROP TABLE IF EXISTS {name}" for name in (*TABLE_DDL, *_TEMP_TABLES)),
        *TABLE_DDL.values(),
        demo_sql.persons_plan(params),
        demo_sql.sessions_plan(params),
        demo_sql.events_plan(params),
        demo_sql.insert_groups(params),  # before the events, which copy group properties
        demo_sql.insert_events(params),
        demo_sql.insert_sessions(params),
        demo_sql.insert_persons(params),
        demo_sql.insert_person_distinct_ids(params),
        *(f"DROP TABLE IF EXISTS {name}" for name in _TEMP_TABLES),
        _meta_insert(events=events, seed=seed, team_id=team_id),
    ]
    for index, statement in enumerate(steps, start=1):
        conn.query(statement)
        if on_progress is not None:
            on_progress(index / len(steps))


def demo_data_is_current(conn: Any, *, events: int, seed: int = 1, team_id: int = 1) -> bool:
    """True when the database holds a complete build of this schema, size, seed and team,
    made less than ``STALE_AFTER`` ago."""
    try:
        result = conn.query("SELECT key, value FROM workbench_meta", "TabSeparated")
    except Exception:  # no table yet, or an unreadable database: rebuild
        return False
    meta = dict(line.split("\t", 1) for line in str(result).splitlines() if "\t" in line)
    expected = _meta(events=events, seed=seed, team_id=team_id)
    if any(meta.get(key) != value for key, value in expected.items()):
        return False
    try:
        built = datetime.fromisoformat(meta["built_at"])
    except (KeyError, ValueError):
        return False
    return datetime.now(UTC) - built < STALE_AFTER


def _meta(*, events: int, seed: int, team_id: int) -> dict[str, str]:
    return {
        "schema_version": SCHEMA_VERSION,
        "events": str(events),
        "seed": str(seed),
        "team_id": str(team_id),
    }


def _meta_insert(*, events: int, seed: int, team_id: int) -> str:
    rows = {
        **_meta(events=events, seed=seed, team_id=team_id),
        "built_at": datetime.now(UTC).isoformat(),
    }
    values = ", ".join(f"('{key}', '{value}')" for key, value in rows.items())
    return f"INSERT INTO workbench_meta VALUES {values}"
