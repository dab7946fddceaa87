"""A damaged file is moved aside; no space or a read-only place degrades to memory."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.history.conftest import HOST, record
from workbench.history import HistoryStore


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"not a database\n" * 500), id="garbage"),
        pytest.param(
            lambda path: path.write_bytes(b"\0" * 100 + path.read_bytes()[100:]), id="header"
        ),
    ],
)
def test_corrupt_file_is_moved_aside_and_a_fresh_one_started(
    history_path: Path, damage: object
) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT lost")
    damage(history_path)  # type: ignore[operator]
    damaged = history_path.read_bytes()
    with HistoryStore(history_path) as store:
        assert store.degraded_reason is None
        assert store.moved_aside is not None
        assert store.moved_aside.name.startswith("history.sqlite3.corrupt-")
        assert store.notice is not None and str(store.moved_aside) in store.notice
        assert store.moved_aside.read_bytes() == damaged  # kept for the user, untouched
        assert store.recent() == []
        record(store, "SELECT fresh")
    with HistoryStore(history_path) as store:
        assert [e.sql for e in store.recent()] == ["SELECT fresh"]
        assert store.notice is None


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i``: read-only even for root (skips where the filesystem cannot)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make {path} immutable here")
    try:
        probe = path / ".probe" if path.is_dir() else path
        try:
            probe.touch() if path.is_dir() else probe.open("ab").close()
        except OSError:
            pass
        else:
            pytest.skip("immutable files are writable here")
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_read_only_folder_degrades_to_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with immutable(folder), HistoryStore(folder / "history.sqlite3") as store:
        assert store.degraded_reason is not None and "ro" in store.degraded_reason
        entry_id = record(store, "SELECT 1")
        assert [e.id for e in store.search("select")] == [entry_id]
    assert list(folder.iterdir()) == []


def test_read_only_folder_keeps_existing_history_visible(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        old = record(store, "SELECT old", rows=[[1]])
    with immutable(history_path.parent), HistoryStore(history_path) as store:
        assert store.degraded_reason is not None
        new = record(store, "SELECT new")
        assert [e.id for e in store.recent()] == [new, old]
        entry = store.get(old)
        assert entry is not None and entry.sample is not None
    with HistoryStore(history_path) as store:  # the file was not touched
        assert [e.id for e in store.recent()] == [old]


def test_read_only_file_degrades_to_memory(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT old")
    with immutable(history_path), HistoryStore(history_path) as store:
        assert store.degraded_reason is not None
        record(store, "SELECT new")
        assert [e.sql for e in store.recent()] == ["SELECT new", "SELECT old"]


def test_uncreatable_folder_degrades_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the data folder should be")
    with HistoryStore(blocker / "data" / "history.sqlite3") as store:
        assert store.degraded_reason is not None and "cannot create" in store.degraded_reason
        assert record(store, "SELECT 1") > 0


def test_path_that_is_a_folder_degrades_to_memory(history_path: Path) -> None:
    history_path.mkdir(parents=True)
    with HistoryStore(history_path) as store:
        assert store.degraded_reason is not None
        assert record(store, "SELECT 1") > 0


def test_full_disk_mid_session_degrades_and_keeps_recording(
    history_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with HistoryStore(history_path) as store:
        before = record(store, "SELECT before", rows=[[1]])
        running = store.record_submitted("SELECT running", host=HOST, project_id=1)
        # Simulate a full disk: the database may not grow by another page.
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        ids = [record(store, f"SELECT {i}, '{'x' * 2000}'") for i in range(20)]
        assert store.degraded_reason is not None and "full" in store.degraded_reason
        assert "in memory only" in caplog.text
        assert store.record_finished(running, state="done")  # a run begun on disk ends fine
        assert len(set(ids)) == 20 and all(i > 0 for i in ids)
        assert [e.id for e in store.recent(limit=100)][-2:] == [running, before]
        entry = store.get(before)
        assert entry is not None and entry.sample is not None


def test_a_file_of_a_newer_schema_opens_as_is(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT 1")
    conn = sqlite3.connect(history_path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with HistoryStore(history_path) as store:
        assert store.degraded_reason is None and store.notice is None
        assert store.count() == 1


def test_unreadable_file_is_moved_aside(
    history_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT old")
    import workbench.history.opening as opening

    # Tests run as root, which chmod cannot lock out; report the file as unreadable instead.
    monkeypatch.setattr(opening.os, "access", lambda path, mode: Path(path) != history_path)
    with HistoryStore(history_path) as store:
        assert store.degraded_reason is None and store.moved_aside is not None
        assert store.recent() == [] and record(store, "SELECT new") > 0


def test_a_writer_waits_for_another_process_lock(history_path: Path) -> None:
    import threading

    with HistoryStore(history_path) as store:
        record(store, "SELECT first")
        other = sqlite3.connect(history_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        released = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        released.start()
        try:
            entry_id = store.record_submitted("SELECT waited", host=HOST, project_id=1)
        finally:
            released.join()
            other.close()
        assert entry_id > 0 and store.degraded_reason is None
        assert [e.sql for e in store.recent()] == ["SELECT waited", "SELECT first"]


def test_damage_found_mid_session_is_checked_and_moved_aside_at_next_open(
    history_path: Path,
) -> None:
    with HistoryStore(history_path) as store:
        record(store, "SELECT small")
        big = record(store, "SELECT big", rows=[[i, "x" * 100] for i in range(400)])
    # The big sample was written last: its overflow pages end the file. Wreck them.
    data = bytearray(history_path.read_bytes())
    data[-16_384:] = b"\xff" * 16_384
    history_path.write_bytes(bytes(data))
    with HistoryStore(history_path) as store:
        assert store.moved_aside is None  # the quick open-time probe does not read samples
        assert store.get(big) is None  # reading the sample meets the damage
        assert store.degraded_reason is not None and "malformed" in store.degraded_reason
        assert record(store, "SELECT still works") > 0
    with HistoryStore(history_path) as store:
        assert store.moved_aside is not None and store.notice is not None
        assert store.recent() == [] and store.degraded_reason is None
    assert not history_path.with_name("history.sqlite3.suspect").exists()
