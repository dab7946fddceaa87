"""A read response is freed by reference counting, not left for the cyclic collector.

httpx's stream wrapper points back at its response; left alone, every body (tens of MB for
50,000 rows) would stay in memory until a full collection.
"""

from __future__ import annotations

import gc

import httpx
import pytest

from workbench.client import RateBudget
from workbench.client.errors import PostHogError
from workbench.client.http import ApiSession
from workbench.connection import ConnectionSettings

SETTINGS = ConnectionSettings(
    host="https://posthog.test", project_id="1", api_key="phx_" + "k" * 40
)


def responses_alive() -> int:
    return sum(isinstance(obj, httpx.Response) for obj in gc.get_objects())


@pytest.mark.parametrize("status", [200, 400])
async def test_responses_do_not_outlive_the_request_without_a_collection(status: int) -> None:
    body = b'{"results": [[1]], "columns": ["x"], "detail": "bad", "type": "validation_error"}'
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    session = ApiSession(SETTINGS, budget=RateBudget(), transport=transport)
    gc.collect()
    baseline = responses_alive()
    gc.disable()  # only reference counting may free them now
    try:
        for _ in range(3):
            try:
                answer = await session.request("GET", "/api/projects/1/query/abc/")
            except PostHogError:
                continue
            assert answer.data["results"] == [[1]]
        assert responses_alive() == baseline
    finally:
        gc.enable()
        await session.aclose()
