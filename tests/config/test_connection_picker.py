"""The connection picker screen: profile, then project; errors shown, never the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Label, OptionList

from tests.config.conftest import KEY, WriteSettings
from workbench.app.screens.connection_picker import ConnectionChoice, ConnectionPicker
from workbench.client import PermissionDenied, Project
from workbench.config.probe import explain
from workbench.connection import ConnectionSettings


class PickerHost(App[None]):
    """A bare app that opens the picker and keeps what it dismissed with."""

    def __init__(self, picker: ConnectionPicker) -> None:
        super().__init__()
        self.picker = picker
        self.results: list[ConnectionChoice | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.picker, self.results.append)


def texts(app: PickerHost) -> str:
    screen = app.screen
    labels = [str(label.render()) for label in screen.query(Label)]
    options = screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return "\n".join(labels + prompts)


PROFILES = (
    'default_profile = "eu"\n'
    '[profiles.us]\nhost = "us"\nproject = 1\nkey_env = "US_KEY"\n'
    '[profiles.eu]\nhost = "eu"\nproject = 5\nkey_env = "EU_KEY"\n'
)


async def test_pick_a_profile_then_a_project(
    write_settings: WriteSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings(PROFILES)
    monkeypatch.setenv("EU_KEY", KEY)
    asked: list[ConnectionSettings] = []

    async def projects(settings: ConnectionSettings) -> list[Project]:
        asked.append(settings)
        return [Project(5, "Web"), Project(7, "Mobile")]

    app = PickerHost(ConnectionPicker(fetch_projects=projects))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "us  us · 1" in texts(app) and "eu  eu · 5  (default)" in texts(app)
        await pilot.press("down", "enter")  # the second profile: eu
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = texts(app)
        assert "7  Mobile" in shown and "2 project(s) on https://eu.posthog.com" in shown
        assert KEY not in shown
        await pilot.press("down", "down", "enter")  # profile's project, 5 Web, 7 Mobile
        await pilot.pause()
    assert asked[0].api_key == KEY and asked[0].host == "https://eu.posthog.com"
    choice = app.results[0]
    assert choice is not None
    assert (choice.profile, choice.settings.project_id, choice.settings.api_key) == ("eu", "7", KEY)
    assert choice.host_label == "eu · https://eu.posthog.com" and choice.project_label == "7"


async def test_a_profile_without_its_key_says_where_it_looked(
    write_settings: WriteSettings,
) -> None:
    write_settings(PROFILES)

    async def projects(settings: ConnectionSettings) -> list[Project]:
        raise AssertionError("not reached")

    app = PickerHost(ConnectionPicker(fetch_projects=projects))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # us
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "environment variable US_KEY is not set" in texts(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_without_project_read_the_profiles_project_is_offered(
    write_settings: WriteSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings(PROFILES)
    monkeypatch.setenv("US_KEY", KEY)

    async def projects(settings: ConnectionSettings) -> list[Project]:
        denied = PermissionDenied("API key missing required scope 'project:read'", status=403)
        raise explain(denied, settings, step="projects")

    app = PickerHost(ConnectionPicker(fetch_projects=projects))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "lacks the project:read scope" in texts(app)
        await pilot.press("enter")  # the profile's project
        await pilot.pause()
    choice = app.results[0]
    assert choice is not None and choice.settings.project_id == "1"


async def test_no_settings_file_points_at_config_init(tmp_path: Path) -> None:
    app = PickerHost(ConnectionPicker())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "workbench config init" in texts(app)
