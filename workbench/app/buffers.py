"""Editor buffers that survive a restart: a JSON file in the user data directory.

Written atomically (temp file + ``os.replace``), so a crash mid-write never loses the
previous state. Headless: no Textual.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

BUFFERS_FILE_NAME = "buffers.json"
"""File name inside the data directory."""

BUFFERS_FORMAT_VERSION = 1
"""Bumped when the shape changes; an unknown version is ignored rather than misread."""


@dataclass
class SavedBuffer:
    """One editor tab: its title, text, cursor (row, column) and file path, if any."""

    title: str
    text: str
    cursor_row: int = 0
    cursor_column: int = 0
    path: str | None = None


@dataclass
class SavedBuffers:
    """All tabs and which one was active (an index into ``buffers``)."""

    buffers: list[SavedBuffer]
    active: int = 0


def default_data_dir() -> Path:
    """The per-user data directory (platformdirs), e.g. ``~/.local/share/hogql-workbench``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("hogql-workbench", appauthor=False))


class BufferStore:
    """Loads and saves ``SavedBuffers`` as JSON at ``directory / buffers.json``."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / BUFFERS_FILE_NAME

    def load(self) -> SavedBuffers | None:
        """The saved buffers, or None if there are none or the file is unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != BUFFERS_FORMAT_VERSION:
                return None
            buffers = [SavedBuffer(**item) for item in data["buffers"]]
            active = int(data.get("active", 0))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if not buffers:
            return None
        return SavedBuffers(buffers=buffers, active=min(max(active, 0), len(buffers) - 1))

    def save(self, saved: SavedBuffers) -> None:
        """Write atomically; creates the directory."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": BUFFERS_FORMAT_VERSION,
            "active": saved.active,
            "buffers": [asdict(buffer) for buffer in saved.buffers],
        }
        fd, temp_name = tempfile.mkstemp(prefix=".buffers-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
