"""Files for exports: atomic replacement, an append-only staging file, and clear errors.

Nothing reaches the destination path until the export is complete: rows go to a staging
file next to it (same directory, so the final ``os.replace`` is atomic and never copies),
which is then renamed over the destination. A failed write (full disk, lost permission)
truncates the staging file back to the last committed length, so the rows already exported
stay valid and a resumed export continues from there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import IO


class ExportError(Exception):
    """An export could not be written or continued; ``str()`` is a sentence for people."""


def describe_os_error(exc: OSError, path: Path) -> str:
    """A short sentence for a failed file operation on ``path`` (no traceback jargon)."""
    if exc.errno == errno.ENOSPC:
        return f"No space left on the device while writing {path}."
    if exc.errno == errno.EDQUOT:
        return f"Disk quota exceeded while writing {path}."
    if exc.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return f"Cannot write {path}: permission denied."
    if exc.errno == errno.ENOENT:
        return f"Cannot write {path}: {path.parent} does not exist."
    if exc.errno == errno.EISDIR:
        return f"Cannot write {path}: it is a folder."
    return f"Cannot write {path}: {exc.strerror or exc}."


def check_writable(destination: Path) -> None:
    """Raise ``ExportError`` unless a file can be created next to ``destination``.

    Checked before any query runs: an export must not spend the rate budget only to fail
    at its first write.
    """
    if destination.is_dir():
        raise ExportError(f"Cannot write {destination}: it is a folder.")
    if not destination.parent.is_dir():
        raise ExportError(f"Cannot write {destination}: {destination.parent} is not a folder.")
    probe = destination.parent / f".{destination.name}.{secrets.token_hex(4)}.probe"
    try:
        probe.open("xb").close()
    except OSError as exc:
        raise ExportError(describe_os_error(exc, destination)) from None
    with contextlib.suppress(OSError):
        probe.unlink()


def staging_path(destination: Path) -> Path:
    """Where rows go until the export is complete: a hidden file next to the destination."""
    return destination.parent / f".{destination.name}.part"


def temp_path(destination: Path) -> Path:
    """A fresh hidden temporary name next to ``destination`` (same file system)."""
    return destination.parent / f".{destination.name}.{secrets.token_hex(6)}.tmp"


def replace_atomically(source: Path, destination: Path) -> None:
    """fsync ``source`` and rename it over ``destination`` (atomic on POSIX and Windows)."""
    try:
        with source.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(source, destination)
    except OSError as exc:
        raise ExportError(describe_os_error(exc, destination)) from None


class StagingFile:
    """An append-only file whose committed length survives failures and restarts.

    ``append`` writes bytes; ``commit`` makes everything appended so far the new committed
    length (flushed and fsynced, so a sidecar naming this length can be trusted). A failed
    append truncates back to the committed length and raises ``ExportError``.
    """

    def __init__(self, path: Path, destination: Path, *, committed: int = 0) -> None:
        self.path = path
        self.destination = destination
        """The final file; named in error messages (the staging name is an implementation detail)."""
        self.committed = committed
        """Bytes of the file known to be complete and durable."""
        self._handle: IO[bytes] | None = None

    def open(self) -> StagingFile:
        """Open for appending, truncated to ``committed`` (drops a half-written page)."""
        try:
            mode = "rb+" if self.committed and self.path.exists() else "wb"
            if self.committed and mode == "wb":
                raise ExportError(
                    f"Cannot resume {self.destination}: its partial file {self.path} is gone."
                )
            handle = self.path.open(mode)
            handle.truncate(self.committed)
            handle.seek(self.committed)
        except OSError as exc:
            raise ExportError(describe_os_error(exc, self.destination)) from None
        self._handle = handle
        return self

    def append(self, data: bytes) -> None:
        """Append ``data`` (buffered); on failure truncate to ``committed`` and raise."""
        assert self._handle is not None, "open() first"
        try:
            self._handle.write(data)
        except OSError as exc:
            self._rollback()
            raise ExportError(describe_os_error(exc, self.destination)) from None

    def commit(self) -> int:
        """Flush and fsync; returns the new committed length in bytes."""
        assert self._handle is not None, "open() first"
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self.committed = self._handle.tell()
        except OSError as exc:
            self._rollback()
            raise ExportError(describe_os_error(exc, self.destination)) from None
        return self.committed

    def _rollback(self) -> None:
        """Drop whatever was appended after the last commit (best effort: the disk may be full)."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            handle.close()  # its buffer may fail to flush: that is the part we drop anyway
        with contextlib.suppress(OSError):
            os.truncate(self.path, self.committed)

    def close(self) -> None:
        """Close without committing what was appended since the last commit."""
        self._rollback()

    def __enter__(self) -> StagingFile:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
