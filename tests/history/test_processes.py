"""Two processes appending at once lose nothing; kill -9 mid-write loses no committed run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from workbench.history import HistoryStore

WRITER = Path(__file__).with_name("writer.py")
"""The child process script."""

REPO = Path(__file__).resolve().parents[2]
"""Repository root, so the child can import ``workbench``."""

RUNS_PER_WRITER = 300
"""Enough interleaved commits to collide many times, small enough to stay ~1 s."""


def start_writer(path: Path, tag: str, count: int, go_file: Path | None) -> subprocess.Popen[str]:
    args = [sys.executable, str(WRITER), str(path), tag, str(count)]
    if go_file is not None:
        args.append(str(go_file))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    go = tmp_path / "go"
    writers = [start_writer(path, tag, RUNS_PER_WRITER, go) for tag in ("a", "b")]
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
    go.touch()  # both start writing together
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip().splitlines()[-1] == "degraded: None"
    ids = [int(line) for out, _ in outputs for line in out.split() if line.isdigit()]
    assert len(ids) == len(set(ids)) == 2 * RUNS_PER_WRITER
    with HistoryStore(path) as store:
        entries = store.search(limit=10_000)
        assert store.count() == 2 * RUNS_PER_WRITER
    assert {e.sql for e in entries} == {
        f"SELECT '{tag}-{i}' FROM events" for tag in ("a", "b") for i in range(RUNS_PER_WRITER)
    }
    assert all(e.state == "done" and e.has_sample for e in entries)


def test_kill_9_during_writes_keeps_every_committed_run(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    writer = start_writer(path, "k", 0, None)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    committed: list[int] = []
    while len(committed) < 200:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "writer died"
        committed.append(int(line))
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    committed += [int(line) for line in rest.split() if line.isdigit()]
    assert writer.returncode == -signal.SIGKILL
    assert path.with_name(path.name + "-wal").exists()  # it really died mid-session
    with HistoryStore(path) as store:
        assert store.degraded_reason is None and store.notice is None
        for entry_id in committed:
            entry = store.get(entry_id)
            assert entry is not None and entry.state == "done", entry_id
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
