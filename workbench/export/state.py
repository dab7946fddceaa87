"""The sidecar state file of a streaming export: enough to resume it after an interruption.

Written next to the output (``<name>.export-state.json``) after every committed page, atomically
(temporary file, then rename), so it always names a page boundary that the staging file
really contains. It holds the query's SHA-256 (to refuse resuming a different query), never
the query text or the API key: the file sits beside the data, maybe in a shared folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from workbench.export.files import ExportError, describe_os_error, temp_path
from workbench.export.keyset import Boundary, Phase

STATE_VERSION = 1
"""Bumped when the fields change; an older file is not resumed."""


def state_path(destination: Path) -> Path:
    """The sidecar of ``destination``: visible, so people notice an export can be resumed."""
    return destination.parent / f"{destination.name}.export-state.json"


def query_digest(sql: str) -> str:
    """SHA-256 of the query text as it will be wrapped (whitespace at the ends ignored)."""
    return hashlib.sha256(sql.strip().rstrip(";").strip().encode()).hexdigest()


@dataclass
class ExportState:
    """Progress of one export, as of its last committed page."""

    sql_sha256: str
    key: str
    tiebreak: str | None
    format: str
    page_size: int
    columns: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    phase: Phase | None = "keyed"
    """The phase to continue, or None when every row is written (only finishing is left)."""
    boundary: list[Any] | None = None
    """Cursor values the next page starts at (None: the phase's start)."""
    inclusive: bool = False
    rows_written: int = 0
    pages: int = 0
    """Queries that returned rows or closed a phase (the count query excluded)."""
    committed_bytes: int = 0
    """Length of the staging file that holds exactly ``rows_written`` rows (and the header)."""
    total_rows: int | None = None
    version: int = STATE_VERSION

    @property
    def next_boundary(self) -> Boundary | None:
        if self.boundary is None:
            return None
        return Boundary(tuple(self.boundary), self.inclusive)

    def move_to(self, boundary: Boundary | None) -> None:
        self.boundary = list(boundary.values) if boundary is not None else None
        self.inclusive = boundary.inclusive if boundary is not None else False

    def save(self, path: Path) -> None:
        """Write atomically; ``ExportError`` when the disk refuses (the old state stays)."""
        temp = temp_path(path)
        try:
            temp.write_bytes(orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2))
            os.replace(temp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise ExportError(describe_os_error(exc, path)) from None

    @classmethod
    def load(cls, path: Path) -> ExportState | None:
        """The saved state, or None when there is none; ``ExportError`` when unreadable."""
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            raise ExportError(f"Cannot read the export state {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ExportError(f"The export state {path} is from another version; start over.")
        try:
            return cls(**data)
        except TypeError:
            raise ExportError(f"The export state {path} is damaged; start over.") from None
