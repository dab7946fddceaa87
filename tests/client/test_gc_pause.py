"""The collector is kept away from decoded results, and always handed back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from workbench.client.gc_pause import paused_gc


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()


def test_off_inside_on_after_and_results_end_up_old() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
        rows = [[i, str(i)] for i in range(1000)]
    assert gc.isenabled()
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert id(rows) in oldest and id(rows[500]) in oldest  # skipped by young collections
    assert gc.get_freeze_count() == 0


def test_restored_after_an_exception() -> None:
    gc.enable()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_disabled_stays_disabled_and_small_work_is_left_alone() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()
    gc.enable()
    with paused_gc(enabled=False):
        assert gc.isenabled()


def test_someone_elses_frozen_objects_stay_frozen() -> None:
    gc.enable()
    gc.freeze()  # as a pre-fork server would
    frozen = gc.get_freeze_count()
    with paused_gc():
        [[i] for i in range(100)]
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
