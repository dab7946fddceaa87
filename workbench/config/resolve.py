"""Which host, project and key to use: flags, then the profile, then the environment.

``resolve`` gathers every setting with where it came from (``config show`` prints that);
``Resolution.settings()`` turns it into ``ConnectionSettings`` or explains what is missing.
A flag overrides the profile only when it was given (``None`` means not given).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from workbench.config.errors import ConfigError
from workbench.config.hosts import expand_host
from workbench.config.keys import KeyUnavailable, fetch_key
from workbench.config.load import load_settings_file, names_hint
from workbench.config.model import InlineKey, Profile, SettingsFile, mask_keys
from workbench.connection import (
    ENV_API_KEY,
    ENV_HOST,
    ENV_PROJECT_ID,
    US_CLOUD,
    ConnectionSettings,
    how_to_connect,
)

DEFAULT_PROFILE_NAME = "default"
"""A profile by this name is used when the file names no default_profile."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectionFlags:
    """What the command line said; None (or False) means the flag was not given."""

    host: str | None = None
    project: str | None = None
    insecure: bool = False


@dataclass(frozen=True)
class Setting:
    """A resolved value and where it came from (``--host``, ``profile 'work'``, ``POSTHOG_HOST``)."""

    value: str | None
    origin: str | None = None


@dataclass(frozen=True)
class Resolution:
    """Everything ``resolve`` found. ``key`` is the secret itself and never shown.

    Invariant: ``key`` is None exactly when ``key_problem`` explains why;
    ``key_source_broken`` means the profile's source failed (a command, the keyring) rather
    than simply holding no key.
    """

    settings_file: SettingsFile
    profile: Profile | None
    profile_origin: str | None
    host: Setting
    project: Setting
    insecure: bool
    key: str | None = field(repr=False)
    key_origin: str | None
    key_problem: str | None
    key_source_broken: bool = False
    warnings: tuple[str, ...] = ()

    def settings(self) -> ConnectionSettings:
        """The connection settings; ``ConnectionError_`` saying what is missing or wrong."""
        if self.key_source_broken and self.key_problem:
            raise ConfigError(self.key_problem)
        missing = []
        if not self.host.value:
            missing.append(f"a host (--host or {ENV_HOST}, e.g. {US_CLOUD} or just 'us')")
        if not self.project.value:
            missing.append(f"a project id (--project or {ENV_PROJECT_ID}; '@current' works)")
        if self.key is None:
            where = (
                self.profile.key.describe()
                if self.profile is not None and self.profile.key is not None
                else ENV_API_KEY
            )
            missing.append(f"a personal API key in {where} (with the query:read scope)")
        if missing:
            message = how_to_connect(missing)
            if self.key is None and self.key_problem:
                message += f"\n\nLooked for the key in: {self.key_problem}."
            message += "\n\nOr save a connection profile: workbench config init"
            raise ConfigError(message)
        assert self.host.value and self.project.value and self.key is not None
        return ConnectionSettings(
            host=self.host.value,
            project_id=self.project.value,
            api_key=self.key,
            insecure=self.insecure,
        )


def resolve(
    flags: ConnectionFlags | None = None,
    *,
    profile: str | None = None,
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Resolution:
    """Resolve settings (flags > profile > environment).

    ``ConfigError`` at once for a broken file, an unknown profile, an ingestion host or a bad
    project id; a key that cannot be found is reported by ``Resolution.settings()``.
    """
    flags = flags or ConnectionFlags()
    env = os.environ if environ is None else environ
    settings_file = load_settings_file(config_path)
    chosen, chosen_origin = pick_profile(settings_file, profile)
    profile_label = f"profile {chosen.name!r}" if chosen else ""
    host = first_set(
        ("--host", flags.host),
        (profile_label, chosen.host if chosen else None),
        (ENV_HOST, env.get(ENV_HOST)),
    )
    if host.value:
        where = (
            f" (in {profile_label} of {settings_file.path})"
            if chosen and host.origin == profile_label
            else f" (from {host.origin})"
        )
        host = Setting(expand_host(host.value, where=where), host.origin)
    project = first_set(
        ("--project", flags.project),
        (profile_label, chosen.project if chosen else None),
        (ENV_PROJECT_ID, env.get(ENV_PROJECT_ID)),
    )
    check_project(project)
    lookup = find_key(settings_file, chosen, env)
    log.debug(
        "settings resolved: file=%s profile=%s host=%s (%s) project=%s (%s) key from %s",
        settings_file.path,
        chosen.name if chosen else None,
        host.value,
        host.origin,
        project.value,
        project.origin,
        lookup.origin,
    )
    return Resolution(
        settings_file=settings_file,
        profile=chosen,
        profile_origin=chosen_origin,
        host=host,
        project=project,
        insecure=flags.insecure or bool(chosen and chosen.insecure),
        key=lookup.key,
        key_origin=lookup.origin,
        key_problem=lookup.problem,
        key_source_broken=lookup.broken,
        warnings=lookup.warnings,
    )


def pick_profile(
    settings_file: SettingsFile, name: str | None
) -> tuple[Profile | None, str | None]:
    """The profile to use and why: ``--profile``, ``default_profile``, or one named default."""
    if name is not None:
        if not settings_file.exists:
            raise ConfigError(
                f"There is no profile {name!r}: no settings file at {settings_file.path}. "
                "Create one with: workbench config init"
            )
        if name not in settings_file.profiles:
            raise ConfigError(
                f"There is no profile {name!r} in {settings_file.path}. "
                + names_hint(settings_file.profile_names)
            )
        return settings_file.profiles[name], "--profile"
    if settings_file.default_profile is not None:
        return settings_file.profiles[settings_file.default_profile], "default_profile"
    if DEFAULT_PROFILE_NAME in settings_file.profiles:
        return settings_file.profiles[DEFAULT_PROFILE_NAME], f"named {DEFAULT_PROFILE_NAME!r}"
    return None, None


def first_set(*candidates: tuple[str, str | None]) -> Setting:
    """The first candidate with a non-blank value, with its origin label."""
    for origin, value in candidates:
        if value is not None and value.strip():
            return Setting(value.strip(), origin)
    return Setting(None)


def check_project(project: Setting) -> None:
    """``ConfigError`` unless the project is unset, digits or ``@current``."""
    value = project.value
    if value is None or value == "@current" or value.isdigit():
        return
    raise ConfigError(
        f"The project id (from {project.origin}) must be a number (or '@current'), not "
        f"{mask_keys(repr(value))}. Find it in PostHog under Settings → Project, or in the URL /project/<id>/."
    )


@dataclass(frozen=True)
class KeyLookup:
    """The outcome of looking for the key: the key and its origin, or the problem."""

    key: str | None = field(default=None, repr=False)
    origin: str | None = None
    problem: str | None = None
    broken: bool = False
    warnings: tuple[str, ...] = ()


def find_key(
    settings_file: SettingsFile, profile: Profile | None, env: Mapping[str, str]
) -> KeyLookup:
    """The profile's key source if it has one, else the environment.

    A profile's own source is final (no silent fallback to another account's key), except a
    key in a file others can read: that one is refused with a warning, and the environment
    is tried instead.
    """
    looked: list[str] = []
    warnings: tuple[str, ...] = ()
    if profile is not None and profile.key is not None:
        origin = f"{profile.key.describe()} (profile {profile.name!r})"
        try:
            key = fetch_key(
                profile.key,
                environ=env,
                settings_path=settings_file.path,
                owner_only=settings_file.owner_only,
            )
            return KeyLookup(key=key, origin=origin)
        except KeyUnavailable as exc:
            looked.append(f"{origin}: {exc}")
            if not isinstance(profile.key, InlineKey):
                return KeyLookup(problem="; ".join(looked))
            warnings = (f"Warning: {exc}.",)
        except ConfigError as exc:
            return KeyLookup(problem=f"Profile {profile.name!r}: {exc}", broken=True)
    elif not settings_file.exists:
        looked.append(f"no settings file at {settings_file.path}")
    elif profile is None:
        looked.append(f"no profile chosen in {settings_file.path}")
    else:
        looked.append(f"profile {profile.name!r} names no key source")
    key = env.get(ENV_API_KEY, "").strip()
    if key:
        origin = f"environment variable {ENV_API_KEY}"
        return KeyLookup(key=key, origin=origin, warnings=warnings)
    looked.append(f"environment variable {ENV_API_KEY}: not set")
    return KeyLookup(problem="; ".join(looked), warnings=warnings)
