"""Fixtures for the history store: a store in a temporary folder with a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.history import HistorySettings, HistoryStore

HOST = "https://us.posthog.com"
"""The host most tests record against."""

START = 1_790_000_000.0
"""A fixed epoch second (2026-09-21) where the test clock starts."""


class Clock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=[True, False], ids=["fts5", "like"])
def full_text(request: pytest.FixtureRequest) -> bool:
    """Run a test with FTS5 search and again with the LIKE fallback forced."""
    value: bool = request.param
    return value


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(history_path: Path, clock: Clock) -> Iterator[HistoryStore]:
    with HistoryStore(history_path, clock=clock, settings=HistorySettings()) as opened:
        assert opened.degraded_reason is None
        yield opened


def record(
    store: HistoryStore,
    sql: str,
    *,
    project: str | int = 1,
    host: str = HOST,
    state: str | None = "done",
    rows: list[list[object]] | None = None,
) -> int:
    """Submit and (unless ``state`` is None) finish one run; returns its id."""
    entry_id = store.record_submitted(sql, host=host, project_id=project)
    assert entry_id > 0
    if state is not None:
        assert store.record_finished(
            entry_id,
            state=state,  # type: ignore[arg-type]
            row_count=len(rows or []),
            columns=["x"],
            types=["Int64"],
            rows=rows,
        )
    return entry_id
