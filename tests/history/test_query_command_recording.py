"""``workbench query`` records each run in query history, like the app does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.client.fake_posthog import API_KEY, FakePostHog, serve_in_thread
from workbench.cli import main
from workbench.history import HistoryStore


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", API_KEY)
    return tmp_path


@pytest.fixture
def url(home: Path) -> Iterator[str]:
    with serve_in_thread(FakePostHog()) as base_url:
        yield base_url


def recorded() -> list[tuple[str, str, str | None]]:
    with HistoryStore() as store:
        return [(e.sql, e.state, e.error_code) for e in store.recent()]


def test_a_successful_run_is_recorded_with_its_rows(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "--host", url, "--project", "1", "SELECT event, n FROM events"]) == 0
    with HistoryStore() as store:
        (entry,) = store.recent()
    assert (entry.sql, entry.state, entry.source) == ("SELECT event, n FROM events", "done", "cli")
    assert (entry.host, entry.project_id) == (url, "1")
    assert entry.row_count is not None and entry.row_count > 0
    assert entry.client_query_id and len(entry.client_query_id) == 32


def test_a_failed_run_is_recorded_with_its_error(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "--host", url, "--project", "1", "SELECT nope FROM events"]) == 1
    ((sql, state, code),) = recorded()
    assert (sql, state, code) == ("SELECT nope FROM events", "failed", "hogql_query_error")


def test_no_history_records_nothing(
    url: str, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    args = ["query", "--host", url, "--project", "1", "--no-history", "SELECT 1"]
    assert main(args) == 0
    assert not list(home.rglob("history.sqlite3"))
