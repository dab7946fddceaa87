"""Golden ClickHouse for each construct issue 7 lists (pinned, so printer changes are seen)."""

from __future__ import annotations

import pytest

from workbench.server.hogql import translate_hogql

T = "WHERE equals(events.team_id, 1)"

GOLDEN: list[tuple[str, str]] = [
    (
        "select distinct event from events limit 5",
        f"SELECT DISTINCT events.event AS event FROM events {T} LIMIT 5",
    ),
    (
        "select event, count() from events group by rollup(event) limit 5",
        f"SELECT events.event AS event, count() FROM events {T} GROUP BY ROLLUP(events.event) LIMIT 5",
    ),
    (
        "select event, count() c from events group by event having c > 10 limit 5",
        f"SELECT events.event AS event, count() AS c FROM events {T} GROUP BY events.event "
        "HAVING greater(c, 10) LIMIT 5",
    ),
    (
        "select event from events limit 2 by event limit 5",
        f"SELECT events.event AS event FROM events {T} LIMIT 2 BY events.event LIMIT 5",
    ),
    (
        "select e from (select event as e from events) limit 5",
        f"SELECT e FROM (SELECT events.event AS e FROM events {T}) LIMIT 5",
    ),
    (
        "with x as (select 1 as a) select a from x limit 5",
        "WITH x AS (SELECT 1 AS a) SELECT x.a AS a FROM x LIMIT 5",
    ),
    ("with 5 as n select n + 1 limit 5", "SELECT plus(5, 1) LIMIT 5"),
    ("select 1 union all select 2", "SELECT 1 LIMIT 100 UNION ALL SELECT 2 LIMIT 100"),
    (
        "select count() from events e cross join persons p limit 5",
        "SELECT count() FROM events AS e CROSS JOIN (SELECT * FROM persons WHERE "
        "equals(persons.team_id, 1)) AS p WHERE equals(e.team_id, 1) LIMIT 5",
    ),
    (
        "select n from events array join [1, 2] as n limit 5",
        f"SELECT n FROM events ARRAY JOIN [1, 2] AS n {T} LIMIT 5",
    ),
    (
        "select sum(1) over (partition by event order by timestamp rows between 1 preceding and "
        "current row) from events limit 5",
        "SELECT sum(1) OVER (PARTITION BY events.event ORDER BY events.timestamp ASC ROWS BETWEEN "
        f"1 PRECEDING AND CURRENT ROW) FROM events {T} LIMIT 5",
    ),
    (
        "select rank() over w from events window w as (order by timestamp desc) limit 5",
        f"SELECT rank() OVER w FROM events {T} WINDOW w AS (ORDER BY events.timestamp DESC) LIMIT 5",
    ),
    (
        "select arrayMap(x -> x * 2, [1, 2]) limit 5",
        "SELECT arrayMap(x -> multiply(x, 2), [1, 2]) LIMIT 5",
    ),
    ("select (1, 'a').2 limit 5", "SELECT tupleElement(tuple(1, 'a'), 2) LIMIT 5"),
    (
        "select count() from events where event in (select event from events limit 1) limit 5",
        "SELECT count() FROM events WHERE and(equals(events.team_id, 1), in(events.event, "
        f"(SELECT events.event AS event FROM events {T} LIMIT 1))) LIMIT 5",
    ),
    (
        "select count() from events where event not in ('a', 'b') limit 5",
        "SELECT count() FROM events WHERE and(equals(events.team_id, 1), notIn(events.event, "
        "tuple('a', 'b'))) LIMIT 5",
    ),
    (
        "select count() from events where timestamp between '2026-01-01' and '2026-02-01' limit 5",
        "SELECT count() FROM events WHERE and(equals(events.team_id, 1), (events.timestamp BETWEEN "
        "'2026-01-01' AND '2026-02-01')) LIMIT 5",
    ),
    (
        "select case when event = 'a' then 1 when event = 'b' then 2 else 3 end from events limit 5",
        "SELECT multiIf(equals(events.event, 'a'), 1, equals(events.event, 'b'), 2, 3) "
        f"FROM events {T} LIMIT 5",
    ),
    (
        "select now() - interval 3 day limit 5",
        "SELECT minus(now64(6, 'UTC'), toIntervalDay(3)) LIMIT 5",
    ),
    (
        "select properties.$browser = 'Chrome' from events limit 5",
        "SELECT ifNull(equals(replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(events.properties, "
        f"'$browser'), ''), 'null'), '^\"|\"$', ''), 'Chrome'), 0) FROM events {T} LIMIT 5",
    ),
    (
        "select session.$session_duration from events limit 5",
        "SELECT events__session.`$session_duration` AS `$session_duration` FROM events LEFT JOIN "
        "(SELECT sessions.session_id AS session_id, sessions.`$session_duration` AS "
        "`$session_duration` FROM sessions WHERE equals(sessions.team_id, 1)) AS events__session "
        f"ON equals(events.`$session_id`, events__session.session_id) {T} LIMIT 5",
    ),
]


@pytest.mark.parametrize(("hogql", "clickhouse"), GOLDEN, ids=[g[0][:40] for g in GOLDEN])
def test_golden_clickhouse(hogql: str, clickhouse: str) -> None:
    assert translate_hogql(hogql, team_id=1).clickhouse == clickhouse
