"""Fixtures for the client tests: a fake PostHog and clients wired to it without a network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.client.fake_posthog import API_KEY, FakePostHog
from workbench.client import PollSchedule, PostHogClient, RateBudget
from workbench.connection import ConnectionSettings

FAST_POLLS = PollSchedule(initial=0.001, factor=1.25, cap=0.004, give_up_after=30.0)
"""Real but tiny poll delays: lifecycle tests run in milliseconds."""


async def no_sleep(seconds: float) -> None:
    """A sleep that only yields to the loop: retries and backoff cost no time in tests."""
    import asyncio

    await asyncio.sleep(0)


@pytest.fixture(autouse=True)
def fresh_key_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with empty per-key budgets, as each CLI run (a new process) does."""
    import workbench.client.budget

    monkeypatch.setattr(workbench.client.budget, "_BUDGETS", {})


@pytest.fixture
def fake() -> FakePostHog:
    return FakePostHog()


@pytest.fixture
def settings() -> ConnectionSettings:
    return ConnectionSettings(host="https://posthog.test", project_id="1", api_key=API_KEY)


@pytest.fixture
async def make_client(
    fake: FakePostHog, settings: ConnectionSettings
) -> AsyncIterator[Callable[..., PostHogClient]]:
    """Build clients on the fake (keyword arguments go to ``PostHogClient``); closes them."""
    made: list[PostHogClient] = []

    def build(**kwargs: Any) -> PostHogClient:
        kwargs.setdefault("transport", fake.transport())
        kwargs.setdefault("poll_schedule", FAST_POLLS)
        kwargs.setdefault("budget", RateBudget())
        kwargs.setdefault("cancel_timeout", 1.0)
        kwargs.setdefault("sleep", no_sleep)
        client = PostHogClient(kwargs.pop("settings", settings), **kwargs)
        made.append(client)
        return client

    yield build
    for client in made:
        await client.aclose()


@pytest.fixture
async def client(make_client: Callable[..., PostHogClient]) -> PostHogClient:
    return make_client()


async def until(condition: Callable[[], object], *, attempts: int = 5000) -> None:
    """Yield to the loop (1 ms at a time) until ``condition()`` is true; fail after ~5 s."""
    import asyncio

    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("condition never became true")
