"""ClickHouse DDL for the local server's tables (the stored side of ``hogql/database.py``).

Column names and types follow PostHog's ClickHouse tables; ``events`` carries the
person-on-events columns (``person_id``, ``person_properties``, ``person_created_at``) and the
group-on-events ones (``groupN_properties``, ``groupN_created_at``, read as ``goe_N.*``).
"""

from __future__ import annotations

SCHEMA_VERSION = "5"
"""Bumped whenever tables or generated data change shape, so old data dirs are rebuilt."""

TABLE_DDL: dict[str, str] = {
    "events": """
        CREATE TABLE events (
            uuid UUID,
            event String,
            properties String,
            timestamp DateTime64(6, 'UTC'),
            team_id Int64,
            distinct_id String,
            elements_chain String,
            created_at DateTime64(6, 'UTC'),
            `$session_id` String,
            `$window_id` String,
            person_id UUID,
            person_properties String,
            person_created_at DateTime64(3, 'UTC'),
            `$group_0` String,
            `$group_1` String,
            `$group_2` String,
            `$group_3` String,
            `$group_4` String,
            group0_properties String,
            group0_created_at DateTime64(3, 'UTC'),
            group1_properties String,
            group1_created_at DateTime64(3, 'UTC'),
            group2_properties String,
            group2_created_at DateTime64(3, 'UTC'),
            group3_properties String,
            group3_created_at DateTime64(3, 'UTC'),
            group4_properties String,
            group4_created_at DateTime64(3, 'UTC')
        ) ENGINE = MergeTree
        ORDER BY (team_id, toDate(timestamp), event, cityHash64(distinct_id), cityHash64(uuid))
    """,
    "persons": """
        CREATE TABLE persons (
            id UUID,
            team_id Int64,
            properties String,
            created_at DateTime64(3, 'UTC'),
            is_identified Int8,
            version Int64,
            is_deleted Int8
        ) ENGINE = MergeTree ORDER BY (team_id, id)
    """,
    "person_distinct_ids": """
        CREATE TABLE person_distinct_ids (
            team_id Int64,
            distinct_id String,
            person_id UUID,
            version Int64,
            is_deleted Int8
        ) ENGINE = MergeTree ORDER BY (team_id, distinct_id)
    """,
    "sessions": """
        CREATE TABLE sessions (
            session_id String,
            team_id Int64,
            distinct_id String,
            `$start_timestamp` DateTime64(6, 'UTC'),
            `$end_timestamp` DateTime64(6, 'UTC'),
            `$session_duration` Int64,
            `$entry_current_url` String,
            `$entry_pathname` String,
            `$exit_current_url` String,
            `$exit_pathname` String,
            `$pageview_count` Int64,
            `$autocapture_count` Int64,
            `$is_bounce` Bool,
            `$channel_type` String,
            `$entry_referring_domain` String,
            `$entry_utm_source` String,
            `$entry_utm_medium` String,
            `$entry_utm_campaign` String,
            `$urls` Array(String)
        ) ENGINE = MergeTree ORDER BY (team_id, toDate(`$start_timestamp`), session_id)
    """,
    "groups": """
        CREATE TABLE groups (
            team_id Int64,
            group_type_index Int8,
            group_key String,
            created_at DateTime64(3, 'UTC'),
            group_properties String
        ) ENGINE = MergeTree ORDER BY (team_id, group_type_index, group_key)
    """,
    "workbench_meta": """
        CREATE TABLE workbench_meta (key String, value String) ENGINE = MergeTree ORDER BY key
    """,
}
"""CREATE statements by table name; ``workbench_meta`` records how the data was built."""
