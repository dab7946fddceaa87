"""Switch connection without restarting: pick a profile, then one of its key's projects.

Dismisses with a ``ConnectionChoice`` (new ``ConnectionSettings`` and labels for the status
bar) or None on escape. The app swaps its client session for the new settings; this screen
only chooses. Messages shown here come from ``workbench.config`` and never hold the key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from workbench.config.switching import list_profiles, settings_for_profile, with_project

if TYPE_CHECKING:
    from workbench.client import Project
    from workbench.connection import ConnectionSettings

CURRENT_PROJECT = "@current"
"""Option id for the key owner's current project (always offered)."""

PROFILE_PROJECT = "profile-project"
"""Option id for the project the profile names (offered even when projects cannot be listed)."""


@dataclass(frozen=True)
class ConnectionChoice:
    """What the user picked: settings to connect with and what the status bar should say."""

    profile: str
    settings: ConnectionSettings
    host_label: str
    project_label: str


async def default_fetch_projects(settings: ConnectionSettings) -> list[Project]:
    """The key's projects (``workbench.config.probe``; the client loads only now)."""
    from workbench.config.probe import fetch_projects

    return await fetch_projects(settings)


class ConnectionPicker(ModalScreen["ConnectionChoice | None"]):
    """Two steps in one list: profiles first, then the chosen profile's projects."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ConnectionPicker { align: center middle; }
    #picker-box { width: 80; height: auto; max-height: 80%; border: thick $primary;
                  background: $surface; padding: 1 2; }
    #picker-options { height: auto; max-height: 20; }
    #picker-status { color: $text-muted; }
    """

    def __init__(
        self,
        *,
        config_path: Path | None = None,
        fetch_projects: Callable[[ConnectionSettings], Awaitable[list[Project]]] = (
            default_fetch_projects
        ),
    ) -> None:
        super().__init__()
        self.config_path = config_path
        self.fetch_projects = fetch_projects
        self.profile: str | None = None
        self.settings: ConnectionSettings | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label("Switch connection: choose a profile", id="picker-title", markup=False)
            yield OptionList(id="picker-options")
            yield Label("", id="picker-status", markup=False)

    def on_mount(self) -> None:
        """List the profiles (a file read; no key is fetched yet)."""
        from workbench.connection import ConnectionError_

        try:
            profiles = list_profiles(self.config_path)
        except ConnectionError_ as exc:
            self.show_status(str(exc))
            return
        if not profiles:
            self.show_status("No profiles yet: run `workbench config init` in a terminal.")
            return
        options = self.query_one("#picker-options", OptionList)
        for summary in profiles:
            where = " · ".join(part for part in (summary.host, summary.project) if part)
            default = "  (default)" if summary.is_default else ""
            options.add_option(Option(f"{summary.name}  {where}{default}", id=summary.name))
        options.highlighted = 0
        options.focus()

    def show_status(self, text: str) -> None:
        """A line under the list: progress, or what went wrong (never a key)."""
        self.query_one("#picker-status", Label).update(text)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id is None:
            return
        if self.settings is None:
            self.profile = option_id
            self.show_status(f"Connecting with profile {option_id!r}…")
            self.run_worker(self.load_projects(option_id), exclusive=True, group="picker")
        else:
            self.choose_project(option_id)

    async def load_projects(self, profile: str) -> None:
        """Resolve the profile (a key command may run: off the event loop), list its projects."""
        from workbench.connection import ConnectionError_

        try:
            settings = await asyncio.to_thread(
                settings_for_profile, profile, config_path=self.config_path
            )
        except ConnectionError_ as exc:
            self.show_status(str(exc))
            return
        self.settings = settings
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        self.query_one("#picker-title", Label).update(f"Profile {profile!r}: choose a project")
        options.add_option(
            Option(f"the profile's project ({settings.project_id})", id=PROFILE_PROJECT)
        )
        options.highlighted = 0
        try:
            projects = await self.fetch_projects(settings)
        except Exception as exc:  # e.g. no project:read (the profile's project still works):
            self.show_status(str(exc))  # shown, never raised into the app
            return
        for project in projects:
            options.add_option(Option(f"{project.id}  {project.name}", id=str(project.id)))
        options.add_option(
            Option("@current  (the key owner's current project)", id=CURRENT_PROJECT)
        )
        self.show_status(f"{len(projects)} project(s) on {settings.host}")
        options.focus()

    def choose_project(self, option_id: str) -> None:
        """Dismiss with the chosen profile's settings pointed at ``option_id``'s project."""
        assert self.settings is not None and self.profile is not None
        settings = (
            self.settings
            if option_id == PROFILE_PROJECT
            else with_project(self.settings, option_id)
        )
        self.dismiss(
            ConnectionChoice(
                profile=self.profile,
                settings=settings,
                host_label=f"{self.profile} · {settings.host}",
                project_label=settings.project_id,
            )
        )

    def action_cancel(self) -> None:
        """Escape: keep the current connection."""
        self.dismiss(None)
