"""Which settings win: flags (when given) > the profile > the environment; precise mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.config.conftest import KEY, WriteSettings
from workbench.config import ConfigError, ConnectionFlags, resolve
from workbench.connection import ConnectionError_, settings_from

OTHER_KEY = "phx_" + "Env9" * 10
"""The key in POSTHOG_PERSONAL_API_KEY, distinct from the profile's."""


def test_profile_fills_what_flags_leave_out(write_settings: WriteSettings) -> None:
    write_settings('[profiles.work]\nhost = "eu"\nproject = 42\nkey_env = "WORK_KEY"\n')
    resolution = resolve(
        ConnectionFlags(project="7"),
        profile="work",
        environ={"WORK_KEY": KEY, "POSTHOG_HOST": "https://us.posthog.com"},
    )
    settings = resolution.settings()
    assert (settings.host, settings.project_id, settings.api_key) == (
        "https://eu.posthog.com",
        "7",
        KEY,
    )
    assert resolution.host.origin == "profile 'work'"
    assert resolution.project.origin == "--project"
    assert resolution.key_origin == "environment variable WORK_KEY (profile 'work')"


SOURCES = st.fixed_dictionaries(
    {},
    optional={
        "flag": st.sampled_from(["101", "@current"]),
        "profile": st.sampled_from(["202", "@current"]),
        "env": st.sampled_from(["303", "@current"]),
    },
)


@given(project=SOURCES, host=st.sets(st.sampled_from(["flag", "profile", "env"])))
def test_first_given_of_flag_profile_environment_wins(
    project: dict[str, str], host: set[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("precedence") / "config.toml"
    lines = ["[profiles.p]"]
    if "profile" in host:
        lines.append('host = "https://profile.example.com"')
    if "profile" in project:
        lines.append(f'project = "{project["profile"]}"')
    path.write_text("\n".join(lines) + "\n")
    env = {"POSTHOG_PERSONAL_API_KEY": KEY}
    if "env" in host:
        env["POSTHOG_HOST"] = "https://env.example.com"
    if "env" in project:
        env["POSTHOG_PROJECT_ID"] = project["env"]
    flags = ConnectionFlags(
        host="https://flag.example.com" if "flag" in host else None,
        project=project.get("flag"),
    )
    resolution = resolve(flags, profile="p", config_path=path, environ=env)
    order = ["flag", "profile", "env"]
    expected_host = next((f"https://{s}.example.com" for s in order if s in host), None)
    expected_project = next((project[s] for s in order if s in project), None)
    assert resolution.host.value == expected_host
    assert resolution.project.value == expected_project


def test_the_default_profile_applies_without_p(write_settings: WriteSettings) -> None:
    write_settings('default_profile = "b"\n[profiles.a]\nproject = 1\n[profiles.b]\nproject = 2\n')
    resolution = resolve(environ={})
    assert resolution.profile is not None and resolution.profile.name == "b"
    assert resolution.profile_origin == "default_profile"
    assert resolution.project.value == "2"


def test_a_profile_named_default_applies_when_none_is_chosen(
    write_settings: WriteSettings,
) -> None:
    write_settings("[profiles.other]\nproject = 1\n[profiles.default]\nproject = 3\n")
    assert resolve(environ={}).project.value == "3"
    write_settings("[profiles.other]\nproject = 1\n")
    resolution = resolve(environ={})
    assert resolution.profile is None and resolution.project.value is None


def test_unknown_profile_lists_the_names(write_settings: WriteSettings) -> None:
    path = write_settings("[profiles.work]\n[profiles.home]\n")
    with pytest.raises(ConfigError) as caught:
        resolve(profile="wrok", environ={})
    assert str(caught.value) == f"There is no profile 'wrok' in {path}. Profiles: work, home."


def test_profile_without_a_file_says_so(settings_path: Path) -> None:
    with pytest.raises(ConfigError, match=f"no settings file at {settings_path}.*config init"):
        resolve(profile="work", environ={})


@pytest.mark.parametrize(
    ("host", "app_host"),
    [("us.i.posthog.com", "us.posthog.com"), ("https://eu.i.posthog.com/", "eu.posthog.com")],
)
def test_ingestion_host_in_a_profile_suggests_the_app_host(
    write_settings: WriteSettings, host: str, app_host: str
) -> None:
    path = write_settings(f'[profiles.work]\nhost = "{host}"\n')
    with pytest.raises(ConfigError) as caught:
        resolve(profile="work", environ={})
    message = str(caught.value)
    assert f"in profile 'work' of {path}" in message
    assert f"Use {app_host} instead" in message and f'host = "https://{app_host}"' in message


def test_ingestion_host_flag_suggests_the_app_host() -> None:
    with pytest.raises(ConfigError, match=r"\(from --host\).*Use us.posthog.com instead"):
        resolve(ConnectionFlags(host="us.i.posthog.com"), environ={})
    with pytest.raises(ConfigError, match=r"\(from POSTHOG_HOST\).*Use eu.posthog.com"):
        resolve(environ={"POSTHOG_HOST": "eu.i.posthog.com"})


def test_host_aliases_work_everywhere() -> None:
    assert resolve(ConnectionFlags(host="EU"), environ={}).host.value == "https://eu.posthog.com"
    assert resolve(environ={"POSTHOG_HOST": "us"}).host.value == "https://us.posthog.com"


def test_bad_project_names_its_origin(write_settings: WriteSettings) -> None:
    with pytest.raises(ConfigError, match=r"project id \(from --project\) must be a number"):
        resolve(ConnectionFlags(project="abc"), environ={})
    with pytest.raises(ConfigError, match=r"\(from POSTHOG_PROJECT_ID\)"):
        resolve(environ={"POSTHOG_PROJECT_ID": "x1"})


def test_missing_key_says_where_it_looked(write_settings: WriteSettings) -> None:
    write_settings('[profiles.work]\nhost = "us"\nproject = 1\nkey_env = "WORK_KEY"\n')
    resolution = resolve(profile="work", environ={"POSTHOG_PERSONAL_API_KEY": OTHER_KEY})
    # The profile's own source is final: no silent fallback to another key.
    assert resolution.key is None
    with pytest.raises(ConfigError) as caught:
        resolution.settings()
    message = str(caught.value)
    assert (
        "Looked for the key in: environment variable WORK_KEY (profile 'work'): "
        "environment variable WORK_KEY is not set." in message
    )
    assert "needs a personal API key in environment variable WORK_KEY" in message
    assert "a host" not in message and "a project id" not in message


def test_missing_key_without_profile_mentions_file_and_environment(settings_path: Path) -> None:
    resolution = resolve(ConnectionFlags(host="us", project="1"), environ={})
    with pytest.raises(ConfigError) as caught:
        resolution.settings()
    assert (
        f"no settings file at {settings_path}; environment variable "
        "POSTHOG_PERSONAL_API_KEY: not set" in str(caught.value)
    )
    assert "workbench config init" in str(caught.value)


def test_profile_without_key_source_uses_the_environment(write_settings: WriteSettings) -> None:
    write_settings('[profiles.work]\nhost = "us"\nproject = 1\n')
    resolution = resolve(profile="work", environ={"POSTHOG_PERSONAL_API_KEY": OTHER_KEY})
    assert resolution.settings().api_key == OTHER_KEY
    assert resolution.key_origin == "environment variable POSTHOG_PERSONAL_API_KEY"


def test_inline_key_in_a_private_file_is_used(write_settings: WriteSettings) -> None:
    write_settings(f'[profiles.work]\nhost = "us"\nproject = 1\nkey = "{KEY}"\n', mode=0o600)
    resolution = resolve(profile="work", environ={"POSTHOG_PERSONAL_API_KEY": OTHER_KEY})
    assert resolution.settings().api_key == KEY and resolution.warnings == ()


def test_inline_key_in_a_readable_file_is_refused_with_a_warning(
    write_settings: WriteSettings,
) -> None:
    path = write_settings(f'[profiles.work]\nhost = "us"\nproject = 1\nkey = "{KEY}"\n', mode=0o644)
    resolution = resolve(profile="work", environ={"POSTHOG_PERSONAL_API_KEY": OTHER_KEY})
    assert resolution.settings().api_key == OTHER_KEY
    assert len(resolution.warnings) == 1
    assert f"chmod 600 {path}" in resolution.warnings[0]
    without_env = resolve(profile="work", environ={})
    with pytest.raises(ConfigError, match="ignored because other users can read"):
        without_env.settings()


def test_a_broken_key_source_is_reported_as_itself(write_settings: WriteSettings) -> None:
    write_settings('[profiles.work]\nhost = "us"\nproject = 1\nkey_command = "no-such-helper-x"\n')
    resolution = resolve(profile="work", environ={})
    with pytest.raises(ConfigError) as caught:
        resolution.settings()
    assert str(caught.value) == (
        "Profile 'work': The key command `no-such-helper-x` was not found: no-such-helper-x"
    )


def test_insecure_from_flag_or_profile(write_settings: WriteSettings) -> None:
    write_settings('[profiles.lan]\nhost = "http://10.0.0.5:8000"\nproject = 1\ninsecure = true\n')
    env = {"POSTHOG_PERSONAL_API_KEY": KEY}
    assert resolve(profile="lan", environ=env).settings().insecure
    write_settings('[profiles.lan]\nhost = "http://10.0.0.5:8000"\nproject = 1\n')
    with pytest.raises(ConnectionError_, match="--insecure"):
        resolve(profile="lan", environ=env).settings()
    assert resolve(ConnectionFlags(insecure=True), profile="lan", environ=env).settings().insecure


def test_settings_from_passes_profile_and_config_through(
    write_settings: WriteSettings, tmp_path: Path
) -> None:
    path = write_settings(
        '[profiles.work]\nhost = "eu"\nproject = 9\nkey_env = "WORK_KEY"\n',
        path=tmp_path / "elsewhere.toml",
    )
    settings = settings_from(
        host=None, project_id=None, profile="work", config_path=str(path), environ={"WORK_KEY": KEY}
    )
    assert (settings.host, settings.project_id, settings.api_key) == (
        "https://eu.posthog.com",
        "9",
        KEY,
    )
    # Existing callers (no profile, no file) behave as before: flags over environment.
    plain = settings_from(
        host="https://us.posthog.com", project_id="3", environ={"POSTHOG_PERSONAL_API_KEY": KEY}
    )
    assert (plain.host, plain.project_id) == ("https://us.posthog.com", "3")
