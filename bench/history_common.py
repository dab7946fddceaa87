"""Shared by the history benches: realistic SQL text and a 100,000-entry history file."""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from workbench.history import HistoryStore

EVENTS = ("$pageview", "$autocapture", "$identify", "signed_up", "purchase", "$pageleave")
"""Event names the generated queries filter on."""

PROPERTIES = ("$browser", "$os", "$current_url", "plan", "utm_source", "$device_type")
"""Property names the generated queries group by."""

TEMPLATES = (
    "SELECT count() FROM events WHERE event = '{event}' AND timestamp > now() - INTERVAL {n} DAY",
    "SELECT properties.{prop} AS value, count() AS c FROM events WHERE event = '{event}'\n"
    "GROUP BY value ORDER BY c DESC LIMIT {n}",
    "SELECT toStartOfDay(timestamp) AS day, uniq(distinct_id) FROM events\n"
    "WHERE event = '{event}' AND properties.{prop} IS NOT NULL GROUP BY day ORDER BY day",
    "SELECT person.properties.email, count() FROM events WHERE event = '{event}'\n"
    "GROUP BY 1 HAVING count() > {n} ORDER BY 2 DESC",
    "SELECT distinct_id, argMax(properties.{prop}, timestamp) FROM events\n"
    "WHERE timestamp >= '2026-0{m}-01' GROUP BY distinct_id LIMIT {n}",
)
"""Query shapes like people write them (100–250 characters)."""


def make_sql(rng: random.Random) -> str:
    """One generated query."""
    return rng.choice(TEMPLATES).format(
        event=rng.choice(EVENTS), prop=rng.choice(PROPERTIES), n=rng.randint(1, 500),
        m=rng.randint(1, 9),
    )  # fmt: skip


def build_history(path: Path, entries: int, *, seed: int = 6) -> None:
    """A history file with ``entries`` runs (about 5 % failed, 3 projects) in one transaction."""
    HistoryStore(path).close()  # schema, indexes, FTS table and triggers
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    start = time.time() - entries * 60.0
    for i in range(1, entries + 1):
        state = "failed" if rng.random() < 0.05 else "done"
        conn.execute(
            "INSERT INTO runs (id, group_id, first_started_at, sql, host, project_id, state,"
            " started_at, ended_at, duration, row_count, columns, types)"
            " VALUES (?, ?, ?, ?, 'https://us.posthog.com', ?, ?, ?, ?, 0.4, 10, '[\"c\"]',"
            " '[\"UInt64\"]')",
            (i, i, start + i * 60, make_sql(rng), str(rng.randint(1, 3)), state,
             start + i * 60, start + i * 60 + 0.4),
        )  # fmt: skip
    conn.execute("COMMIT")
    conn.close()


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call, ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(label: str, samples: list[float]) -> str:
    """A table row: label, median, p95, max (ms), n."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"| {label} | {statistics.median(ordered):.2f} | {p95:.2f} | {ordered[-1]:.2f} "
        f"| {len(ordered)} |"
    )
