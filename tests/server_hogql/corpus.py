"""Analyst-style HogQL queries paired with hand-written ClickHouse over the same tables.

Each pair must return the same rows on the fixture data (see test_corpus.py). The hand-written
side reads the raw tables directly: ``JSONExtractString`` for properties (no empty values are
generated, so ``nullIf(…, '')`` equals PostHog's NULL for a missing key).
"""

from __future__ import annotations

S = "nullIf(JSONExtractString(properties, '{}'), '')"
"""A string property the hand-written way."""
PP = "nullIf(JSONExtractString(person_properties, '{}'), '')"
"""A person-on-events property the hand-written way."""
PERSON = "nullIf(JSONExtractString(persons.properties, '{}'), '')"


def s(key: str) -> str:
    return S.format(key)


def pp(key: str) -> str:
    return PP.format(key)


CORPUS: list[tuple[str, str, str]] = [
    # --- trends ---------------------------------------------------------------------
    (
        "daily_pageviews",
        "select toStartOfDay(timestamp) as day, count() from events where event = '$pageview' "
        "group by day order by day",
        "SELECT toStartOfDay(timestamp) AS day, count() FROM events WHERE event = '$pageview' "
        "GROUP BY day ORDER BY day",
    ),
    (
        "weekly_users",
        "select toStartOfWeek(timestamp) as week, uniq(distinct_id) from events group by week order by week",
        "SELECT toStartOfWeek(timestamp) AS week, uniq(distinct_id) FROM events GROUP BY week ORDER BY week",
    ),
    (
        "weekly_persons_exact",
        "select toStartOfWeek(timestamp, 1) as week, uniqExact(person_id) as persons from events "
        "group by week order by week",
        "SELECT toStartOfWeek(timestamp, 1) AS week, uniqExact(person_id) FROM events GROUP BY week ORDER BY week",
    ),
    (
        "hourly_last_day",
        "select toStartOfHour(timestamp) as h, count() from events "
        "where timestamp >= toDateTime('2026-10-31 12:00:00') group by h order by h",
        "SELECT toStartOfHour(timestamp) AS h, count() FROM events "
        "WHERE timestamp >= toDateTime64('2026-10-31 12:00:00', 6, 'UTC') GROUP BY h ORDER BY h",
    ),
    (
        "monthly_events",
        "select toStartOfMonth(timestamp) m, count() from events group by m order by m",
        "SELECT toStartOfMonth(timestamp) m, count() FROM events GROUP BY m ORDER BY m",
    ),
    (
        "weekday_profile",
        "select toDayOfWeek(timestamp) as dow, count() from events group by dow order by dow",
        "SELECT toDayOfWeek(timestamp) AS dow, count() FROM events GROUP BY dow ORDER BY dow",
    ),
    (
        "hour_of_day",
        "select toHour(timestamp) as hour, count() from events group by hour order by hour",
        "SELECT toHour(timestamp) AS hour, count() FROM events GROUP BY hour ORDER BY hour",
    ),
    (
        "date_range_between",
        "select count() from events where timestamp between '2026-10-10' and '2026-10-20'",
        "SELECT count() FROM events WHERE timestamp BETWEEN toDateTime64('2026-10-10', 6, 'UTC') "
        "AND toDateTime64('2026-10-20', 6, 'UTC')",
    ),
    (
        "interval_arithmetic",
        "select count() from events where timestamp > toDateTime('2026-11-01 12:00:00') - interval 7 day",
        "SELECT count() FROM events WHERE timestamp > toDateTime64('2026-10-25 12:00:00', 6, 'UTC')",
    ),
    (
        "date_trunc_week",
        "select dateTrunc('week', timestamp) w, count() from events group by w order by w",
        "SELECT dateTrunc('week', timestamp) w, count() FROM events GROUP BY w ORDER BY w",
    ),
    (
        "format_month",
        "select formatDateTime(timestamp, '%Y-%m') m, count() from events group by m order by m",
        "SELECT formatDateTime(timestamp, '%Y-%m') m, count() FROM events GROUP BY m ORDER BY m",
    ),
    # --- breakdowns ---------------------------------------------------------------------
    (
        "breakdown_browser",
        "select properties.$browser as browser, count() as c from events group by browser order by c desc, browser",
        f"SELECT {s('$browser')} AS browser, count() AS c FROM events GROUP BY browser ORDER BY c DESC, browser",
    ),
    (
        "breakdown_os_device",
        "select properties.$os, properties.$device_type, count() from events "
        "group by properties.$os, properties.$device_type order by count() desc, properties.$os",
        f"SELECT {s('$os')} o, {s('$device_type')} d, count() c FROM events GROUP BY o, d ORDER BY c DESC, o",
    ),
    (
        "breakdown_country_users",
        "select properties.$geoip_country_code as country, uniq(person_id) as users from events "
        "group by country order by users desc, country limit 5",
        f"SELECT {s('$geoip_country_code')} AS country, uniq(person_id) AS users FROM events "
        "GROUP BY country ORDER BY users DESC, country LIMIT 5",
    ),
    (
        "breakdown_backticks",
        "select properties.`$referring_domain` as d, count() from events group by d order by count() desc, d",
        f"SELECT {s('$referring_domain')} AS d, count() c FROM events GROUP BY d ORDER BY c DESC, d",
    ),
    (
        "breakdown_brackets",
        "select properties['utm_source'] as src, count() from events group by src order by src",
        f"SELECT {s('utm_source')} AS src, count() FROM events GROUP BY src ORDER BY src",
    ),
    (
        "breakdown_coalesce",
        "select coalesce(properties.utm_campaign, '(none)') as campaign, count() from events "
        "group by campaign order by campaign",
        f"SELECT coalesce({s('utm_campaign')}, '(none)') AS campaign, count() FROM events "
        "GROUP BY campaign ORDER BY campaign",
    ),
    (
        "breakdown_person_plan",
        "select person.properties.plan as plan, count() from events group by plan order by plan",
        f"SELECT {pp('plan')} AS plan, count() FROM events GROUP BY plan ORDER BY plan",
    ),
    (
        "breakdown_flag_variant",
        "select properties.$feature_flag as flag, properties.$feature_flag_response as variant, count() "
        "from events where event = '$feature_flag_called' group by flag, variant order by flag, variant",
        f"SELECT {s('$feature_flag')} AS flag, {s('$feature_flag_response')} AS variant, count() FROM events "
        "WHERE event = '$feature_flag_called' GROUP BY flag, variant ORDER BY flag, variant",
    ),
    (
        "multiif_device_bucket",
        "select multiIf(properties.$device_type = 'Mobile', 'mobile', properties.$device_type = 'Desktop', "
        "'desktop', 'other') as kind, count() from events group by kind order by kind",
        f"SELECT multiIf({s('$device_type')} = 'Mobile', 'mobile', {s('$device_type')} = 'Desktop', "
        "'desktop', 'other') AS kind, count() FROM events GROUP BY kind ORDER BY kind",
    ),
    (
        "case_when_os",
        "select case when properties.$os = 'iOS' then 'apple' when properties.$os = 'Mac OS X' then 'apple' "
        "else 'other' end as vendor, count() from events group by vendor order by vendor",
        f"SELECT if({s('$os')} IN ('iOS', 'Mac OS X'), 'apple', 'other') AS vendor, count() FROM events "
        "GROUP BY vendor ORDER BY vendor",
    ),
    (
        "not_equals_keeps_missing",
        "select count() from events where properties.utm_source != 'google'",
        f"SELECT count() FROM events WHERE {s('utm_source')} IS NULL OR {s('utm_source')} != 'google'",
    ),
    (
        "is_null_property",
        "select count() from events where properties.revenue is null",
        "SELECT count() FROM events WHERE NOT JSONHas(properties, 'revenue')",
    ),
    # --- top pages and urls --------------------------------------------------------------
    (
        "top_pages",
        "select properties.$pathname as path, count() as views from events where event = '$pageview' "
        "group by path order by views desc, path limit 10",
        f"SELECT {s('$pathname')} AS path, count() AS views FROM events WHERE event = '$pageview' "
        "GROUP BY path ORDER BY views DESC, path LIMIT 10",
    ),
    (
        "blog_like",
        "select count() from events where properties.$current_url like '%/blog%'",
        f"SELECT count() FROM events WHERE {s('$current_url')} LIKE '%/blog%'",
    ),
    (
        "ilike_browser",
        "select count() from events where properties.$browser ilike '%CHROME%'",
        f"SELECT count() FROM events WHERE {s('$browser')} ILIKE '%chrome%'",
    ),
    (
        "regex_match",
        "select count() from events where properties.$current_url =~ '/docs/[a-z]+'",
        f"SELECT count() FROM events WHERE match({s('$current_url')}, '/docs/[a-z]+')",
    ),
    (
        "domain_of_referrer",
        "select domain(properties.$referrer) as d, count() from events group by d order by count() desc, d",
        f"SELECT domain({s('$referrer')}) AS d, count() c FROM events GROUP BY d ORDER BY c DESC, d",
    ),
    (
        "cut_query_string",
        "select cutQueryString(properties.$current_url) as u, count() from events where event = '$pageview' "
        "group by u order by count() desc, u limit 5",
        f"SELECT cutQueryString({s('$current_url')}) AS u, count() c FROM events WHERE event = '$pageview' "
        "GROUP BY u ORDER BY c DESC, u LIMIT 5",
    ),
    (
        "path_segments_array_join",
        "select segment, count() from events array join splitByChar('/', properties.$pathname) as segment "
        "where segment != '' group by segment order by count() desc, segment limit 5",
        f"SELECT segment, count() c FROM events ARRAY JOIN splitByChar('/', assumeNotNull({s('$pathname')})) "
        "AS segment WHERE segment != '' GROUP BY segment ORDER BY c DESC, segment LIMIT 5",
    ),
    (
        "elements_chain_text",
        "select count() from events where event = '$autocapture' and elements_chain like '%text=\"Play\"%'",
        "SELECT count() FROM events WHERE event = '$autocapture' AND elements_chain LIKE '%text=\"Play\"%'",
    ),
    # --- revenue -------------------------------------------------------------------------
    (
        "revenue_by_plan",
        "select properties.plan as plan, round(sum(toFloat(properties.revenue)), 2) as revenue, count() "
        "from events where event = 'purchase' group by plan order by plan",
        f"SELECT {s('plan')} AS plan, round(sum(JSONExtractFloat(properties, 'revenue')), 2), count() "
        "FROM events WHERE event = 'purchase' GROUP BY plan ORDER BY plan",
    ),
    (
        "revenue_quantiles",
        "select round(avg(toFloat(properties.revenue)), 4), max(toFloat(properties.revenue)), "
        "min(toFloat(properties.revenue)) from events where event = 'purchase'",
        "SELECT round(avg(JSONExtractFloat(properties, 'revenue')), 4), max(JSONExtractFloat(properties, "
        "'revenue')), min(JSONExtractFloat(properties, 'revenue')) FROM events WHERE event = 'purchase'",
    ),
    (
        "json_extract_raw_functions",
        "select sum(JSONExtractFloat(properties, 'revenue')) > 0, countIf(JSONHas(properties, 'revenue')) "
        "from events",
        "SELECT sum(JSONExtractFloat(properties, 'revenue')) > 0, countIf(JSONHas(properties, 'revenue')) "
        "FROM events",
    ),
    (
        "top_buyers",
        "select person.properties.email as email, count() as purchases from events where event = 'purchase' "
        "group by email order by purchases desc, email limit 5",
        f"SELECT {pp('email')} AS email, count() AS purchases FROM events WHERE event = 'purchase' "
        "GROUP BY email ORDER BY purchases DESC, email LIMIT 5",
    ),
    # --- funnels and retention ---------------------------------------------------------------
    (
        "funnel_window",
        "select level, count() from (select person_id, windowFunnel(86400)(toDateTime(timestamp), "
        "event = '$pageview', event = 'signed_up', event = 'purchase') as level from events "
        "group by person_id) group by level order by level",
        "SELECT level, count() FROM (SELECT person_id, windowFunnel(86400)(toDateTime(timestamp), "
        "event = '$pageview', event = 'signed_up', event = 'purchase') AS level FROM events "
        "GROUP BY person_id) GROUP BY level ORDER BY level",
    ),
    (
        "funnel_sequence_match",
        "select countIf(m) from (select sequenceMatch('(?1).*(?2)')(toDateTime(timestamp), "
        "event = 'search_performed', event = 'video_played') as m from events group by person_id)",
        "SELECT countIf(m) FROM (SELECT sequenceMatch('(?1).*(?2)')(toDateTime(timestamp), "
        "event = 'search_performed', event = 'video_played') AS m FROM events GROUP BY person_id)",
    ),
    (
        "retention_weeks",
        "select sum(r[1]), sum(r[2]) from (select retention(toStartOfWeek(timestamp) = '2026-10-18', "
        "toStartOfWeek(timestamp) = '2026-10-25') as r from events group by person_id)",
        "SELECT sum(r[1]), sum(r[2]) FROM (SELECT retention(toStartOfWeek(timestamp) = toDate('2026-10-18'), "
        "toStartOfWeek(timestamp) = toDate('2026-10-25')) AS r FROM events GROUP BY person_id)",
    ),
    (
        "cohort_by_first_event",
        "with first_seen as (select person_id, min(timestamp) as first from events group by person_id) "
        "select toStartOfWeek(first) as cohort, count() from first_seen group by cohort order by cohort",
        "SELECT toStartOfWeek(first) AS cohort, count() FROM (SELECT person_id, min(timestamp) AS first "
        "FROM events GROUP BY person_id) GROUP BY cohort ORDER BY cohort",
    ),
    (
        "signup_to_purchase_in",
        "select count(distinct person_id) from events where event = 'purchase' and person_id in "
        "(select person_id from events where event = 'signed_up')",
        "SELECT uniqExact(person_id) FROM events WHERE event = 'purchase' AND person_id IN "
        "(SELECT person_id FROM events WHERE event = 'signed_up')",
    ),
    (
        "not_in_subquery",
        "select count(distinct person_id) from events where person_id not in "
        "(select person_id from events where event = 'purchase')",
        "SELECT uniqExact(person_id) FROM events WHERE person_id NOT IN "
        "(SELECT person_id FROM events WHERE event = 'purchase')",
    ),
    # --- sessions -------------------------------------------------------------------------
    (
        "bounce_rate",
        "select round(countIf($is_bounce) / count(), 6) as bounce_rate, round(avg($session_duration), 3) "
        "from sessions",
        "SELECT round(countIf(`$is_bounce`) / count(), 6), round(avg(`$session_duration`), 3) FROM sessions",
    ),
    (
        "sessions_by_channel",
        "select $channel_type, count(), round(avg($pageview_count), 3) from sessions "
        "group by $channel_type order by $channel_type",
        "SELECT `$channel_type`, count(), round(avg(`$pageview_count`), 3) FROM sessions "
        "GROUP BY `$channel_type` ORDER BY `$channel_type`",
    ),
    (
        "session_lazy_join",
        "select event, round(avg(session.$session_duration), 3) from events group by event order by event",
        "SELECT e.event, round(avg(s.`$session_duration`), 3) FROM events e LEFT JOIN sessions s "
        "ON e.`$session_id` = s.session_id GROUP BY e.event ORDER BY e.event",
    ),
    (
        "session_entry_pages",
        "select $entry_pathname, count() from sessions group by $entry_pathname "
        "order by count() desc, $entry_pathname limit 5",
        "SELECT `$entry_pathname`, count() c FROM sessions GROUP BY `$entry_pathname` "
        "ORDER BY c DESC, `$entry_pathname` LIMIT 5",
    ),
    (
        "sessionise_from_events",
        "select toStartOfDay(start) as day, count(), round(avg(duration), 3) from (select $session_id, "
        "min(timestamp) as start, dateDiff('second', min(timestamp), max(timestamp)) as duration "
        "from events group by $session_id) group by day order by day",
        "SELECT toStartOfDay(start) AS day, count(), round(avg(duration), 3) FROM (SELECT `$session_id`, "
        "min(timestamp) AS start, dateDiff('second', min(timestamp), max(timestamp)) AS duration "
        "FROM events GROUP BY `$session_id`) GROUP BY day ORDER BY day",
    ),
    (
        "session_duration_quantiles",
        "select quantiles(0.5, 0.9)($session_duration) from sessions",
        "SELECT quantiles(0.5, 0.9)(`$session_duration`) FROM sessions",
    ),
    (
        "median_pageviews",
        "select median($pageview_count) from sessions where not $is_bounce",
        "SELECT median(`$pageview_count`) FROM sessions WHERE NOT `$is_bounce`",
    ),
    # --- persons and joins ---------------------------------------------------------------------
    (
        "persons_email_not_null",
        "select count() from persons where properties.email is not null",
        f"SELECT count() FROM persons WHERE {PERSON.format('email')} IS NOT NULL",
    ),
    (
        "persons_by_plan",
        "select properties.plan, count() from persons where is_identified group by properties.plan "
        "order by properties.plan",
        f"SELECT {PERSON.format('plan')} p, count() FROM persons WHERE is_identified GROUP BY p ORDER BY p",
    ),
    (
        "join_persons_email_domain",
        "select splitByChar('@', p.properties.email)[2] as domain, count() from events e "
        "join persons p on e.person_id = p.id where p.properties.email is not null "
        "group by domain order by count() desc, domain limit 5",
        f"SELECT splitByChar('@', {PERSON.format('email')})[2] AS domain, count() c FROM events e "
        f"JOIN persons ON e.person_id = persons.id WHERE {PERSON.format('email')} IS NOT NULL "
        "GROUP BY domain ORDER BY c DESC, domain LIMIT 5",
    ),
    (
        "left_join_persons",
        "select count(), countIf(p.is_identified = 1) from events e left join persons p on e.person_id = p.id",
        "SELECT count(), countIf(p.is_identified = 1) FROM events e LEFT JOIN persons p ON e.person_id = p.id",
    ),
    (
        "pdi_lazy_join",
        "select count() from events where pdi.person_id = person_id",
        "SELECT count() FROM events e JOIN person_distinct_ids d ON e.distinct_id = d.distinct_id "
        "WHERE d.person_id = e.person_id",
    ),
    (
        "pdi_person_properties",
        "select pdi.person.properties.plan as plan, count() from events where event = 'purchase' "
        "group by plan order by plan",
        f"SELECT {PERSON.format('plan')} AS plan, count() FROM events e JOIN person_distinct_ids d "
        "ON e.distinct_id = d.distinct_id JOIN persons ON d.person_id = persons.id "
        "WHERE e.event = 'purchase' GROUP BY plan ORDER BY plan",
    ),
    (
        "groups_by_industry",
        "select properties.industry as industry, count() from groups group by industry order by industry",
        "SELECT JSONExtractString(group_properties, 'industry') AS industry, count() FROM groups "
        "GROUP BY industry ORDER BY industry",
    ),
    (
        "group_lazy_join_industry",
        "select group_0.properties.industry as industry, count() from events where $group_0 != '' "
        "group by industry order by industry",
        "SELECT JSONExtractString(g.group_properties, 'industry') AS industry, count() FROM events e "
        "JOIN groups g ON e.`$group_0` = g.group_key AND g.group_type_index = 0 "
        "GROUP BY industry ORDER BY industry",
    ),
    (
        "elements_chain_texts",
        "select arrayJoin(elements_chain_texts) as text, count() from events "
        "where event = '$autocapture' group by text order by text",
        'SELECT arrayJoin(arrayDistinct(extractAll(elements_chain, \'(?::|")text="(.*?)"\'))) '
        "AS text, count() FROM events WHERE event = '$autocapture' GROUP BY text ORDER BY text",
    ),
    (
        "grouping_sets_event_and_os",
        "select event, properties.$os as os, count() from events "
        "group by grouping sets ((event), (os)) order by event, os",
        f"SELECT event, {s('$os')} AS os, count() FROM events "
        "GROUP BY GROUPING SETS ((event), (os)) ORDER BY event, os",
    ),
    (
        "events_per_company",
        "select e.$group_0 as company, count() from events e where e.$group_0 != '' "
        "group by company order by count() desc, company limit 5",
        "SELECT `$group_0` AS company, count() c FROM events WHERE `$group_0` != '' "
        "GROUP BY company ORDER BY c DESC, company LIMIT 5",
    ),
    # --- window functions, CTEs, unions, arrays -------------------------------------------------
    (
        "row_number_first_events",
        "select event, count() from (select event, row_number() over (partition by person_id "
        "order by timestamp, uuid) as rn from events) where rn = 1 group by event order by event",
        "SELECT event, count() FROM (SELECT event, row_number() OVER (PARTITION BY person_id "
        "ORDER BY timestamp, uuid) AS rn FROM events) WHERE rn = 1 GROUP BY event ORDER BY event",
    ),
    (
        "running_total",
        "select day, c, sum(c) over (order by day rows between unbounded preceding and current row) "
        "from (select toDate(timestamp) as day, count() as c from events group by day) order by day",
        "SELECT day, c, sum(c) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
        "FROM (SELECT toDate(timestamp) AS day, count() AS c FROM events GROUP BY day) ORDER BY day",
    ),
    (
        "lag_day_over_day",
        "select day, c - lagInFrame(c) over (order by day rows between unbounded preceding and "
        "unbounded following) from (select toDate(timestamp) as day, count() as c from events "
        "group by day) order by day",
        "SELECT day, c - lagInFrame(c) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND "
        "UNBOUNDED FOLLOWING) FROM (SELECT toDate(timestamp) AS day, count() AS c FROM events "
        "GROUP BY day) ORDER BY day",
    ),
    (
        "named_window_rank",
        "select event, c, rank() over w from (select event, count() as c from events group by event) "
        "window w as (order by c desc) order by c desc",
        "SELECT event, c, rank() OVER (ORDER BY c DESC) FROM (SELECT event, count() AS c FROM events "
        "GROUP BY event) ORDER BY c DESC",
    ),
    (
        "cte_two_levels",
        "with buyers as (select distinct person_id from events where event = 'purchase'), "
        "counts as (select person_id, count() as n from events where person_id in (select person_id "
        "from buyers) group by person_id) select count(), sum(n) from counts",
        "SELECT count(), sum(n) FROM (SELECT person_id, count() AS n FROM events WHERE person_id IN "
        "(SELECT DISTINCT person_id FROM events WHERE event = 'purchase') GROUP BY person_id)",
    ),
    (
        "union_all_counts",
        "select k, c from (select 'signups' as k, count() as c from events where event = 'signed_up' "
        "union all select 'purchases' as k, count() as c from events where event = 'purchase') "
        "order by k",
        "SELECT k, c FROM (SELECT 'signups' AS k, count() AS c FROM events WHERE event = 'signed_up' "
        "UNION ALL SELECT 'purchases', count() FROM events WHERE event = 'purchase') ORDER BY k",
    ),
    (
        "union_all_top_level",
        "select 'signups' as k, count() from events where event = 'signed_up' union all "
        "select 'purchases' as k, count() from events where event = 'purchase'",
        "SELECT 'signups', count() FROM events WHERE event = 'signed_up' UNION ALL "
        "SELECT 'purchases', count() FROM events WHERE event = 'purchase'",
    ),
    (
        "array_functions",
        "select arrayMap(x -> x * 2, [1, 2, 3]), arrayFilter(x -> x > 1, [1, 2, 3]), has([1, 2], 2), "
        "length(['a', 'b']), arrayStringConcat(['a', 'b'], '-'), indexOf([5, 6], 6)",
        "SELECT arrayMap(x -> x * 2, [1, 2, 3]), arrayFilter(x -> x > 1, [1, 2, 3]), has([1, 2], 2), "
        "length(['a', 'b']), arrayStringConcat(['a', 'b'], '-'), indexOf([5, 6], 6)",
    ),
    (
        "group_arrays",
        "select person_id, arraySort(groupUniqArray(event)) from events where event = 'purchase' "
        "group by person_id order by person_id limit 3",
        "SELECT person_id, arraySort(groupUniqArray(event)) FROM events WHERE event = 'purchase' "
        "GROUP BY person_id ORDER BY person_id LIMIT 3",
    ),
    (
        "topk_titles",
        "select topK(3)(properties.title) from events where event = 'video_played'",
        f"SELECT topK(3)({s('title')}) FROM events WHERE event = 'video_played'",
    ),
    (
        "arg_max_last_event",
        "select person_id, argMax(event, timestamp) from events group by person_id order by person_id limit 5",
        "SELECT person_id, argMax(event, timestamp) FROM events GROUP BY person_id ORDER BY person_id LIMIT 5",
    ),
    (
        "string_functions",
        "select lower('AbC'), upper('x'), concat('a', 'b'), substring('hello', 2, 3), trim('  x '), "
        "position('hello', 'l'), startsWith('hello', 'he'), endsWith('hello', 'lo'), "
        "replaceRegexpAll('a1b2', '[0-9]', ''), extract('id=42', '[0-9]+')",
        "SELECT lower('AbC'), upper('x'), concat('a', 'b'), substring('hello', 2, 3), trimBoth('  x '), "
        "position('hello', 'l'), startsWith('hello', 'he'), endsWith('hello', 'lo'), "
        "replaceRegexpAll('a1b2', '[0-9]', ''), extract('id=42', '[0-9]+')",
    ),
    (
        "conversions",
        "select toInt('12'), toFloat('1.5'), toString(42), round(2.345, 2), floor(2.7), "
        "toInt('x'), ifNull(toInt('x'), -1), nullIf(1, 1), isNull(NULL)",
        "SELECT toInt64OrNull('12'), toFloat64OrNull('1.5'), toString(42), round(2.345, 2), floor(2.7), "
        "toInt64OrNull('x'), ifNull(toInt64OrNull('x'), -1), nullIf(1, 1), isNull(NULL)",
    ),
    (
        "distinct_events_having",
        "select event, count() as c from events group by event having c > 500 order by event",
        "SELECT event, count() AS c FROM events GROUP BY event HAVING c > 500 ORDER BY event",
    ),
    (
        "limit_by_top_path_per_browser",
        "select properties.$browser as b, properties.$pathname as p, count() as c from events "
        "where event = '$pageview' group by b, p order by b, c desc, p limit 1 by b",
        f"SELECT {s('$browser')} AS b, {s('$pathname')} AS p, count() AS c FROM events "
        "WHERE event = '$pageview' GROUP BY b, p ORDER BY b, c DESC, p LIMIT 1 BY b",
    ),
]
"""(name, HogQL, hand-written ClickHouse) triples."""
