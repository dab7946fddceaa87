"""``workbench history`` and ``workbench history show ID`` against a history in WORKBENCH_HOME."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.history.conftest import HOST
from workbench.cli import EXIT_OK, EXIT_USAGE, main
from workbench.history import HistoryStore, default_path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "120")
    yield tmp_path


@pytest.fixture
def filled(home: Path) -> dict[str, int]:
    with HistoryStore() as store:
        ok = store.record_submitted(
            "SELECT event,\n  count()\nFROM events", host=HOST, project_id=1
        )
        store.record_finished(
            ok, state="done", row_count=2, columns=["event", "n"], types=["String", "UInt64"],
            rows=[["$pageview", 10], ["$identify", 3]], duration=1.5,
        )  # fmt: skip
        bad = store.record_submitted("SELEC 1", host=HOST, project_id=2)
        store.record_finished(bad, state="failed", error_code="HogQLError", error_message="oops")
        again = store.record_submitted("SELEC 1", host=HOST, project_id=2)
        store.record_finished(again, state="failed", error_message="oops")
        store.set_name(ok, "events by count")
        store.set_starred(ok)
    assert default_path() == home / "data" / "history.sqlite3"
    return {"ok": ok, "bad": again}


def test_lists_newest_first_one_line_each(
    filled: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "ID", "STARTED", "(UTC)", "PROJECT", "STATE", "ROWS", "TIME", "RUNS", "QUERY"
    ]  # fmt: skip
    assert lines[1].startswith(f"{filled['bad']} ") and "×2" in lines[1] and "failed" in lines[1]
    assert lines[2].startswith(f"{filled['ok']}*")
    assert "[events by count] SELECT event, count() FROM events" in lines[2]
    assert "1.50 s" in lines[2] and len(lines) == 3


def test_search_limit_and_state(filled: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--search", "count", "--json"]) == EXIT_OK
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [filled["ok"]]
    assert main(["history", "--limit", "1", "--json"]) == EXIT_OK
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [filled["bad"]]
    assert main(["history", "--state", "done", "--json"]) == EXIT_OK
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [filled["ok"]]
    assert main(["history", "--project", "2", "--json"]) == EXIT_OK
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == [filled["bad"]]


def test_json_is_complete_and_machine_readable(
    filled: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--json"]) == EXIT_OK
    entries = json.loads(capsys.readouterr().out)
    ok = entries[1]
    assert ok["sql"] == "SELECT event,\n  count()\nFROM events"
    assert ok["columns"] == ["event", "n"] and ok["duration"] == 1.5
    assert ok["started_at"].endswith("+00:00") and ok["starred"] is True
    assert entries[0]["run_count"] == 2 and "sample" not in ok


def test_show_prints_the_entry_and_its_sample(
    filled: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "show", str(filled["ok"])]) == EXIT_OK
    out = capsys.readouterr().out
    assert "name:       events by count" in out
    assert "connection: https://us.posthog.com, project 1" in out
    assert "SELECT event,\n  count()\nFROM events\n" in out
    assert "Sample: 2 rows" in out
    assert "$pageview  10" in out


def test_show_json_includes_the_sample(
    filled: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "show", str(filled["ok"]), "--json"]) == EXIT_OK
    entry = json.loads(capsys.readouterr().out)
    assert entry["sample"]["rows"] == [["$pageview", 10], ["$identify", 3]]


def test_show_unknown_id_is_a_usage_error(
    filled: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "show", "999"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == "" and "No history entry 999" in captured.err


def test_empty_history_says_so(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == EXIT_OK
    assert "No history yet." in capsys.readouterr().err
    assert main(["history", "--search", "x"]) == EXIT_OK
    assert "No history entries match." in capsys.readouterr().err


def test_a_moved_aside_file_is_reported(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    default_path().parent.mkdir(parents=True)
    default_path().write_bytes(b"garbage" * 1000)
    assert main(["history"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "could not be read; it was moved to" in err and "history.sqlite3.corrupt-" in err


def test_bad_limit_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--limit", "0"]) == EXIT_USAGE
    assert "--limit" in capsys.readouterr().err


def test_long_sql_is_cut_to_the_terminal_width(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore() as store:
        store.record_submitted(
            "SELECT " + ", ".join(f"c{i}" for i in range(100)), host=HOST, project_id=1
        )
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["history"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in lines) and lines[1].endswith("…")
