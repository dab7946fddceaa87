"""Render a ``SettingsFile`` as TOML and write it atomically, readable by its owner only.

The file is written to a temporary file in the same directory (created 0600), synced and
renamed over the old one, so a crash leaves either the old file or the new one, and no
moment exists when the key is readable by others. Comments in an existing file are not kept.
A symlinked settings file (a dotfiles repository) is written through: the link stays.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from workbench.config.errors import ConfigError
from workbench.config.history_section import render_history
from workbench.config.model import (
    CommandKey,
    EnvKey,
    InlineKey,
    KeyringKey,
    Profile,
    SettingsFile,
)

OWNER_ONLY_FILE_MODE = 0o600
"""The settings file may hold a key: only its owner reads or writes it."""

OWNER_ONLY_DIR_MODE = 0o700
"""Mode for a config directory we create."""

HEADER = """\
# HogQL Workbench settings (written by `workbench config init`; edit freely).
# Each [profiles.NAME] has: host ("us", "eu" or a URL), project (an id or "@current"),
# and at most one key source: key_env = "VAR", key_keyring = "user",
# key_command = "pass show posthog" (its first output line is the key), or key = "phx_..."
# (only honoured while this file is readable by you alone). Pick one with -P NAME.
"""
"""Comment at the top of every file we write: the format, for whoever edits it next."""

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
"""TOML keys that need no quotes."""


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML; DEL must be escaped too)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(name: str) -> str:
    """A table or key name, quoted when it is not a bare key."""
    return name if _BARE_KEY.match(name) else toml_string(name)


def render_profile(profile: Profile) -> str:
    """One ``[profiles.NAME]`` section."""
    lines = [f"[profiles.{toml_key(profile.name)}]"]
    if profile.host is not None:
        lines.append(f"host = {toml_string(profile.host)}")
    if profile.project is not None:
        project = profile.project
        lines.append(f"project = {project if project.isdigit() else toml_string(project)}")
    source = profile.key
    if isinstance(source, EnvKey):
        lines.append(f"key_env = {toml_string(source.name)}")
    elif isinstance(source, KeyringKey):
        lines.append(f"key_keyring = {toml_string(source.username)}")
    elif isinstance(source, CommandKey):
        lines.append("key_command = [" + ", ".join(toml_string(a) for a in source.argv) + "]")
    elif isinstance(source, InlineKey):
        lines.append(f"key = {toml_string(source.value)}")
    if profile.insecure:
        lines.append("insecure = true")
    return "\n".join(lines) + "\n"


def render_settings(settings: SettingsFile) -> str:
    """The whole file: header, ``default_profile``, each profile, then ``[history]``."""
    parts = [HEADER]
    if settings.default_profile is not None:
        parts.append(f"default_profile = {toml_string(settings.default_profile)}\n")
    parts.extend("\n" + render_profile(profile) for profile in settings.profiles.values())
    if settings.history is not None:
        parts.append("\n" + render_history(settings.history))
    return "".join(parts)


def write_settings_file(settings: SettingsFile, path: Path | None = None) -> Path:
    """Write ``settings`` to ``path`` (default ``settings.path``) with mode 0600; the path.

    ``ConfigError`` with the reason when the directory or file cannot be written.
    """
    target = (path or settings.path).expanduser()
    if target.is_symlink():
        target = target.resolve()
    text = render_settings(settings)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR_MODE)
        # mkstemp creates the file 0600 before anything is written to it.
        fd, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ConfigError(f"Cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, OWNER_ONLY_FILE_MODE)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"Cannot write {target}: {exc.strerror or exc}") from None
    return target


def with_profile(settings: SettingsFile, profile: Profile, *, make_default: bool) -> SettingsFile:
    """``settings`` with ``profile`` added or replaced (and made the default if asked)."""
    profiles = dict(settings.profiles)
    profiles[profile.name] = profile
    default = profile.name if make_default else settings.default_profile
    return SettingsFile(
        path=settings.path,
        profiles=profiles,
        default_profile=default,
        exists=settings.exists,
        owner_only=settings.owner_only,
        history=settings.history,
    )
