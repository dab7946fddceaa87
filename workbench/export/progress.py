"""What an export reports while it runs, and what it returns when done (plain data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Stage = Literal["counting", "querying", "waiting", "finishing", "done"]
"""What the job is doing: ``waiting`` is a rate-limit pause (``ExportProgress.waiting``)."""


@dataclass(frozen=True)
class ExportProgress:
    """One progress report. Seconds for times; ``None`` where not known yet."""

    stage: Stage
    rows: int
    """Rows written so far (including those of earlier, resumed runs)."""
    pages: int
    total_rows: int | None
    elapsed: float
    """Seconds since this run started."""
    rows_per_second: float | None
    """Rows written by this run per second of this run."""
    eta: float | None
    """Seconds left at the current rate, when the total is known."""
    waiting: float | None = None
    """Seconds of the current rate-limit wait (stage ``waiting``)."""
    query_id: str | None = None
    """``client_query_id`` of the query in flight (stage ``querying``)."""

    @property
    def fraction(self) -> float | None:
        """Rows written / total, 0..1, when the total is known."""
        if not self.total_rows:
            return None
        return min(1.0, self.rows / self.total_rows)


@dataclass(frozen=True)
class ExportSummary:
    """The finished export: rows and pages written to ``path``."""

    path: Path
    rows: int
    pages: int
    seconds: float


ProgressCallback = Callable[[ExportProgress], None]
