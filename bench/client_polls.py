"""Status polls the client makes for queries that take 2 s, 10 s and 60 s on the server.

Runs the real ``PostHogClient`` against an ``httpx.MockTransport`` whose query finishes when
a fake clock passes its duration; the client's sleep advances that clock, so nothing waits.
Schedule: PostHog's web app's (300 ms, x1.25 per poll, capped at 3 s).

    .venv/bin/python bench/client_polls.py
"""

from __future__ import annotations

import asyncio

import httpx

from workbench.client import PollSchedule, PostHogClient, RateBudget
from workbench.connection import ConnectionSettings

DURATIONS = (2.0, 10.0, 60.0)
"""Server-side query durations to simulate, in seconds."""


async def polls_for(duration: float) -> tuple[int, float]:
    """(status GETs made, seconds from submit to result) for a query of ``duration`` s."""
    now = [0.0]
    polls = [0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            polls[0] += 1
        done = now[0] >= duration and request.method == "GET"
        status = {"id": "q", "complete": done, "error": False, "query_progress": None}
        if done:
            status["results"] = {"results": [[1]], "columns": ["x"], "types": [["x", "UInt8"]]}
        return httpx.Response(200 if done else 202, json={"query_status": status})

    settings = ConnectionSettings(host="https://posthog.test", project_id="1", api_key="phx_x")
    async with PostHogClient(
        settings,
        transport=httpx.MockTransport(handle),
        budget=RateBudget(),
        poll_schedule=PollSchedule(),
        sleep=sleep,
        clock=lambda: now[0],
    ) as client:
        result = await client.run_query("SELECT 1", client_query_id="q")
    return polls[0], result.elapsed


def main() -> None:
    print(f"{'query takes':>12} {'status polls':>13} {'result after':>13} {'late by':>8}")
    for duration in DURATIONS:
        polls, elapsed = asyncio.run(polls_for(duration))
        print(f"{duration:>11.0f}s {polls:>13} {elapsed:>12.2f}s {elapsed - duration:>7.2f}s")


if __name__ == "__main__":
    main()
