"""Memory across consecutive 50,000-row queries: does each response go when its result goes?

Runs ``QUERIES`` blocking queries of 50,000 rows × 5 columns against a local server with
200,000 events, dropping each result, and prints the process RSS and the ``httpx.Response``
objects still alive after each one, then what a full collection frees. With the client's
response cycle broken, RSS levels off and no response stays alive; before the fix, each
query left ~30 MB behind until a full collection.

    .venv/bin/python bench/client_memory.py
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from pathlib import Path

QUERIES = 8
EVENTS = 200_000


def rss_mb() -> float:
    """Current resident set size of this process, MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


async def run(url: str, key: str, project: str) -> None:
    import httpx

    from workbench.client import PostHogClient, RateBudget
    from workbench.client.budget import BucketRule
    from workbench.connection import ConnectionSettings

    rules = {b: BucketRule(100_000, 60.0) for b in ("hogql", "burst", "sustained")}
    settings = ConnectionSettings(host=url, project_id=project, api_key=key)
    async with PostHogClient(settings, budget=RateBudget(rules=rules)) as client:
        for index in range(QUERIES):
            result = await client.run_query(
                "SELECT uuid, event, properties, timestamp, distinct_id FROM events "
                f"WHERE toSecond(timestamp) != {index} ORDER BY timestamp LIMIT 50000",
                row_limit=50_000,
                mode="blocking",
            )
            result.to_arrow()
            del result
            alive = sum(isinstance(obj, httpx.Response) for obj in gc.get_objects())
            print(f"query {index + 1}: RSS {rss_mb():6.0f} MB, responses alive {alive}")
        started = time.perf_counter()
        freed = gc.collect()
        took = (time.perf_counter() - started) * 1000
        print(f"full collection: {freed} objects freed in {took:.0f} ms, RSS {rss_mb():.0f} MB")


def main() -> None:
    from workbench.server.launcher import start_local_server

    with tempfile.TemporaryDirectory() as data:
        server = start_local_server(
            data_dir=Path(data), events=EVENTS, extra_args=["--no-rate-limits"], timeout=300
        )
        with server:
            asyncio.run(run(server.base_url, server.api_key, str(server.project_id)))


if __name__ == "__main__":
    main()
