"""What the settings file holds: profiles, each with a host, a project and a key source.

Plain frozen dataclasses, no I/O: ``load`` builds them from TOML, ``write`` renders them back.
An ``InlineKey`` hides its value from ``repr`` like ``ConnectionSettings`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.history.model import HistorySettings

KEYRING_SERVICE = "hogql-workbench"
"""Service name our keys are stored under in the OS keyring (the username is per profile)."""

_KEY_SHAPED = re.compile(r"\b(ph[xac]_)[A-Za-z0-9_-]{8,}")
"""PostHog key shapes (personal ``phx_``, project ``phc_``, ``pha_``): masked wherever echoed."""


def mask_keys(text: str) -> str:
    """``text`` with anything shaped like a PostHog key replaced by its prefix and ``…``.

    For values we echo back (a key command's words, a mistyped setting): someone may have
    pasted a key there by mistake.
    """
    return _KEY_SHAPED.sub(lambda match: match.group(1) + "…", text)


@dataclass(frozen=True)
class EnvKey:
    """The key is in the environment variable ``name``."""

    name: str

    def describe(self) -> str:
        """Where the key is, in words (for messages and ``config show``)."""
        return f"environment variable {self.name}"


@dataclass(frozen=True)
class KeyringKey:
    """The key is in the OS keyring under ``KEYRING_SERVICE`` and ``username``."""

    username: str

    def describe(self) -> str:
        """Where the key is, in words."""
        return f"OS keyring (service {KEYRING_SERVICE!r}, user {self.username!r})"


@dataclass(frozen=True)
class CommandKey:
    """The key is the first line a command prints (like git's credential helpers).

    ``argv`` is run without a shell; the TOML may give a string (split like a shell would)
    or an array.
    """

    argv: tuple[str, ...]

    def describe(self) -> str:
        """The command in words, with anything key-shaped in it masked."""
        import shlex

        return f"the output of `{mask_keys(shlex.join(self.argv))}`"


@dataclass(frozen=True)
class InlineKey:
    """The key is written in the settings file (allowed only when the file is owner-only)."""

    value: str = field(repr=False)

    def describe(self) -> str:
        """Where the key is, in words (never the key)."""
        return "the settings file itself"


KeySource = EnvKey | KeyringKey | CommandKey | InlineKey
"""Where a profile's key comes from."""


@dataclass(frozen=True)
class Profile:
    """One named connection. Unset fields (None) fall back to the environment.

    ``host`` is as written (``us``, ``eu`` or a URL); ``project`` is digits or ``@current``.
    """

    name: str
    host: str | None = None
    project: str | None = None
    key: KeySource | None = None
    insecure: bool = False


@dataclass(frozen=True)
class SettingsFile:
    """A parsed settings file. ``profiles`` keeps the file's order.

    ``exists`` is False for a file not written yet (``config init`` starts from that).
    ``owner_only`` is True when no one but the owner can read it (always True on Windows,
    where POSIX modes do not apply).
    """

    path: Path
    profiles: dict[str, Profile] = field(default_factory=dict)
    default_profile: str | None = None
    exists: bool = True
    owner_only: bool = True
    history: HistorySettings | None = None
    """The ``[history]`` section; None when the file has none (the store's defaults apply)."""

    @property
    def profile_names(self) -> list[str]:
        """Profile names in file order."""
        return list(self.profiles)
