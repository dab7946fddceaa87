"""The one error type of the settings file and profiles."""

from __future__ import annotations

from workbench.connection import ConnectionError_


class ConfigError(ConnectionError_):
    """The settings file or a profile is wrong; ``str()`` says where and what to do.

    A ``ConnectionError_`` so every caller that already reports incomplete connection
    settings (exit code 2, no traceback) reports these the same way. Never holds a key.
    """
