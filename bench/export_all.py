"""Export-all of 1,000,000 events from the local server: peak memory and rows per second.

Starts ``workbench serve`` with 1,000,000 events, then runs each format's export in a fresh
child process (so each peak RSS is its own) with 50,000-row keyset pages, and prints rows/s,
wall time (and the part spent waiting for queries: the rest is encoding and
writing), the file size and the child's peak RSS (``ru_maxrss``) against its RSS before the
export (interpreter + imports). Goal: peak RSS under 300 MB.

    nice .venv/bin/python bench/export_all.py [EVENTS] [FORMAT ...]
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SQL = "SELECT uuid, timestamp, event, distinct_id, properties, elements_chain FROM events"
"""Six columns of every event, the JSON properties included: a realistic, wide-ish export."""

DEFAULT_EVENTS = 1_000_000
DEFAULT_FORMATS = ("csv", "jsonl", "parquet")


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def export(url: str, key: str, project: str, fmt: str, out: Path) -> dict[str, float]:
    from workbench.client import PollSchedule, PostHogClient, RateBudget
    from workbench.client.budget import BucketRule
    from workbench.connection import ConnectionSettings
    from workbench.export import ExportJob

    rules = {b: BucketRule(100_000, 60.0) for b in ("hogql", "burst", "sustained")}
    settings = ConnectionSettings(host=url, project_id=project, api_key=key)
    polls = PollSchedule(initial=0.05, factor=1.25, cap=0.5, give_up_after=600.0)
    async with PostHogClient(
        settings,
        budget=RateBudget(rules=rules),
        poll_schedule=polls,  # type: ignore[arg-type]
    ) as client:
        querying = [0.0]
        run_query = client.run_query

        async def timed_run_query(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await run_query(*args, **kwargs)
            finally:
                querying[0] += time.perf_counter() - started

        client.run_query = timed_run_query  # type: ignore[method-assign]
        before = peak_rss_mb()
        started = time.perf_counter()
        summary = await ExportJob(client, SQL, out, fmt=fmt, count_total=True).run()  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
    return {
        "rows": summary.rows,
        "pages": summary.pages,
        "seconds": seconds,
        "query_seconds": querying[0],
        "rows_per_second": summary.rows / seconds,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }


def child(url: str, key: str, project: str, fmt: str, folder: str) -> None:
    out = Path(folder) / f"events.{fmt}"
    result = asyncio.run(export(url, key, project, fmt, out))
    result["file_mb"] = out.stat().st_size / 1e6
    print(json.dumps(result))


def main() -> None:
    from workbench.server.launcher import start_local_server

    events = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EVENTS
    formats = sys.argv[2:] or list(DEFAULT_FORMATS)
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        server = start_local_server(
            events=events, data_dir=Path(data), extra_args=["--no-rate-limits"], timeout=600
        )
        print(f"server with {events:,} events ready in {time.perf_counter() - started:.1f} s")
        with server:
            for fmt in formats:
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", server.base_url, server.api_key,
                     str(server.project_id), fmt, out],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                if proc.returncode != 0:
                    print(f"{fmt}: failed\n{proc.stderr[-2000:]}")
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                print(
                    f"{fmt:8} {r['rows']:>9,.0f} rows  {r['pages']:>3.0f} pages  "
                    f"{r['seconds']:6.1f} s (queries {r['query_seconds']:5.1f} s)  "
                    f"{r['rows_per_second']:>8,.0f} rows/s  "
                    f"file {r['file_mb']:7.1f} MB  RSS before {r['rss_before_mb']:5.0f} MB  "
                    f"peak {r['peak_rss_mb']:5.0f} MB"
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:7])
    else:
        main()
