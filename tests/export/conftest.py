"""Helpers for the export tests: a disk that fills up after a given number of bytes."""

from __future__ import annotations

import errno
from typing import IO, Any

import pytest

from workbench.export.files import StagingFile


class FillingDisk:
    """A file wrapper whose writes fail with ENOSPC once ``room`` bytes have been written."""

    def __init__(self, handle: IO[bytes], room: int) -> None:
        self._handle = handle
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Make every ``StagingFile`` opened from now on hit a full disk after ``room`` bytes."""
    original = StagingFile.open

    def open_on_small_disk(self: StagingFile) -> StagingFile:
        original(self)
        assert self._handle is not None
        self._handle = FillingDisk(self._handle, room)  # type: ignore[assignment]
        return self

    monkeypatch.setattr(StagingFile, "open", open_on_small_disk)
