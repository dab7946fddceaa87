"""Fixtures for the settings file tests: an isolated WORKBENCH_HOME and a file writer."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.config.keys import forget_cached_keys

KEY = "phx_" + "Zq7" * 14
"""A personal API key shaped like PostHog's; tests grep output for it."""

WriteSettings = Callable[..., Path]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own WORKBENCH_HOME, no POSTHOG_* variables and no cached keys."""
    home = tmp_path / "home"
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("POSTHOG_"):
            monkeypatch.delenv(name)
    forget_cached_keys()
    yield home
    forget_cached_keys()


@pytest.fixture
def settings_path(isolated_home: Path) -> Path:
    """Where the default settings file lives in this test's home."""
    return isolated_home / "config" / "config.toml"


@pytest.fixture
def write_settings(settings_path: Path) -> WriteSettings:
    """Write TOML text to the default settings file (or ``path``) with ``mode``; its path."""

    def write(text: str, *, mode: int = 0o600, path: Path | None = None) -> Path:
        target = path or settings_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(mode)
        return target

    return write
