"""The typed payload of an export-all run: where it writes and how far it got.

A run with ``QueryRun.export`` set is an export of every row of ``QueryRun.sql`` to a file
(``workbench.export.ExportJob``), not a query whose result is shown. It lives in the same
registry as queries so the sidebar lists, cancels and clears both the same way. Headless:
the export package's types are named for type checking only.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.export.progress import ExportProgress, ExportSummary


@dataclass
class ExportTask:
    """One export-all: ``destination`` in ``fmt``, paged on ``key``.

    ``progress`` is the job's latest report (rows include those of earlier runs when
    resumed); ``summary`` is set once the file is complete. ``resumed_from`` is how many
    rows the file already held when this run started (0 for a fresh export).
    """

    destination: Path
    fmt: str
    key: str
    resumed_from: int = 0
    progress: ExportProgress | None = None
    summary: ExportSummary | None = None
    resumable: bool = False
    """Set when the run stopped early and the destination's sidecar state can continue it."""
    resumed_later: bool = False
    """Set when a later run took over this one's file and sidecar to continue it."""

    @property
    def file_name(self) -> str:
        """The destination's name, as the sidebar shows it (the full path is in the details)."""
        return self.destination.name

    @property
    def rows_written(self) -> int:
        """Rows in the file (or its staging copy) so far."""
        if self.summary is not None:
            return self.summary.rows
        if self.progress is not None:
            return self.progress.rows
        return self.resumed_from

    @property
    def page_query_id(self) -> str | None:
        """``client_query_id`` of the page (or count) query in flight, if one is."""
        progress = self.progress
        if progress is None or progress.stage not in ("querying", "counting"):
            return None
        return progress.query_id

    def resume_command(self, sql: str) -> str:
        """The shell command that continues this export outside the app."""
        parts = ["workbench", "export", sql, "--output", str(self.destination)]
        parts += ["--format", self.fmt, "--key", self.key, "--resume"]
        return shlex.join(parts)
