"""Writing the settings file: what we write reads back the same, 0600, atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.config.conftest import KEY
from workbench.config import (
    CommandKey,
    ConfigError,
    EnvKey,
    InlineKey,
    KeyringKey,
    Profile,
    SettingsFile,
    load_settings_file,
    write_settings_file,
)
from workbench.config.load import parse_toml, settings_from_document
from workbench.config.write import render_settings, with_profile

TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s != ""
)
"""Strings a profile may hold: any characters, trimmed (the loader trims surrounding space)."""

SOURCES = st.one_of(
    st.none(),
    st.builds(EnvKey, TEXT),
    st.builds(KeyringKey, TEXT),
    st.builds(CommandKey, st.lists(TEXT, min_size=1, max_size=4).map(tuple)),
    st.builds(InlineKey, TEXT),
)

PROFILES = st.builds(
    Profile,
    name=TEXT,
    host=st.one_of(st.none(), TEXT),
    project=st.one_of(st.none(), st.just("@current"), st.integers(1, 10**12).map(str)),
    key=SOURCES,
    insecure=st.booleans(),
)


@given(st.lists(PROFILES, max_size=4, unique_by=lambda p: p.name), st.data())
def test_rendered_settings_read_back_identically(
    profiles: list[Profile], data: st.DataObject
) -> None:
    by_name = {profile.name: profile for profile in profiles}
    default = data.draw(st.sampled_from([None, *by_name])) if by_name else None
    original = SettingsFile(path=Path("/x.toml"), profiles=by_name, default_profile=default)
    text = render_settings(original)
    again = settings_from_document(parse_toml(text.encode(), original.path), original.path)
    assert again.profiles == original.profiles
    assert again.profile_names == original.profile_names
    assert again.default_profile == original.default_profile


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_file_is_owner_only_and_loads(settings_path: Path) -> None:
    settings = with_profile(
        load_settings_file(), Profile("work", "eu", "5", InlineKey(KEY)), make_default=True
    )
    written = write_settings_file(settings)
    assert written == settings_path
    assert mode_of(written) == 0o600
    assert mode_of(written.parent) == 0o700
    loaded = load_settings_file()
    assert loaded.owner_only and loaded.default_profile == "work"
    assert loaded.profiles["work"].key == InlineKey(KEY)
    assert [p.name for p in written.parent.iterdir()] == ["config.toml"]


def test_rewriting_a_readable_file_makes_it_owner_only(settings_path: Path) -> None:
    settings_path.parent.mkdir(parents=True)
    settings_path.write_text("[profiles.old]\n")
    settings_path.chmod(0o644)
    settings = with_profile(load_settings_file(), Profile("new"), make_default=False)
    write_settings_file(settings)
    assert mode_of(settings_path) == 0o600
    assert load_settings_file().profile_names == ["old", "new"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_path.parent.mkdir(parents=True)
    settings_path.write_text("[profiles.old]\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    settings = with_profile(load_settings_file(), Profile("new"), make_default=True)
    with pytest.raises(ConfigError, match=f"Cannot write {settings_path}: No space left"):
        write_settings_file(settings)
    assert settings_path.read_text() == "[profiles.old]\n"
    assert [p.name for p in settings_path.parent.iterdir()] == ["config.toml"]


def test_an_unwritable_directory_is_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="Cannot write"):
        write_settings_file(SettingsFile(path=blocker / "config.toml"))


def test_a_symlinked_file_is_written_through(settings_path: Path, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "workbench.toml"
    real.parent.mkdir()
    real.write_text("[profiles.old]\n")
    settings_path.parent.mkdir(parents=True)
    settings_path.symlink_to(real)
    write_settings_file(with_profile(load_settings_file(), Profile("new"), make_default=True))
    assert settings_path.is_symlink()
    assert load_settings_file(real).profile_names == ["old", "new"]
    assert mode_of(real) == 0o600
