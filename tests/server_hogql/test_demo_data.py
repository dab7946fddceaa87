"""The demo data: shape, realism, consistency between tables, determinism, reuse."""

from __future__ import annotations

from typing import Any

from tests.server_hogql.conftest import FIXTURE_EVENTS, FIXTURE_NOW, TEAM_ID, run
from workbench.server.demo_data import build_demo_data, demo_data_is_current


def one(conn: Any, sql: str) -> Any:
    return run(conn, sql)[0][0]


def test_exact_event_count_and_proportional_tables(chdb_conn: Any) -> None:
    assert one(chdb_conn, "SELECT count() FROM events") == FIXTURE_EVENTS
    assert one(chdb_conn, "SELECT count() FROM persons") == FIXTURE_EVENTS // 20
    sessions = one(chdb_conn, "SELECT count() FROM sessions")
    assert FIXTURE_EVENTS // 12 < sessions < FIXTURE_EVENTS // 4
    assert one(chdb_conn, "SELECT uniqExact(team_id) FROM events") == 1
    assert one(chdb_conn, "SELECT any(team_id) FROM events") == TEAM_ID


def test_events_span_five_weeks_ending_now(chdb_conn: Any) -> None:
    first, last = run(chdb_conn, "SELECT min(timestamp), max(timestamp) FROM events")[0]
    assert first.startswith("2026-09-2") or first.startswith("2026-09-3")
    assert last <= FIXTURE_NOW.strftime("%Y-%m-%d %H:%M:%S") and last >= "2026-11-01 0"


def test_event_mix_is_product_shaped(chdb_conn: Any) -> None:
    counts = dict(run(chdb_conn, "SELECT event, count() FROM events GROUP BY event"))
    assert counts["$pageview"] > counts["$autocapture"] > counts["purchase"] > 0
    for name in ("signed_up", "$feature_flag_called", "$pageleave", "$identify"):
        assert counts[name] > 0


def test_pageviews_carry_posthog_properties(chdb_conn: Any) -> None:
    keys = {
        row[0]
        for row in run(
            chdb_conn,
            ("SELECT arrayJoin(JSONExtractKeys(properties)) FROM events WHERE event = '$pageview'"),
        )
    }
    assert {
        "$current_url",
        "$pathname",
        "$referrer",
        "$browser",
        "$os",
        "$device_type",
        "$geoip_country_code",
        "$session_id",
        "utm_source",
        "utm_medium",
        "utm_campaign",
    } <= keys


def test_purchases_have_numeric_revenue(chdb_conn: Any) -> None:
    raw, revenue = run(
        chdb_conn,
        (
            "SELECT JSONExtractRaw(properties, 'revenue'), JSONExtractFloat(properties, 'revenue') "
            "FROM events WHERE event = 'purchase' LIMIT 1"
        ),
    )[0]
    assert not raw.startswith('"') and revenue > 0
    assert (
        one(
            chdb_conn,
            "SELECT countIf(NOT JSONHas(properties, 'revenue')) FROM events "
            "WHERE event = 'purchase'",
        )
        == 0
    )


def test_identified_and_anonymous_persons(chdb_conn: Any) -> None:
    identified, anonymous = run(
        chdb_conn, ("SELECT countIf(is_identified = 1), countIf(is_identified = 0) FROM persons")
    )[0]
    assert identified > 0 and anonymous > 0
    assert (
        one(chdb_conn, "SELECT countIf(JSONHas(properties, 'email') != is_identified) FROM persons")
        == 0
    )
    assert (
        one(chdb_conn, "SELECT countIf(JSONHas(properties, 'company')) FROM persons") == identified
    )


def test_tables_agree_with_each_other(chdb_conn: Any) -> None:
    # every event's distinct_id maps to the event's person
    assert (
        one(
            chdb_conn,
            (
                "SELECT countIf(d.person_id != e.person_id) FROM events e "
                "JOIN person_distinct_ids d ON e.distinct_id = d.distinct_id"
            ),
        )
        == 0
    )
    assert (
        one(
            chdb_conn,
            (
                "SELECT count() FROM events WHERE distinct_id NOT IN (SELECT distinct_id FROM person_distinct_ids)"
            ),
        )
        == 0
    )
    # person-on-events properties are the person's properties
    assert (
        one(
            chdb_conn,
            (
                "SELECT countIf(e.person_properties != p.properties) FROM events e "
                "JOIN persons p ON e.person_id = p.id"
            ),
        )
        == 0
    )
    # sessions are the events grouped by $session_id
    assert one(chdb_conn, "SELECT sum(`$pageview_count`) FROM sessions") == one(
        chdb_conn, "SELECT count() FROM events WHERE event = '$pageview'"
    )
    assert one(chdb_conn, "SELECT uniqExact(`$session_id`) FROM events") == one(
        chdb_conn, "SELECT count() FROM sessions"
    )


def test_sessions_have_realistic_lengths_and_bounces(chdb_conn: Any) -> None:
    median, bounce = run(
        chdb_conn, ("SELECT median(`$session_duration`), avg(`$is_bounce`) FROM sessions")
    )[0]
    assert 30 < median < 3600
    assert 0.05 < bounce < 0.5


def test_current_only_for_the_same_build(chdb_conn: Any) -> None:
    assert demo_data_is_current(chdb_conn, events=FIXTURE_EVENTS, seed=1, team_id=TEAM_ID)
    assert not demo_data_is_current(chdb_conn, events=FIXTURE_EVENTS + 1, seed=1, team_id=TEAM_ID)
    assert not demo_data_is_current(chdb_conn, events=FIXTURE_EVENTS, seed=2, team_id=TEAM_ID)
    assert not demo_data_is_current(chdb_conn, events=FIXTURE_EVENTS, seed=1, team_id=7)


def test_rebuild_is_deterministic_and_reports_progress(chdb_conn: Any) -> None:
    checksum = (
        "SELECT (SELECT sum(cityHash64(uuid, event, properties, timestamp, distinct_id, person_id)) "
        "FROM events), (SELECT sum(cityHash64(*)) FROM sessions), "
        "(SELECT sum(cityHash64(*)) FROM persons)"
    )
    before = run(chdb_conn, checksum)
    progress: list[float] = []
    build_demo_data(
        chdb_conn,
        events=FIXTURE_EVENTS,
        seed=1,
        now=FIXTURE_NOW,
        team_id=TEAM_ID,
        on_progress=progress.append,
    )
    assert run(chdb_conn, checksum) == before
    assert progress == sorted(progress) and progress[-1] == 1.0 and len(progress) > 5
