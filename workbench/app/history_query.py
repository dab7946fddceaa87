"""What the history browser asks the store for, and what it answers with (headless).

The screen keeps one frozen ``BrowserQuery`` and swaps it on every keystroke or filter
change; ``search_kwargs`` turns it into ``HistoryStore.search`` arguments for a moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

StateChoice = Literal["all", "done", "failed", "cancelled"]
DateChoice = Literal["all", "today", "7 days", "30 days"]
ProjectChoice = Literal["this project", "all projects"]

STATE_CHOICES: tuple[StateChoice, ...] = ("all", "done", "failed", "cancelled")
"""The state filter's values, in the order F2 cycles through them."""

DATE_CHOICES: tuple[DateChoice, ...] = ("all", "today", "7 days", "30 days")
"""The date filter's values, in the order F3 cycles through them."""

PROJECT_CHOICES: tuple[ProjectChoice, ...] = ("this project", "all projects")
"""The project filter's values (F4)."""

DAYS_BACK: dict[DateChoice, int] = {"7 days": 7, "30 days": 30}
"""Date choices that reach back a fixed number of days from now."""

C = TypeVar("C", bound=str)


def next_choice(choices: tuple[C, ...], current: C) -> C:
    """The choice after ``current``, wrapping around."""
    return choices[(choices.index(current) + 1) % len(choices)]


def since_for(date: DateChoice, now: datetime) -> datetime | None:
    """Start of the window: local midnight for ``today``, N days back, or None for ``all``."""
    if date == "today":
        local = now.astimezone()
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    days = DAYS_BACK.get(date)
    return None if days is None else now - timedelta(days=days)


@dataclass(frozen=True)
class HistoryChoice:
    """What the browser dismisses with: ``open`` the SQL in a new editor tab, or ``run`` it."""

    action: Literal["open", "run"]
    sql: str
    entry_id: int
    name: str | None = None


@dataclass(frozen=True)
class BrowserQuery:
    """The browser's search: filter text, History or Saved view, and the three filters."""

    text: str = ""
    saved: bool = False
    state: StateChoice = "all"
    date: DateChoice = "all"
    project: ProjectChoice = "this project"

    def search_kwargs(
        self, now: datetime, *, project_id: str | None, host: str | None
    ) -> dict[str, Any]:
        """Keyword arguments for ``HistoryStore.search`` (without ``limit``).

        ``this project`` narrows to ``project_id`` (and ``host`` when known); with no
        current project it lists everything.
        """
        kwargs: dict[str, Any] = {"text": self.text, "saved_only": self.saved}
        if self.state != "all":
            kwargs["state"] = self.state
        since = since_for(self.date, now)
        if since is not None:
            kwargs["since"] = since
        if self.project == "this project" and project_id is not None:
            kwargs["project"] = project_id
            if host is not None:
                kwargs["host"] = host
        return kwargs
