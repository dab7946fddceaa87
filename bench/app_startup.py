"""Start to first frame in a real terminal: ``workbench`` in a detached tmux session.

Spawns ``python -m workbench --host http://127.0.0.1:9 --project 1`` (a closed port: the
client connects after the first frame, so the frame does not wait on the network) in a
200×50 tmux session and polls ``tmux capture-pane`` every 50 ms (faster polling steals a
core on a 2-core machine) until the editor's Run button is on screen. Buffers come from a
throwaway ``WORKBENCH_HOME`` so every start shows the example queries.

Usage: ``.venv/bin/python bench/app_startup.py [--repeat 7]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MARKER = "Run  F5"
"""Text of the editor's Run button: on screen only once the first frame is drawn."""

POLL_SECONDS = 0.05
"""capture-pane interval (see module docstring)."""

TMUX = ["tmux", "-L", "workbench-bench"]
"""A tmux server of our own, so nothing here can touch anyone else's sessions."""


def one_start(home: str, session: str) -> float:
    """Seconds from spawning tmux to the marker being visible."""
    command = (
        f"cd {Path(__file__).resolve().parents[1]} && WORKBENCH_HOME={home} "
        f"POSTHOG_PERSONAL_API_KEY=phx_benchmarkkey {sys.executable} -m workbench "
        "--host http://127.0.0.1:9 --project 1"
    )
    start = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", session, "-x", "200", "-y", "50", command],
        check=True,
    )
    try:
        deadline = start + 20
        while time.perf_counter() < deadline:
            pane = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", session],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if MARKER in pane:
                return time.perf_counter() - start
            time.sleep(POLL_SECONDS)
        raise RuntimeError("the app did not draw its first frame within 20 s")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], check=False)
        time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description="start → first frame in tmux")
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    timings = []
    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as home:
        os.environ["WORKBENCH_HOME"] = home
        one_start(home, "wb-bench-warmup")  # compiles our .pyc files once
        for index in range(options.repeat):
            seconds = one_start(home, f"wb-bench-{os.getpid()}-{index}")
            timings.append(seconds * 1000)
            print(f"start → first frame: {seconds * 1000:.0f} ms")
    print(
        f"median {statistics.median(timings):.0f} ms, min {min(timings):.0f} ms, "
        f"max {max(timings):.0f} ms (n={len(timings)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
