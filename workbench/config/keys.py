"""Fetch a profile's API key from where it says: environment, OS keyring, a command, the file.

The key is returned to the caller and nowhere else: not logged, not put in any message.
``keyring`` is optional and imported only when a profile uses it.
"""

from __future__ import annotations

import importlib
import logging
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from workbench.config.errors import ConfigError
from workbench.config.model import (
    KEYRING_SERVICE,
    CommandKey,
    EnvKey,
    InlineKey,
    KeyringKey,
    KeySource,
    mask_keys,
)

KEY_COMMAND_TIMEOUT = 60.0
"""Seconds a key command may take: long enough for a password-manager unlock prompt."""

KEYRING_INSTALL_HINT = "pip install 'hogql-workbench[keyring]'"
"""How to get the optional keyring support."""

log = logging.getLogger(__name__)

_command_keys: dict[tuple[str, ...], str] = {}
"""Keys already printed by a key command, by argv: start-up resolves settings twice (a check
before the UI loads, then the launch), and a password manager should prompt only once."""


def forget_cached_keys() -> None:
    """Drop the keys remembered from key commands (the next lookup runs the command again)."""
    _command_keys.clear()


class KeyUnavailable(ConfigError):
    """The source holds no key (unset variable, empty keyring entry, refused inline key).

    Unlike a broken source (a failing command, keyring not installed) the caller may fall back
    to the environment and mention this in its message about where it looked.
    """


def fetch_key(
    source: KeySource,
    *,
    environ: Mapping[str, str],
    settings_path: Path,
    owner_only: bool,
) -> str:
    """The key from ``source``; ``KeyUnavailable`` when it holds none, ``ConfigError`` when broken."""
    log.debug("reading the API key from %s", source.describe())
    if isinstance(source, EnvKey):
        value = environ.get(source.name, "").strip()
        if not value:
            raise KeyUnavailable(f"environment variable {source.name} is not set")
        return value
    if isinstance(source, KeyringKey):
        return keyring_key(source)
    if isinstance(source, CommandKey):
        return command_key(source)
    return inline_key(source, settings_path=settings_path, owner_only=owner_only)


def inline_key(source: InlineKey, *, settings_path: Path, owner_only: bool) -> str:
    """The key written in the file, only if no one but its owner can read the file."""
    if not owner_only:
        raise KeyUnavailable(
            f"the key written in {settings_path} is ignored because other users can read "
            f"that file; run: chmod 600 {shlex.quote(str(settings_path))}"
        )
    return source.value


def load_keyring() -> ModuleType:
    """The ``keyring`` module; ``ConfigError`` with the install command when it is absent."""
    try:
        return importlib.import_module("keyring")
    except ImportError:
        raise ConfigError(
            "This profile keeps its key in the OS keyring, but keyring support is not "
            f"installed: {KEYRING_INSTALL_HINT}"
        ) from None


def keyring_key(source: KeyringKey) -> str:
    """The key stored under ``KEYRING_SERVICE`` / ``source.username``."""
    keyring = load_keyring()
    try:
        value = keyring.get_password(KEYRING_SERVICE, source.username)
    except Exception as exc:  # any backend failure (locked, no backend) becomes a message
        raise ConfigError(
            f"Could not read the key from the OS keyring ({type(exc).__name__}: {exc})."
        ) from None
    if not isinstance(value, str) or not value.strip():
        raise KeyUnavailable(
            f"the OS keyring has no key for service {KEYRING_SERVICE!r}, user "
            f"{source.username!r} (store one with: workbench config init)"
        )
    return value.strip()


def store_in_keyring(username: str, key: str) -> None:
    """Save ``key`` in the OS keyring for ``username``; ``ConfigError`` when that fails."""
    keyring = load_keyring()
    try:
        keyring.set_password(KEYRING_SERVICE, username, key)
    except Exception as exc:  # any backend failure becomes a message
        raise ConfigError(
            f"Could not save the key in the OS keyring ({type(exc).__name__}: {exc})."
        ) from None


def command_key(source: CommandKey) -> str:
    """The first non-empty line the command prints (remembered for this process).

    Its stderr goes to the terminal (a password manager may prompt there); stdin is closed so
    it cannot swallow input meant for us.
    """
    if source.argv in _command_keys:
        return _command_keys[source.argv]
    shown = mask_keys(shlex.join(source.argv))
    try:
        proc = subprocess.run(  # the user's own configured command, no shell
            source.argv,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=KEY_COMMAND_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigError(f"The key command `{shown}` was not found: {source.argv[0]}") from None
    except PermissionError:
        raise ConfigError(
            f"The key command `{shown}` cannot be run: {source.argv[0]} is not executable."
        ) from None
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"The key command `{shown}` did not finish within {KEY_COMMAND_TIMEOUT:.0f} s."
        ) from None
    except OSError as exc:
        raise ConfigError(f"The key command `{shown}` failed to start: {exc.strerror}") from None
    if proc.returncode != 0:
        raise ConfigError(f"The key command `{shown}` failed with exit status {proc.returncode}.")
    for line in proc.stdout.decode("utf-8", errors="replace").splitlines():
        if line.strip():
            _command_keys[source.argv] = line.strip()
            return line.strip()
    raise KeyUnavailable(f"the key command `{shown}` printed nothing")
