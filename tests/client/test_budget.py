"""The local rate budget: sliding windows per bucket, 429s, per-key sharing."""

from __future__ import annotations

import pytest

from workbench.client.budget import RateBudget, budget_for_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_buckets_start_full_with_posthogs_limits(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    assert budget.snapshot() == {"hogql": 120, "burst": 240, "sustained": 1200}


def test_hogql_spends_only_its_bucket_and_others_spend_both(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    budget.record("hogql")
    budget.record("other")
    budget.record("other")
    assert budget.snapshot() == {"hogql": 119, "burst": 238, "sustained": 1198}
    assert budget.remaining_for("other") == 238


def test_windows_slide(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    for _ in range(240):
        budget.record("other")
    assert budget.remaining("burst") == 0
    assert budget.wait_time("other") == pytest.approx(60.0)
    clock.now += 59.9
    assert budget.remaining("burst") == 0
    clock.now += 0.2
    assert budget.remaining("burst") == 240
    assert budget.remaining("sustained") == 960  # the hour window still counts them
    assert budget.wait_time("other") == 0.0


def test_warns_near_the_end(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock, warn_before=10)
    for _ in range(109):
        budget.record("hogql")
    assert not budget.should_warn("hogql")
    budget.record("hogql")
    assert budget.should_warn("hogql") and budget.remaining("hogql") == 10


def test_a_429_empties_the_buckets_until_retry_after(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    budget.throttled("hogql", 57.0)
    assert budget.remaining("hogql") == 0
    assert budget.remaining("burst") == 240  # other buckets untouched
    assert budget.wait_time("hogql") == pytest.approx(57.0)
    clock.now += 57.1
    assert budget.remaining("hogql") == 120


def test_concurrency_429_does_not_block_a_bucket(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    budget.throttled("other", None)
    assert budget.remaining("burst") == 240


def test_one_budget_per_key() -> None:
    assert budget_for_key("phx_a") is budget_for_key("phx_a")
    assert budget_for_key("phx_a") is not budget_for_key("phx_b")


def test_blocked_for_counts_only_what_the_server_said(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    for _ in range(120):
        budget.record("hogql")
    assert budget.remaining("hogql") == 0
    assert budget.blocked_for("hogql") == 0.0  # our own count is an estimate, not a refusal
    budget.throttled("hogql", 30.0)
    clock.now += 10
    assert budget.blocked_for("hogql") == pytest.approx(20.0)
    assert budget.blocked_for("other") == 0.0


def test_reset_forgets_counts_and_retry_after(clock: FakeClock) -> None:
    budget = RateBudget(clock=clock)
    budget.record("hogql")
    budget.throttled("other", 60.0)
    budget.reset()
    assert budget.snapshot() == {"hogql": 120, "burst": 240, "sustained": 1200}
    assert budget.blocked_for("other") == 0.0
