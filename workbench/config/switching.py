"""What the app needs to change profile or project without restarting (headless).

``list_profiles`` names what the settings file offers without touching any key;
``settings_for_profile`` resolves one (the key is fetched then); ``with_project`` points
settings at another project; ``probe.fetch_projects`` lists the projects to choose from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.config.errors import ConfigError
from workbench.config.load import load_settings_file
from workbench.config.model import mask_keys
from workbench.config.resolve import ConnectionFlags, pick_profile, resolve
from workbench.connection import ConnectionSettings


@dataclass(frozen=True)
class ProfileSummary:
    """A profile as a picker shows it: no key, only where the key comes from."""

    name: str
    host: str | None
    project: str | None
    key_source: str
    is_default: bool


def list_profiles(config_path: Path | None = None) -> list[ProfileSummary]:
    """The settings file's profiles in file order (empty when there is no file)."""
    settings_file = load_settings_file(config_path)
    default, _ = pick_profile(settings_file, None)
    return [
        ProfileSummary(
            name=profile.name,
            host=profile.host,
            project=profile.project,
            key_source=profile.key.describe() if profile.key else "environment (POSTHOG_*)",
            is_default=default is not None and default.name == profile.name,
        )
        for profile in settings_file.profiles.values()
    ]


def settings_for_profile(
    name: str,
    *,
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> ConnectionSettings:
    """Connection settings of profile ``name`` (no flags apply); ``ConnectionError_`` if incomplete."""
    return resolve(
        ConnectionFlags(), profile=name, config_path=config_path, environ=environ
    ).settings()


def with_project(settings: ConnectionSettings, project: int | str) -> ConnectionSettings:
    """``settings`` for another project of the same key; ``ConfigError`` for a bad id."""
    text = str(project).strip()
    if text != "@current" and not text.isdigit():
        raise ConfigError(
            f"The project id must be a number (or '@current'), not {mask_keys(repr(text))}."
        )
    return dataclasses.replace(settings, project_id=text)
