"""Time building the demo data (default 1,000,000 events) into a fresh chDB database.

Usage: .venv/bin/python bench/demo_data_build.py [EVENTS] [RUNS]
Each run builds into a new temporary directory in a fresh subprocess (chDB allows one
database path per process); prints seconds per run and the median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile

_CHILD = """
import sys, time, chdb
from workbench.server.demo_data import build_demo_data
conn = chdb.connect(sys.argv[2])
started = time.perf_counter()
build_demo_data(conn, events=int(sys.argv[1]), seed=1)
elapsed = time.perf_counter() - started
rows = str(conn.query("SELECT count() FROM events", "TSV")).strip()
size = str(conn.query("SELECT formatReadableSize(sum(bytes_on_disk)) FROM system.parts "
                      "WHERE active AND table = 'events'", "TSV")).strip()
print(f"{elapsed:.3f} {rows} {size}")
"""


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    times = []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(events), f"{tmp}/db"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        seconds, rows, size = float(out[0]), out[1], " ".join(out[2:])
        times.append(seconds)
        print(f"run {run + 1}: {seconds:.2f} s, {rows} events, events on disk {size}")
    print(f"median {statistics.median(times):.2f} s, min {min(times):.2f} s over {runs} runs")


if __name__ == "__main__":
    main()
