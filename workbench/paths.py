"""Where HogQL Workbench keeps its files, per the platform's conventions (platformdirs).

On Linux: data in ``~/.local/share/hogql-workbench`` (history, editor buffers, demo data),
settings in ``~/.config/hogql-workbench``. ``WORKBENCH_HOME`` moves both under one folder,
which tests and throwaway runs use.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "hogql-workbench"
"""The folder name under the platform's data and config directories."""

ENV_HOME = "WORKBENCH_HOME"
"""Environment variable that relocates every file of ours (tests set it to a temp dir)."""


def data_dir() -> Path:
    """History, editor buffers and the demo database live here."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home) / "data"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """Settings and connection profiles live here."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home) / "config"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def demo_data_dir() -> Path:
    """The demo server's ClickHouse database, built once and then reused."""
    return data_dir() / "demo"
