"""The SQL statements that generate the demo data (see ``demo_data.py`` for the story).

Helpers build ClickHouse expressions: ``_u(tag, x)`` is a uniform number in [0, 1) from
``sipHash64(seed, tag, x)``; ``_pick`` chooses from a list by cumulative weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from workbench.server.demo_data_vocabulary import (
    CHANNELS,
    COMPANIES,
    COUNTRIES,
    ELEMENTS,
    FIRST_NAMES,
    FLAGS,
    GENRES,
    INDUSTRIES,
    LAST_NAMES,
    PATHS,
    PLANS,
    SEARCHES,
    TITLES,
)


@dataclass(frozen=True)
class Params:
    """Sizes and knobs of one build."""

    events: int
    persons: int
    sessions: int
    seed: int
    team_id: int
    days: int
    now: datetime


def _u(p: Params, tag: str, x: str) -> str:
    return f"(sipHash64({p.seed}, '{tag}', {x}) % 1000003) / 1000003.0"


def _sampler(p: Params, x: str) -> Callable[[str], str]:
    """``u(tag)``: uniform numbers for row expression ``x`` (one stream per tag)."""

    def u(tag: str) -> str:
        return _u(p, tag, x)

    return u


def _pick(values: list[str], weights: list[int], u: str) -> str:
    quoted = ", ".join("'" + v.replace("'", "\\'") + "'" for v in values)
    total = sum(weights)
    cumulative = ", ".join(str(w) for w in weights)
    return f"[{quoted}][arrayFirstIndex(c -> c > ({u}) * {total}, arrayCumSum([{cumulative}]))]"


def _now(p: Params) -> str:
    return f"toDateTime64('{p.now.strftime('%Y-%m-%d %H:%M:%S.%f')}', 6, 'UTC')"


def _uuid7(ms: str, h: str) -> str:
    """A UUIDv7-shaped string: the millisecond timestamp, then hash bits."""
    ms_hex = f"leftPad(hex(toUInt64({ms})), 12, '0')"
    h_hex = f"leftPad(hex(toUInt64({h})), 16, '0')"
    return (
        f"lower(concat(substring({ms_hex}, 1, 8), '-', substring({ms_hex}, 9, 4), '-7', "
        f"substring({h_hex}, 1, 3), '-a', substring({h_hex}, 4, 3), '-', "
        f"substring({h_hex}, 7, 10), '00'))"
    )


def persons_plan(p: Params) -> str:
    """One row per person: ids, identity, device and the properties JSON."""
    u = _sampler(p, "number")
    return f"""
    CREATE TABLE _demo_persons ENGINE = Memory AS
    SELECT *, toJSONString(mapFilter((k, v) -> v != '', map(
        'email', if(identified, email, ''), 'name', if(identified, name, ''),
        'plan', if(identified, plan, ''), 'company', if(identified, company, ''),
        '$initial_browser', browser, '$initial_os', os, '$initial_device_type', device,
        '$geoip_country_code', country))) AS properties
    FROM (
        SELECT number AS idx,
            reinterpretAsUUID(sipHash128({p.seed}, 'person', number)) AS id,
            {u("identified")} < 0.45 AS identified,
            lower(toString(reinterpretAsUUID(sipHash128({p.seed}, 'anon', number)))) AS anon_id,
            {_pick(FIRST_NAMES, [1] * len(FIRST_NAMES), u("first"))} AS first_name,
            {_pick(LAST_NAMES, [1] * len(LAST_NAMES), u("last"))} AS last_name,
            concat(first_name, ' ', last_name) AS name,
            {_pick(COMPANIES, [1] * len(COMPANIES), u("company"))} AS company,
            lower(replaceAll(company, ' ', '-')) AS company_key,
            lower(concat(first_name, '.', replaceAll(last_name, 'ü', 'ue'), toString(number % 97),
                         '@', company_key, '.com')) AS email,
            concat('user-', toString(number)) AS user_id,
            {_pick(*PLANS, u("plan"))} AS plan,
            {_pick(*COUNTRIES, u("country"))} AS country,
            {_pick(["Desktop", "Mobile", "Tablet"], [60, 35, 5], u("device"))} AS device,
            multiIf(device = 'Desktop',
                    {_pick(["Chrome", "Safari", "Firefox", "Microsoft Edge"], [62, 14, 12, 12], u("browser"))},
                    {_pick(["Mobile Safari", "Chrome", "Samsung Internet"], [50, 42, 8], u("browser"))}) AS browser,
            multiIf(device = 'Desktop',
                    {_pick(["Mac OS X", "Windows", "Linux"], [45, 45, 10], u("os"))},
                    if(browser = 'Mobile Safari', 'iOS', 'Android')) AS os,
            toString(100 + toUInt32({u("bver")} * 30)) AS browser_version,
            {_now(p)} - toIntervalSecond(toUInt64(({p.days} + 90 * {u("created")}) * 86400)) AS created_at
        FROM numbers({p.persons})
    )
    """


def sessions_plan(p: Params) -> str:
    """One row per session: person, start, length, pace and acquisition channel."""
    u = _sampler(p, "number")
    now = _now(p)
    return f"""
    CREATE TABLE _demo_sessions ENGINE = Memory AS
    SELECT * FROM (
        SELECT *, sum(len) OVER (ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - len
                  AS first_idx
        FROM (
            SELECT number AS s,
                toUInt64(floor({p.persons} * pow({u("person")}, 1.6))) AS p,
                if({u("bounce")} < 0.15, 1,
                   toUInt64(least(60, 1 + floor(-log(greatest({u("len")}, 0.000001)) * 8)))) AS len,
                toUInt64(15 + {u("gap")} * 100) AS gap,
                toUInt64(floor({p.days} * pow({u("day")}, 0.85))) AS day_back,
                toUInt64(floor(({u("h1")} + {u("h2")} + {u("h3")}) / 3 * 86400 + 3 * 3600) % 86400)
                    AS second_of_day,
                toStartOfDay({now}) - toIntervalDay(day_back) + toIntervalSecond(second_of_day)
                    AS start0,
                if(toDayOfWeek(start0) >= 6 AND {u("weekend")} < 0.45,
                   start0 - toIntervalDay(2), start0) AS start1,
                least(start1, {now} - toIntervalSecond(len * gap + 120)) AS start,
                {_pick(*CHANNELS, u("channel"))} AS channel,
                {_uuid7("toUnixTimestamp64Milli(start)", f"sipHash64({p.seed}, 'sid', number)")}
                    AS session_id,
                {_uuid7("toUnixTimestamp64Milli(start)", f"sipHash64({p.seed}, 'wid', number)")}
                    AS window_id,
                {u("distinct")} AS distinct_u
            FROM numbers({p.sessions})
        )
    ) WHERE first_idx < {p.events}
    """


def events_plan(p: Params) -> str:
    """One row per event with its plain attributes and the properties JSON."""
    u = _sampler(p, "i")
    paths = _pick(*PATHS, u("path"))
    blog = _pick(PATHS[0][3:7], [1, 1, 1, 1], u("path"))
    return f"""
    CREATE TABLE _demo_events ENGINE = MergeTree ORDER BY tuple() AS
    SELECT *,
        concat('https://hogflix.com', pathname,
               if(k = 0 AND utm_source != '', concat('?utm_source=', utm_source), '')) AS url,
        reinterpretAsUUID(sipHash128({p.seed}, 'event', i)) AS uuid,
        if(event = 'purchase', round(multiIf(plan = 'enterprise', 499, plan = 'pro', 49,
                                            9.99) * (1 + floor({u("qty")} * 3)), 2), 0) AS revenue
    FROM (
        SELECT E.*, P.id AS person_id, P.identified AS identified, P.properties AS person_properties,
            P.created_at AS person_created_at, P.browser AS browser, P.os AS os,
            P.device AS device, P.country AS country, P.browser_version AS browser_version,
            P.plan AS plan, if(P.identified, P.company_key, '') AS group_0,
            if(P.identified AND E.distinct_u < 0.8, P.user_id, P.anon_id) AS distinct_id,
            multiIf(E.k = 0, '$pageview', E.b < 430, '$pageview', E.b < 690, '$autocapture',
                    E.b < 790, '$pageleave', E.b < 850, '$feature_flag_called',
                    E.b < 900, 'video_played', E.b < 930, 'search_performed',
                    E.b < 950, 'added_to_watchlist',
                    E.b < 965 AND P.identified, 'purchase',
                    E.b < 972 AND P.identified, 'signed_up',
                    E.b < 985 AND P.identified, '$identify',
                    E.b < 985, '$pageview', '$rageclick') AS event,
            multiIf(event = 'purchase', '/account/billing', event = 'signed_up', '/signup',
                    E.k = 0 AND E.channel IN ('google', 'hackernews', 'twitter'), {blog},
                    E.k = 0 AND E.channel = 'google_ads', '/pricing', E.k = 0, '/', {paths})
                AS pathname
        FROM (
            SELECT S.*, k, S.first_idx + k AS i, toUInt64({u("event")} * 1000) AS b,
                S.start + toIntervalMicrosecond(toUInt64((k * S.gap + {u("jitter")} * S.gap * 0.9)
                                                         * 1000000)) AS timestamp,
                multiIf(S.channel = 'newsletter', 'newsletter', S.channel = 'google_ads', 'google', '')
                    AS utm_source,
                multiIf(S.channel IN ('direct', 'newsletter'), '$direct',
                        S.channel IN ('google', 'google_ads'), 'https://www.google.com/',
                        S.channel = 'twitter', 'https://t.co/',
                        S.channel = 'linkedin', 'https://www.linkedin.com/',
                        S.channel = 'github', 'https://github.com/',
                        'https://news.ycombinator.com/') AS referrer,
                if(referrer = '$direct', '$direct', domain(referrer)) AS referring_domain
            FROM _demo_sessions AS S ARRAY JOIN range(S.len) AS k
            WHERE S.first_idx + k < {p.events}
        ) AS E
        INNER JOIN _demo_persons AS P ON E.p = P.idx
    )
    """


def _json_object(pairs: list[tuple[str, str, str | None]]) -> str:
    """A JSON object from (key, value SQL, condition SQL or None) without escaping.

    Only for values known to need no JSON escaping (generated URLs, names, ids); it is
    several times faster than ``toJSONString(map(...))`` on a million rows.
    """
    parts = []
    for key, value, condition in pairs:
        item = f"concat('\"{key}\":\"', {value}, '\"')"
        parts.append(item if condition is None else f"if({condition}, {item}, '')")
    return f"concat('{{', arrayStringConcat(arrayFilter(x -> x != '', [{', '.join(parts)}]), ','), '}}')"


def insert_events(p: Params) -> str:
    """Events with PostHog-shaped properties (numbers stay JSON numbers) and, like PostHog's
    groups-on-events, the organisation's properties at ingestion (needs ``groups`` filled)."""
    u = _sampler(p, "i")
    props = _json_object(
        [
            ("$current_url", "url", None),
            ("$pathname", "pathname", None),
            ("$host", "'hogflix.com'", None),
            ("$referrer", "referrer", None),
            ("$referring_domain", "referring_domain", None),
            ("$browser", "browser", None),
            ("$browser_version", "browser_version", None),
            ("$os", "os", None),
            ("$device_type", "device", None),
            ("$geoip_country_code", "country", None),
            ("$lib", "'web'", None),
            ("$lib_version", "'1.181.0'", None),
            ("$session_id", "session_id", None),
            ("$window_id", "window_id", None),
            ("utm_source", "utm_source", "utm_source != ''"),
            ("utm_medium", "if(utm_source = 'newsletter', 'email', 'cpc')", "utm_source != ''"),
            (
                "utm_campaign",
                "if(utm_source = 'newsletter', 'weekly-digest', 'brand')",
                "utm_source != ''",
            ),
            (
                "$event_type",
                f"if({u('submit')} < 0.1, 'submit', 'click')",
                "event = '$autocapture'",
            ),
            (
                "$feature_flag",
                _pick(FLAGS, [4, 3, 2, 1], u("flag")),
                "event = '$feature_flag_called'",
            ),
            (
                "$feature_flag_response",
                f"if({u('variant')} < 0.5, 'control', 'test')",
                "event = '$feature_flag_called'",
            ),
            (
                "title",
                _pick(TITLES, [8, 7, 6, 5, 4, 3, 2, 1], u("title")),
                "event IN ('video_played', 'added_to_watchlist')",
            ),
            ("genre", _pick(GENRES, [5, 4, 3, 2, 1], u("genre")), "event = 'video_played'"),
            (
                "query",
                _pick(SEARCHES, [5, 4, 3, 2, 2, 1], u("query")),
                "event = 'search_performed'",
            ),
            ("plan", "plan", "event IN ('purchase', 'signed_up')"),
            ("currency", "'USD'", "event = 'purchase'"),
            ("signup_method", f"if({u('method')} < 0.6, 'google', 'email')", "event = 'signed_up'"),
        ]
    )
    return f"""
    INSERT INTO events
    SELECT uuid, event, if(revenue > 0,
            concat(substring(props, 1, length(props) - 1), ',"revenue":', toString(revenue), '}}'),
            props) AS properties,
        timestamp, {p.team_id}, distinct_id,
        if(event = '$autocapture', {_pick(ELEMENTS, [1] * len(ELEMENTS), u("element"))}, ''),
        timestamp + toIntervalMillisecond(toUInt64(200 + {u("ingest")} * 4000)),
        session_id, window_id, person_id, person_properties, person_created_at, group_0, '', '',
        '', '', g_properties, g_created_at, '', 0, '', 0, '', 0, '', 0
    FROM (SELECT *, {props} AS props FROM _demo_events) AS E
    LEFT JOIN (
        SELECT group_key AS g_key, group_properties AS g_properties, created_at AS g_created_at
        FROM groups WHERE team_id = {p.team_id} AND group_type_index = 0
    ) AS G ON E.group_0 = G.g_key
    """


def insert_sessions(p: Params) -> str:
    """Sessions aggregated from the events, as PostHog's sessions table reports them."""
    return f"""
    INSERT INTO sessions
    SELECT session_id, {p.team_id}, argMin(distinct_id, timestamp), min(timestamp), max(timestamp),
        dateDiff('second', min(timestamp), max(timestamp)) AS duration,
        argMinIf(url, timestamp, event = '$pageview'), argMinIf(pathname, timestamp, event = '$pageview'),
        argMaxIf(url, timestamp, event = '$pageview'), argMaxIf(pathname, timestamp, event = '$pageview'),
        countIf(event = '$pageview') AS pageviews, countIf(event = '$autocapture') AS autocaptures,
        pageviews <= 1 AND autocaptures = 0 AND duration < 10,
        multiIf(any(channel) = 'direct', 'Direct', any(channel) = 'google', 'Organic Search',
                any(channel) = 'google_ads', 'Paid Search', any(channel) = 'newsletter', 'Email',
                any(channel) IN ('twitter', 'linkedin'), 'Organic Social', 'Referral'),
        multiIf(any(channel) IN ('direct', 'newsletter'), '$direct',
                any(channel) IN ('google', 'google_ads'), 'www.google.com',
                any(channel) = 'twitter', 't.co', any(channel) = 'linkedin', 'www.linkedin.com',
                any(channel) = 'github', 'github.com', 'news.ycombinator.com'),
        any(utm_source),
        multiIf(any(utm_source) = 'newsletter', 'email', any(utm_source) = 'google', 'cpc', ''),
        multiIf(any(utm_source) = 'newsletter', 'weekly-digest', any(utm_source) = 'google', 'brand', ''),
        arraySort(groupUniqArrayIf(url, event = '$pageview'))
    FROM _demo_events GROUP BY session_id
    """


def insert_persons(p: Params) -> str:
    """Persons, once each (the stand-in needs no argMax de-duplication)."""
    return f"""
    INSERT INTO persons
    SELECT id, {p.team_id}, properties, created_at, toInt8(identified), 0, 0 FROM _demo_persons
    """


def insert_person_distinct_ids(p: Params) -> str:
    """Every person's anonymous id, plus the user id of identified persons."""
    return f"""
    INSERT INTO person_distinct_ids
    SELECT {p.team_id}, anon_id, id, 0, 0 FROM _demo_persons
    UNION ALL
    SELECT {p.team_id}, user_id, id, 0, 0 FROM _demo_persons WHERE identified
    """


def insert_groups(p: Params) -> str:
    """Organisations (group type 0), one per company the persons work at."""
    names = ", ".join(f"'{c}'" for c in COMPANIES)
    industries = ", ".join(f"'{i}'" for i in INDUSTRIES)
    return f"""
    INSERT INTO groups
    SELECT {p.team_id}, 0, lower(replaceAll(name, ' ', '-')),
        {_now(p)} - toIntervalDay(60 + number * 7),
        concat(substring(doc, 1, length(doc) - 1), ',"employees":', toString(employees), '}}')
    FROM (
        SELECT number, [{names}][number + 1] AS name,
            toJSONString(map('name', name,
                             'industry', [{industries}][1 + number % {len(INDUSTRIES)}])) AS doc,
            10 + sipHash64({p.seed}, 'employees', number) % 5000 AS employees
        FROM numbers({len(COMPANIES)})
    )
    """
