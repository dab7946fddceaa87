"""The local Query API server: overhead over direct chDB, DELETE → stopped, demo build time.

1. ``workbench serve`` on a fresh data dir with N events: time to build the demo data (first
   to last progress line on stderr) and to the ready line.
2. Rounds, to spread machine load evenly over both sides (chDB lets one process at a time
   open a database, so the two sides alternate): each round runs every query of the
   benchmark set through the server (``force_blocking``, wall time at the client), stops it,
   then runs the translator's ClickHouse SQL with the server's SETTINGS directly in chDB in a
   worker subprocess. Minimum and median over all rounds.
3. DELETE → stopped: an async self join is started; once ClickHouse runs it, the time for
   DELETE to answer and until ``system.processes`` no longer lists it.

Usage: ``nice .venv/bin/python bench/server_query_api.py [--events 1000000] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from workbench.server.launcher import LocalServer, start_local_server

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

SETTINGS = (
    " SETTINGS readonly=2, max_execution_time=60, max_memory_usage=4294967296, "
    "session_timezone='UTC', output_format_json_quote_64bit_integers=0"
)
"""What the server appends to every query (see ``HogQLRunner.execute``)."""


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def direct_worker(data_dir: str, repeat: int) -> None:
    """Subprocess side: time each query's ClickHouse SQL in chDB; print JSON seconds."""
    import chdb

    from workbench.server.hogql import translate_hogql

    conn = chdb.connect(data_dir)
    times: dict[str, list[float]] = {}
    for name, sql in QUERIES.items():
        ch_sql = translate_hogql(sql, team_id=1).clickhouse + SETTINGS
        conn.query(ch_sql, "JSONCompact")  # warm-up, as the server side gets
        times[name] = [
            timed(lambda s=ch_sql: conn.query(s, "JSONCompact").bytes()) for _ in range(repeat)
        ]
    print(json.dumps(times))


def server_round(server: LocalServer, repeat: int) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {server.api_key}"}
    url = f"{server.base_url}/api/projects/{server.project_id}/query/"
    times: dict[str, list[float]] = {}
    with httpx.Client(headers=headers, timeout=120) as client:
        for name, sql in QUERIES.items():
            body = {"query": {"kind": "HogQLQuery", "query": sql}, "refresh": "force_blocking"}
            client.post(url, json=body).raise_for_status()  # warm-up
            times[name] = [
                timed(lambda b=body: client.post(url, json=b).raise_for_status())
                for _ in range(repeat)
            ]
    return times


def cancel_latencies(server: LocalServer, count: int) -> tuple[list[float], list[float]]:
    headers = {"Authorization": f"Bearer {server.api_key}"}
    url = f"{server.base_url}/api/projects/{server.project_id}/query/"
    answered, stopped = [], []
    with httpx.Client(headers=headers, timeout=120) as client:
        for index in range(count):
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
            start = time.perf_counter()
            client.delete(f"{url}{query_id}/").raise_for_status()
            answered.append(time.perf_counter() - start)
            while running():
                time.sleep(0.002)
            stopped.append(time.perf_counter() - start)
    return answered, stopped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query per round")
    parser.add_argument("--cancels", type=int, default=7)
    parser.add_argument("--direct-worker", metavar="DATA_DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.direct_worker:
        direct_worker(args.direct_worker, args.repeat)
        return

    data_dir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    marks: list[tuple[float, str]] = []

    def start() -> LocalServer:
        return start_local_server(
            data_dir=data_dir,
            events=args.events,
            extra_args=["--no-rate-limits"],
            on_progress=lambda stage, _f: marks.append((time.perf_counter(), stage)),
            timeout=600,
        )

    started = time.perf_counter()
    server = start()
    ready = time.perf_counter() - started
    build = [t for t, stage in marks if stage.startswith("Building")]
    print(f"events={args.events}: first start ready after {ready:.2f} s")
    if build:
        print(f"demo build (first→last progress line): {build[-1] - build[0]:.2f} s")
    answered, stopped = cancel_latencies(server, args.cancels)

    server_times: dict[str, list[float]] = defaultdict(list)
    direct_times: dict[str, list[float]] = defaultdict(list)
    for round_index in range(args.rounds):
        if round_index:
            server = start()
        for name, values in server_round(server, args.repeat).items():
            server_times[name] += values
        server.stop()
        worker = subprocess.run(
            [sys.executable, __file__, "--direct-worker", str(data_dir), "--repeat",
             str(args.repeat)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        for name, values in json.loads(worker.stdout).items():
            direct_times[name] += values

    print(f"\n{args.rounds} rounds x {args.repeat} runs; ms, min (median); overhead of the minima")
    print("| query | direct chDB | server | overhead | overhead % |")
    print("|---|---|---|---|---|")
    for name in QUERIES:
        d, s = direct_times[name], server_times[name]
        dmin, smin = min(d) * 1000, min(s) * 1000
        print(
            f"| {name} | {dmin:.1f} ({statistics.median(d) * 1000:.1f}) "
            f"| {smin:.1f} ({statistics.median(s) * 1000:.1f}) | {smin - dmin:+.1f} "
            f"| {100 * (smin - dmin) / dmin:+.0f}% |"
        )
    ms = [x * 1000 for x in answered]
    gone = [x * 1000 for x in stopped]
    print(f"\nDELETE answered (it waits for the stop): median {statistics.median(ms):.0f} ms, "
          f"max {max(ms):.0f} ms over {len(ms)}")  # fmt: skip
    print(f"DELETE → gone from system.processes: median {statistics.median(gone):.0f} ms, "
          f"max {max(gone):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
