"""HogQLAutocomplete latency on the local server, as the editor sees it (HTTP wall time).

1. ``workbench serve`` on a fresh data dir with N events (built once; restarts reuse it).
2. Per server start (``--starts``): the first ``properties.`` and ``person.properties.``
   requests right after the ready line (the server prefetches the key lists at start; a
   request that races the prefetch waits for its scan), then every context of
   :data:`CONTEXTS` ``--repeat`` times (warm: keys come from the one-minute cache).
Reports median / min / max ms per context, and the server's own ``./property_keys`` time
for the first requests (0 when the prefetch had finished).

Usage: ``nice .venv/bin/python bench/server_autocomplete.py [--events 1000000] [--starts 3]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from workbench.server.launcher import start_local_server

CONTEXTS = {
    "after FROM": "select * from |",
    "select list (fields, functions, keywords)": "select | from events",
    "alias + dot": "select e.| from events e",
    "lazy join + dot": "select session.| from events",
    "properties. (cached keys)": "select properties.| from events",
    "person.properties. (cached keys)": "select person.properties.| from events",
    "inside a string": "select * from events where event = '|",
}
"""Cursor contexts the editor hits while typing; ``|`` marks the cursor."""

COLD = {
    "properties. (first request after start)": "select properties.| from events",
    "person.properties. (first request after start)": "select person.properties.| from events",
}
"""Contexts whose first request may wait for the key scan."""


def request(client: httpx.Client, marked: str) -> tuple[float, dict[str, Any]]:
    start = marked.index("|")
    node = {
        "kind": "HogQLAutocomplete",
        "language": "hogQL",
        "query": marked.replace("|", "", 1),
        "startPosition": start,
        "endPosition": start,
    }
    began = time.perf_counter()
    response = client.post("query/", json={"query": node})
    elapsed = time.perf_counter() - began
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return elapsed, body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    samples: dict[str, list[float]] = defaultdict(list)
    key_scan: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, int] = {}
    counted = 0
    with tempfile.TemporaryDirectory(prefix="bench-autocomplete-") as data_dir:
        for _ in range(args.starts):
            server = start_local_server(
                data_dir=Path(data_dir),
                events=args.events,
                extra_args=["--no-rate-limits"],
                timeout=600,
            )
            try:
                headers = {"Authorization": f"Bearer {server.api_key}"}
                base = f"{server.base_url}/api/projects/{server.project_id}/"
                with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                    request(client, "select * from |")  # first request: connection, imports
                    counted = client.post(
                        "query/",
                        json={
                            "query": {"kind": "HogQLQuery", "query": "select count() from events"}
                        },
                    ).json()["results"][0][0]
                    for name, marked in COLD.items():
                        elapsed, body = request(client, marked)
                        samples[name].append(elapsed)
                        timings = {t["k"]: t["t"] for t in body["timings"]}
                        key_scan[name].append(timings["./property_keys"])
                    for _ in range(args.repeat):
                        for name, marked in CONTEXTS.items():
                            elapsed, body = request(client, marked)
                            samples[name].append(elapsed)
                            sizes[name] = len(body["suggestions"])
            finally:
                server.stop()
    print(f"events={counted} starts={args.starts} repeat={args.repeat}")
    print("| context | suggestions | median ms | min ms | max ms | n |")
    print("|---|---|---|---|---|---|")
    for name, values in samples.items():
        ms = [v * 1000 for v in values]
        print(
            f"| {name} | {sizes.get(name, '')} | {statistics.median(ms):.1f} | {min(ms):.1f}"
            f" | {max(ms):.1f} | {len(ms)} |"
        )
    for name, values in key_scan.items():
        ms = [v * 1000 for v in values]
        print(f"server-side key scan, {name}: " + ", ".join(f"{v:.0f}" for v in ms) + " ms")


if __name__ == "__main__":
    main()
