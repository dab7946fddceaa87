"""The headless API the app uses to switch profile and project without restarting."""

from __future__ import annotations

import pytest

from tests.config.conftest import KEY, WriteSettings
from workbench.config import ConfigError
from workbench.config.model import mask_keys
from workbench.config.switching import (
    ProfileSummary,
    list_profiles,
    settings_for_profile,
    with_project,
)
from workbench.connection import ConnectionError_, ConnectionSettings


def test_list_profiles_reads_no_key(write_settings: WriteSettings) -> None:
    write_settings(
        'default_profile = "eu"\n'
        '[profiles.us]\nhost = "us"\nproject = 1\nkey_command = "definitely-not-run"\n'
        '[profiles.eu]\nhost = "eu"\nproject = "@current"\nkey_env = "EU_KEY"\n'
        "[profiles.bare]\n"
    )
    assert list_profiles() == [
        ProfileSummary("us", "us", "1", "the output of `definitely-not-run`", False),
        ProfileSummary("eu", "eu", "@current", "environment variable EU_KEY", True),
        ProfileSummary("bare", None, None, "environment (POSTHOG_*)", False),
    ]


def test_list_profiles_without_a_file_is_empty() -> None:
    assert list_profiles() == []


def test_settings_for_profile_wins_over_the_environment(write_settings: WriteSettings) -> None:
    write_settings('[profiles.eu]\nhost = "eu"\nproject = 5\nkey_env = "EU_KEY"\n')
    settings = settings_for_profile("eu", environ={"EU_KEY": KEY, "POSTHOG_PROJECT_ID": "9"})
    assert (settings.host, settings.project_id, settings.api_key) == (
        "https://eu.posthog.com",
        "5",
        KEY,
    )
    with pytest.raises(ConfigError, match="There is no profile 'us'"):
        settings_for_profile("us", environ={})
    with pytest.raises(ConnectionError_, match="EU_KEY is not set"):
        settings_for_profile("eu", environ={})


def test_with_project_keeps_host_and_key() -> None:
    settings = ConnectionSettings(host="https://us.posthog.com", project_id="1", api_key=KEY)
    moved = with_project(settings, 77)
    assert (moved.host, moved.project_id, moved.api_key) == (settings.host, "77", KEY)
    assert with_project(settings, "@current").project_id == "@current"
    with pytest.raises(ConfigError, match=r"must be a number .*not 'phx_…'"):
        with_project(settings, KEY)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"echo {KEY}", "echo phx_…"),
        ("pass show phc_0123456789abcdef", "pass show phc_…"),
        ("phx_short", "phx_short"),
        ("graph_x_0123456789", "graph_x_0123456789"),
    ],
)
def test_mask_keys(text: str, masked: str) -> None:
    assert mask_keys(text) == masked
