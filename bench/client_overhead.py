"""Client overhead over a bare httpx call of the same request.

A tiny keep-alive HTTP server in a subprocess answers every POST with the same 100-row
HogQL response. We time, per request, (a) a bare ``httpx.AsyncClient.post`` with the same
headers and body plus ``orjson.loads``, and (b) ``PostHogClient.run_query(mode="blocking")``
(LIMIT planning, request building, budget, error mapping, parsing into a ``QueryResult``).
Requests alternate one by one so that machine noise hits both sides alike. Also measured with
``httpx.MockTransport`` (no sockets): the client's own CPU cost per query.

    .venv/bin/python bench/client_overhead.py
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import httpx
import orjson

from workbench.client import PostHogClient, RateBudget
from workbench.connection import ConnectionSettings

KEY = "phx_" + "b" * 40
SQL = "SELECT event, count() FROM events GROUP BY event"
REQUESTS = 500
"""Requests per side."""
RESPONSE = orjson.dumps(
    {
        "results": [[f"event_{i}", i, 1.5, "2026-11-29T07:00:00Z", None] for i in range(100)],
        "columns": ["event", "count()", "avg", "ts", "maybe"],
        "types": [
            ["event", "String"],
            ["count()", "UInt64"],
            ["avg", "Float64"],
            ["ts", "DateTime64(6, 'UTC')"],
            ["maybe", "Nullable(String)"],
        ],
        "hogql": SQL,
        "is_cached": False,
        "hasMore": None,
    }
)

SERVER = r"""
import asyncio, sys
BODY = sys.stdin.buffer.read()
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            writer.write(HEAD + BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


async def timed(call: Callable[[], Awaitable[object]], count: int) -> list[float]:
    """Seconds per call, ``count`` sequential calls."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    return times


async def compare(base_url: str, transport: httpx.AsyncBaseTransport | None) -> tuple[float, float]:
    """Median seconds per request: (bare httpx, PostHogClient)."""
    settings = ConnectionSettings(host=base_url, project_id="1", api_key=KEY)
    client = PostHogClient(settings, transport=transport, budget=RateBudget())
    body = orjson.dumps(
        {
            "query": {"kind": "HogQLQuery", "query": SQL + " LIMIT 1001"},
            "refresh": "blocking",
            "client_query_id": "0" * 32,
        }
    )
    headers = {
        "Authorization": f"Bearer {KEY}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    bare = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=30)

    async def bare_call() -> object:
        response = await bare.post("/api/projects/1/query/", content=body, headers=headers)
        return orjson.loads(response.content)

    async def client_call() -> object:
        return await client.run_query(SQL, mode="blocking")

    bare_times: list[float] = []
    client_times: list[float] = []
    await timed(bare_call, 20)  # warm both pools
    await timed(client_call, 20)
    for _ in range(REQUESTS):  # strictly alternating: noise hits both sides alike
        bare_times += await timed(bare_call, 1)
        client_times += await timed(client_call, 1)
    await bare.aclose()
    await client.aclose()
    return statistics.median(bare_times), statistics.median(client_times)


def report(label: str, bare: float, client: float) -> None:
    extra = client - bare
    print(
        f"{label:<22} bare httpx {bare * 1000:7.3f} ms   client {client * 1000:7.3f} ms   "
        f"overhead {extra * 1000:+.3f} ms ({extra / bare * 100:+.1f} %)"
    )


def main() -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(RESPONSE)
    server.stdin.close()
    port = int(server.stdout.readline())
    try:
        print(f"{REQUESTS} requests each, medians; response {len(RESPONSE):,} bytes")
        report("loopback HTTP/1.1", *asyncio.run(compare(f"http://127.0.0.1:{port}", None)))
        mock = httpx.MockTransport(lambda request: httpx.Response(200, content=RESPONSE))
        report("MockTransport", *asyncio.run(compare("https://posthog.test", mock)))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
