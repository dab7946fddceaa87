"""Read the TOML settings file into a ``SettingsFile``, with precise errors.

Every mistake names the file and, where TOML knows it, the line and column; a wrong value
names the profile and the setting. ``[history]`` is checked by ``history_section``; other
unknown top-level tables are left alone; inside a profile every key is checked.
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

from workbench.config.errors import ConfigError
from workbench.config.history_section import history_from_document
from workbench.config.model import (
    CommandKey,
    EnvKey,
    InlineKey,
    KeyringKey,
    KeySource,
    Profile,
    SettingsFile,
    mask_keys,
)

SETTINGS_FILE_NAME = "config.toml"
"""The settings file's name inside the user config directory."""

PROFILE_KEYS = ("host", "project", "key_env", "key_keyring", "key_command", "key", "insecure")
"""Settings a profile may have; a typo among them is an error, not silently ignored."""

KEY_SOURCE_KEYS = ("key_env", "key_keyring", "key_command", "key")
"""Settings that say where the key comes from; a profile has at most one."""

GROUP_OTHER_BITS = 0o077
"""Mode bits that let someone other than the owner read (or change) the file."""

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
"""How tomllib ends its messages; we move the position to the front of ours."""


def default_settings_path() -> Path:
    """``config.toml`` in the user config directory (``$WORKBENCH_HOME/config`` in tests)."""
    from workbench.paths import config_dir

    return config_dir() / SETTINGS_FILE_NAME


def is_owner_only(path: Path) -> bool:
    """True when only the file's owner can read it (always True where modes do not apply)."""
    if os.name == "nt":
        return True
    return path.stat().st_mode & GROUP_OTHER_BITS == 0


def load_settings_file(path: Path | None = None) -> SettingsFile:
    """The settings at ``path`` (default: ``default_settings_path()``).

    A missing default file is an empty ``SettingsFile`` with ``exists=False``; a missing
    file that was named explicitly is a ``ConfigError``.
    """
    explicit = path is not None
    path = default_settings_path() if path is None else path.expanduser()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(
                f"No settings file at {path}. Create it with: workbench config init --config {path}"
            ) from None
        return SettingsFile(path=path, exists=False)
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory, not a settings file.") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the settings file {path}: {exc.strerror or exc}") from None
    document = parse_toml(raw, path)
    return settings_from_document(document, path, owner_only=is_owner_only(path))


def parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """The TOML document; ``ConfigError`` with file, line and column when it is invalid."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}, line {bad_line}: the file is not valid UTF-8 text.") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match is None:
            raise ConfigError(f"{path}: invalid TOML: {message}") from None
        reason = message[: match.start()]
        line, column = match.group(1), match.group(2)
        # The offending line is not echoed: it may be a key written without quotes.
        raise ConfigError(
            f"{path}, line {line}, column {column}: invalid TOML: {reason}."
        ) from None


def settings_from_document(
    document: dict[str, Any], path: Path, *, owner_only: bool = True
) -> SettingsFile:
    """Check and convert a parsed document; ``ConfigError`` names the setting at fault."""
    profiles_table = document.get("profiles", {})
    if not isinstance(profiles_table, dict):
        raise ConfigError(f"{path}: 'profiles' must be a table of [profiles.NAME] sections.")
    profiles: dict[str, Profile] = {}
    for name, table in profiles_table.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"{path}: profiles.{name} must be a [profiles.{name}] section, not a value."
            )
        profiles[name] = profile_from_table(name, table, path)
    default = document.get("default_profile")
    if default is not None:
        if not isinstance(default, str):
            raise ConfigError(f"{path}: default_profile must be a profile name in quotes.")
        if default not in profiles:
            raise ConfigError(
                f"{path}: default_profile is {default!r}, but there is no [profiles.{default}]. "
                + names_hint(list(profiles))
            )
    return SettingsFile(
        path=path,
        profiles=profiles,
        default_profile=default,
        exists=True,
        owner_only=owner_only,
        history=history_from_document(document, path),
    )


def names_hint(names: list[str]) -> str:
    """``Profiles: a, b.`` or a pointer to ``config init`` when there are none."""
    if not names:
        return "It has no profiles yet; add one with: workbench config init"
    return "Profiles: " + ", ".join(names) + "."


def profile_from_table(name: str, table: dict[str, Any], path: Path) -> Profile:
    """One ``[profiles.NAME]`` section as a ``Profile``."""
    where = f"{path}, profile {name!r}"
    unknown = [key for key in table if key not in PROFILE_KEYS]
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {unknown[0]!r}. A profile may have: "
            + ", ".join(PROFILE_KEYS)
            + "."
        )
    host = table.get("host")
    if host is not None and (not isinstance(host, str) or not host.strip()):
        raise ConfigError(f'{where}: host must be "us", "eu" or a URL in quotes.')
    insecure = table.get("insecure", False)
    if not isinstance(insecure, bool):
        raise ConfigError(f"{where}: insecure must be true or false.")
    return Profile(
        name=name,
        host=host.strip() if isinstance(host, str) else None,
        project=project_value(table.get("project"), where),
        key=key_source(name, table, where),
        insecure=insecure,
    )


def project_value(value: object, where: str) -> str | None:
    """A project id as digits or ``@current``; None when unset."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    if isinstance(value, str) and (value.strip() == "@current" or value.strip().isdigit()):
        return value.strip()
    raise ConfigError(
        f'{where}: project must be a project id (a number, e.g. 12345) or "@current", '
        f"not {mask_keys(repr(value))}."
    )


def key_source(name: str, table: dict[str, Any], where: str) -> KeySource | None:
    """The profile's key source; at most one of ``KEY_SOURCE_KEYS`` may be set."""
    given = [key for key in KEY_SOURCE_KEYS if key in table]
    if len(given) > 1:
        raise ConfigError(
            f"{where}: {' and '.join(given)} are both set; give only one place for the key."
        )
    if not given:
        return None
    setting, value = given[0], table[given[0]]
    if setting == "key_env":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: key_env must be an environment variable name in quotes.")
        return EnvKey(value.strip())
    if setting == "key_keyring":
        if value is True:
            return KeyringKey(name)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: key_keyring must be a keyring user name or true.")
        return KeyringKey(value.strip())
    if setting == "key_command":
        return CommandKey(command_argv(value, where))
    if not isinstance(value, str) or not value.strip():
        # Never echo the value: it may be a mangled key.
        raise ConfigError(f"{where}: key must be the API key in quotes.")
    return InlineKey(value.strip())


def command_argv(value: object, where: str) -> tuple[str, ...]:
    """``key_command`` as argv: a string is split like a shell would, an array taken as is."""
    if isinstance(value, str):
        try:
            argv = shlex.split(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: key_command cannot be split into words: {exc}.") from None
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        argv = list(value)
    else:
        raise ConfigError(f"{where}: key_command must be a command in quotes or a list of words.")
    if not argv or not argv[0]:
        raise ConfigError(f"{where}: key_command is empty.")
    return tuple(argv)
