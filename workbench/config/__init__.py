"""Connection profiles: the TOML settings file, key sources, and which settings win.

Headless (stdlib only at import; the client loads inside ``probe``'s functions). Modules:
``model`` (what the file holds), ``load`` (reading with precise errors), ``hosts`` (``us``/
``eu`` and the ingestion-host mistake), ``keys`` (env, keyring, command, inline), ``resolve``
(flags > profile > environment), ``write`` (atomic 0600 writes), ``probe`` (connection test),
``setup`` (the ``config init`` dialogue), ``switching`` (what the app needs to change
profile or project without restarting).
"""

from __future__ import annotations

from workbench.config.errors import ConfigError
from workbench.config.load import default_settings_path, load_settings_file
from workbench.config.model import (
    KEYRING_SERVICE,
    CommandKey,
    EnvKey,
    InlineKey,
    KeyringKey,
    KeySource,
    Profile,
    SettingsFile,
)
from workbench.config.resolve import ConnectionFlags, Resolution, Setting, resolve
from workbench.config.write import write_settings_file

__all__ = [
    "KEYRING_SERVICE",
    "CommandKey",
    "ConfigError",
    "ConnectionFlags",
    "EnvKey",
    "InlineKey",
    "KeySource",
    "KeyringKey",
    "Profile",
    "Resolution",
    "Setting",
    "SettingsFile",
    "default_settings_path",
    "load_settings_file",
    "resolve",
    "write_settings_file",
]
