"""Reading the settings file: every mistake names the file, the place and the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.config.conftest import KEY, WriteSettings
from workbench.config import (
    CommandKey,
    ConfigError,
    EnvKey,
    InlineKey,
    KeyringKey,
    load_settings_file,
)


def test_a_missing_default_file_is_empty_not_an_error(settings_path: Path) -> None:
    loaded = load_settings_file()
    assert loaded.path == settings_path
    assert not loaded.exists and loaded.profiles == {}


def test_a_missing_file_named_with_config_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match=f"No settings file at {missing}.*config init"):
        load_settings_file(missing)


def test_every_key_source_and_field_is_read(write_settings: WriteSettings) -> None:
    write_settings(
        f"""
default_profile = "env"
[profiles.env]
host = "eu"
project = 42
key_env = "WORK_KEY"
[profiles.ring]
host = "https://posthog.example.com"
project = "@current"
key_keyring = true
[profiles.cmd]
key_command = "pass show 'posthog/my key'"
insecure = true
[profiles.cmdlist]
key_command = ["op", "read", "op://vault/posthog"]
[profiles.inline]
key = "{KEY}"
[app]
theme = "anything: other sections belong to other parts"
"""
    )
    loaded = load_settings_file()
    assert loaded.default_profile == "env"
    assert loaded.profile_names == ["env", "ring", "cmd", "cmdlist", "inline"]
    env = loaded.profiles["env"]
    assert (env.host, env.project, env.key, env.insecure) == ("eu", "42", EnvKey("WORK_KEY"), False)
    assert loaded.profiles["ring"].key == KeyringKey("ring")
    assert loaded.profiles["ring"].project == "@current"
    assert loaded.profiles["cmd"].key == CommandKey(("pass", "show", "posthog/my key"))
    assert loaded.profiles["cmd"].insecure is True
    assert loaded.profiles["cmdlist"].key == CommandKey(("op", "read", "op://vault/posthog"))
    assert loaded.profiles["inline"].key == InlineKey(KEY)
    assert KEY not in repr(loaded)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[profiles.a]\nhost = eu\n", 2, 8),
        ('[profiles.a]\nhost = "eu"\nhost = "us"\n', 3, 12),
        ("[profiles.a\n", 1, 12),
    ],
)
def test_bad_toml_names_file_line_and_column(
    write_settings: WriteSettings, text: str, line: int, column: int
) -> None:
    path = write_settings(text)
    with pytest.raises(ConfigError) as caught:
        load_settings_file()
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}, column ")
    assert "invalid TOML" in message
    assert int(message.split("column ")[1].split(":")[0]) == column


def test_bad_toml_does_not_echo_the_line_which_may_hold_a_key(
    write_settings: WriteSettings,
) -> None:
    write_settings(f"[profiles.a]\nkey = {KEY}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings_file()
    assert "line 2" in str(caught.value)
    assert KEY not in str(caught.value) and KEY[:10] not in str(caught.value)


def test_non_utf8_names_the_line(write_settings: WriteSettings, settings_path: Path) -> None:
    write_settings("")
    settings_path.write_bytes(b'[profiles.a]\nhost = "\xff"\n')
    with pytest.raises(ConfigError, match="line 2: the file is not valid UTF-8"):
        load_settings_file()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('hots = "us"', "unknown setting 'hots'. A profile may have: host, project"),
        ('project = "my-project"', "project must be a project id"),
        ("project = 0", "project must be a project id"),
        ("project = true", "project must be a project id"),
        ('key_env = "A"\nkey_command = "b"', "key_env and key_command are both set"),
        ("key_env = 3", "key_env must be an environment variable name"),
        ('key_command = ""', "key_command is empty"),
        ("key_command = [1, 2]", "key_command must be a command"),
        ('key_command = "pass \'unclosed"', "key_command cannot be split"),
        ("key_keyring = false", "key_keyring must be a keyring user name or true"),
        ("key = 5", "key must be the API key in quotes"),
        ('insecure = "yes"', "insecure must be true or false"),
        ('host = ""', 'host must be "us", "eu" or a URL'),
    ],
)
def test_wrong_values_name_the_profile_and_setting(
    write_settings: WriteSettings, body: str, expected: str
) -> None:
    path = write_settings(f"[profiles.work]\n{body}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings_file()
    assert f"{path}, profile 'work'" in str(caught.value)
    assert expected in str(caught.value)


def test_default_profile_must_exist(write_settings: WriteSettings) -> None:
    write_settings('default_profile = "prod"\n[profiles.dev]\n[profiles.staging]\n')
    with pytest.raises(ConfigError, match=r"no \[profiles.prod\]\. Profiles: dev, staging\."):
        load_settings_file()


def test_profiles_must_be_sections(write_settings: WriteSettings) -> None:
    write_settings('profiles = "work"\n')
    with pytest.raises(ConfigError, match=r"\[profiles.NAME\] sections"):
        load_settings_file()
    write_settings('[profiles]\nwork = "us"\n')
    with pytest.raises(ConfigError, match=r"profiles.work must be a \[profiles.work\] section"):
        load_settings_file()


def test_a_directory_is_not_a_settings_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings_file(tmp_path)


def test_file_mode_decides_owner_only(write_settings: WriteSettings) -> None:
    write_settings("", mode=0o600)
    assert load_settings_file().owner_only
    write_settings("", mode=0o644)
    assert not load_settings_file().owner_only
    write_settings("", mode=0o620)
    assert not load_settings_file().owner_only
