"""Run → first row visible for a 10,000 × 20 result, and process memory with 50,000 rows.

Starts ``workbench serve`` (60,000 demo events, throwaway data dir), opens the real app
headless at 160×45 with the real client, presses F5 and times to the first compositor frame
drawn after the grid rendered a data row (``App._display`` is wrapped; it runs headless too).
Headless frames skip terminal I/O, which tmux adds (see app_startup.py). The server's own
time (``QueryResult.elapsed``, submit → rows decoded) is reported separately.

Memory: RSS of this process (the app; the server is another process) after the 50,000-row
result is on screen, against the app opened with nothing run.

Usage: ``.venv/bin/python bench/app_results.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

from workbench.app.launch import ARROW_POOL_VARIABLE

# As the app does in launch.run_app, before anything loads pyarrow.
os.environ.setdefault(ARROW_POOL_VARIABLE, "system")

from workbench.app.buffers import SavedBuffer, SavedBuffers
from workbench.app.context import WorkbenchContext
from workbench.app.workbench_app import WorkbenchApp
from workbench.app.workers import ClientSession, QueryClient
from workbench.connection import ConnectionSettings
from workbench.server.launcher import LocalServer, start_local_server

COLUMNS = (
    "uuid, event, distinct_id, timestamp, person_id, created_at, elements_chain, "
    "properties.$current_url, properties.$pathname, properties.$referrer, properties.$browser, "
    "properties.$os, properties.$device_type, properties.$geoip_country_code, "
    "properties.utm_source, properties.utm_medium, properties.utm_campaign, "
    "properties.$session_id, properties.email, properties"
)
"""Twenty columns of the kinds people select: ids, times, URLs, JSON."""


def wide_query(rows: int, run: int = 0) -> str:
    """``run`` varies the text so the server's 5-minute cache never answers."""
    return (
        f"select {COLUMNS} from events where event != 'bench-{run}' order by timestamp limit {rows}"
    )


def rss_mb() -> float:
    """Resident set size of this process, MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class ServerAddress(NamedTuple):
    """Where the bench server listens (all ``make_app`` needs of a ``LocalServer``)."""

    base_url: str
    api_key: str
    project_id: int


ENV_MEMORY_SERVER = "WORKBENCH_BENCH_SERVER"
"""Hands the server's URL, key and project to the memory subprocess (not via argv)."""


def make_app(server: ServerAddress | LocalServer, sql: str, row_limit: int) -> WorkbenchApp:
    settings = ConnectionSettings(
        host=server.base_url, project_id=str(server.project_id), api_key=server.api_key
    )

    def client() -> QueryClient:
        from workbench.client import PostHogClient

        return PostHogClient(settings)

    return WorkbenchApp(
        WorkbenchContext(
            host_label=server.base_url,
            project_label=str(server.project_id),
            session=ClientSession(client),
            row_limit=row_limit,
            initial_buffers=SavedBuffers([SavedBuffer(title="bench", text=sql)]),
        )
    )


async def run_to_first_row(
    server: ServerAddress | LocalServer, rows: int, run: int = 0
) -> tuple[float, float, float, float]:
    """(ms to first row visible, server+decode ms, RSS MB before, RSS MB after)."""
    from workbench.app.widgets.grid import ResultsGrid

    app = make_app(server, wide_query(rows, run), row_limit=rows)
    rendered = False
    first_frame: list[float] = []
    frame_event = asyncio.Event()
    original_render_line = ResultsGrid.render_line

    def render_line(self: ResultsGrid, y: int) -> Any:
        nonlocal rendered
        if y >= 1:
            rendered = True
        return original_render_line(self, y)

    original_display = app._display

    def display(*args: Any, **kwargs: Any) -> Any:
        result = original_display(*args, **kwargs)
        if rendered and not first_frame:
            first_frame.append(time.perf_counter())
            frame_event.set()
        return result

    ResultsGrid.render_line = render_line  # type: ignore[method-assign]
    app._display = display  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause(0.5)  # connected, first frames drawn
            gc.collect()
            before = rss_mb()
            start = time.perf_counter()
            await pilot.press("f5")
            await asyncio.wait_for(frame_event.wait(), 120)
            total_ms = (first_frame[0] - start) * 1000
            await pilot.pause(0.3)
            gc.collect()
            after = rss_mb()
            run = app.context.registry.newest()
            assert run is not None and not run.result.is_cached if run and run.result else True
            assert run is not None and run.result is not None, run and run.error
            assert run.display_table is not None and run.display_table.num_rows == rows
            server_ms = run.result.elapsed * 1000
            await pilot.press("ctrl+q")
    finally:
        ResultsGrid.render_line = original_render_line  # type: ignore[method-assign]
    return total_ms, server_ms, before, after


def measure_memory(server: ServerAddress) -> None:
    """In a fresh process: earlier runs would leave their arenas in this one's RSS."""
    total, server_ms, before, after = asyncio.run(run_to_first_row(server, 50_000, run=99))
    print(
        f"50,000 x 20: first row {total:.0f} ms (server + decode {server_ms:.0f} ms); "
        f"RSS {before:.0f} MB opened → {after:.0f} MB with the result on screen"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="results: first row and memory")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    if ENV_MEMORY_SERVER in os.environ:
        url, key, project = os.environ[ENV_MEMORY_SERVER].split()
        measure_memory(ServerAddress(url, key, int(project)))
        return 0
    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as data_dir:
        server = start_local_server(
            data_dir=Path(data_dir), events=60_000, extra_args=["--no-rate-limits"], timeout=300
        )
        try:
            firsts, servers = [], []
            for index in range(options.repeat):
                total, server_ms, _, _ = asyncio.run(run_to_first_row(server, 10_000, index))
                firsts.append(total)
                servers.append(server_ms)
                print(
                    f"10,000 x 20: run → first row {total:.0f} ms (server + decode {server_ms:.0f} ms)"
                )
            print(
                f"median run → first row {statistics.median(firsts):.0f} ms; "
                f"of which server + decode {statistics.median(servers):.0f} ms"
            )
            address = f"{server.base_url} {server.api_key} {server.project_id}"
            subprocess.run(
                [sys.executable, __file__],
                env={**os.environ, ENV_MEMORY_SERVER: address},
                check=True,
            )
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
