"""The local Query API server: overhead over direct chDB, DELETE → stopped, demo build time.

1. ``workbench serve`` on a fresh data dir with N events: time to build the demo data (first
   to last progress line on stderr) and to the ready line.
2. Each query of the benchmark set through the server (``force_blocking``, wall time at the
   client, median of R) while the server runs.
3. DELETE → stopped: an async self join is started; once ClickHouse runs it, the time for
   DELETE to answer and until ``system.processes`` no longer lists it.
4. The server is stopped and the same ClickHouse SQL (the translator's output, with the
   server's SETTINGS) runs directly on the same database in this process (median of R).

Usage: ``nice .venv/bin/python bench/server_query_api.py [--events 1000000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from workbench.server.launcher import start_local_server

QUERIES = {
    "count by event": "select event, count() from events group by event order by count() desc",
    "blog urls (docs example)": "select properties.$current_url from events "
    "where properties.$current_url like '%/blog%' limit 100",
    "emails (docs example)": "select properties.email from persons "
    "where properties.email is not null",
    "browsers x uniq users": "select properties.$browser as browser, uniq(distinct_id) from events "
    "group by browser order by 2 desc limit 20",
    "daily pageviews, 7 days": "select toStartOfDay(timestamp) as day, count() from events "
    "where event = '$pageview' and timestamp > now() - interval 7 day group by day order by day",
    "person emails x events": "select person.properties.email, count() from events "
    "where event = '$pageview' group by person.properties.email order by count() desc limit 10",
    "1,000 raw rows": "select uuid, event, timestamp, distinct_id from events limit 1000",
    "10,000 raw rows": "select uuid, event, timestamp, properties from events limit 10000",
}
"""The benchmark set: typical HogQL, from tiny answers to 10,000-row results."""

LONG_QUERY = "select count() from events a cross join events b where a.timestamp > b.timestamp"
"""Keeps ClickHouse busy long enough to cancel it."""


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cancels", type=int, default=5)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    marks: list[tuple[float, str, float]] = []
    started = time.perf_counter()
    server = start_local_server(
        data_dir=data_dir,
        events=args.events,
        extra_args=["--no-rate-limits"],
        on_progress=lambda stage, f: marks.append((time.perf_counter(), stage, f)),
        timeout=600,
    )
    ready = time.perf_counter() - started
    build = [t for t, stage, _ in marks if stage.startswith("Building")]
    print(f"events={args.events} ready after {ready:.2f} s")
    if build:
        print(f"demo build (first→last progress line): {build[-1] - build[0]:.2f} s")

    headers = {"Authorization": f"Bearer {server.api_key}"}
    url = f"{server.base_url}/api/projects/{server.project_id}/query/"
    server_ms: dict[str, tuple[float, float]] = {}
    translated: dict[str, str] = {}
    with httpx.Client(headers=headers, timeout=120) as client:
        for name, sql in QUERIES.items():
            body = {"query": {"kind": "HogQLQuery", "query": sql}, "refresh": "force_blocking"}
            client.post(url, json=body).raise_for_status()  # warm-up
            times = [timed(lambda b=body: client.post(url, json=b).raise_for_status())
                     for _ in range(args.repeat)]  # fmt: skip
            server_ms[name] = (statistics.median(times) * 1000, min(times) * 1000)

        delete_ms, stopped_ms = [], []
        for index in range(args.cancels):
            query_id = f"benchcancel{index:021d}"
            body = {"query": {"kind": "HogQLQuery", "query": LONG_QUERY}, "refresh": "async",
                    "client_query_id": query_id}  # fmt: skip
            client.post(url, json=body).raise_for_status()

            def running(qid: str = query_id) -> bool:
                processes = client.get(f"{server.base_url}/_workbench/processes/").json()
                return any(p["query_id"] == qid for p in processes["processes"])

            while not running():
                time.sleep(0.01)
            time.sleep(0.3)
            t0 = time.perf_counter()
            client.delete(f"{url}{query_id}/").raise_for_status()
            delete_ms.append((time.perf_counter() - t0) * 1000)
            while running():
                time.sleep(0.002)
            stopped_ms.append((time.perf_counter() - t0) * 1000)
    server.stop()

    import chdb

    from workbench.server.hogql import translate_hogql

    settings = (" SETTINGS readonly=2, max_execution_time=60, max_memory_usage=4294967296, "
                "output_format_json_quote_64bit_integers=0, session_timezone='UTC'")  # fmt: skip
    for name, sql in QUERIES.items():
        translated[name] = translate_hogql(sql, team_id=server.project_id).clickhouse
    conn = chdb.connect(str(data_dir))
    direct_ms: dict[str, tuple[float, float]] = {}
    for name, ch_sql in translated.items():
        conn.query(ch_sql + settings, "JSONCompact")
        times = [timed(lambda s=ch_sql: conn.query(s + settings, "JSONCompact").bytes())
                 for _ in range(args.repeat)]  # fmt: skip
        direct_ms[name] = (statistics.median(times) * 1000, min(times) * 1000)

    print("\nmedian (min) of the runs, ms; overhead from the minima (least disturbed by load)")
    print("| query | direct chDB | server | overhead | overhead % |")
    print("|---|---|---|---|---|")
    for name in QUERIES:
        (dm, dmin), (sm, smin) = direct_ms[name], server_ms[name]
        print(
            f"| {name} | {dm:.1f} ({dmin:.1f}) | {sm:.1f} ({smin:.1f}) | {smin - dmin:+.1f} "
            f"| {100 * (smin - dmin) / dmin:+.0f}% |"
        )
    print(f"\nDELETE answered (waits for the stop): median {statistics.median(delete_ms):.0f} ms, "
          f"max {max(delete_ms):.0f} ms over {len(delete_ms)}")  # fmt: skip
    print(f"DELETE → gone from system.processes: median {statistics.median(stopped_ms):.0f} ms, "
          f"max {max(stopped_ms):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
