"""``config init``'s dialogue, scripted, against the local server (real HTTP on loopback)."""

from __future__ import annotations

import io
import stat
import sys
from pathlib import Path

import pytest

from tests.config.fakes import FakeKeyring
from tests.conftest import INSIGHT_ONLY_KEY
from workbench.config import KEYRING_SERVICE, ConfigError, load_settings_file, resolve
from workbench.config.probe import ConnectionCheckFailed
from workbench.config.prompter import Prompter, SetupCancelled
from workbench.config.setup import SetupResult, run_setup
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server


def setup(
    answers: list[str], *, environ: dict[str, str] | None = None, check: bool = True
) -> tuple[SetupResult, str]:
    """Run the dialogue with ``answers`` as stdin lines; the result and everything it printed."""
    out = io.StringIO()
    prompter = Prompter(io.StringIO("".join(a + "\n" for a in answers)), out)
    result = run_setup(prompter, environ=environ or {}, check=check)
    return result, out.getvalue()


def failing_setup(answers: list[str], **kwargs: object) -> tuple[BaseException, str]:
    out = io.StringIO()
    prompter = Prompter(io.StringIO("".join(a + "\n" for a in answers)), out)
    with pytest.raises((ConnectionCheckFailed, SetupCancelled)) as caught:
        run_setup(prompter, environ={}, **kwargs)  # type: ignore[arg-type]
    return caught.value, out.getvalue()


def test_env_var_profile_is_tested_and_saved(
    local_server: LocalServer, settings_path: Path
) -> None:
    environ = {"WB_TEST_KEY": local_server.api_key}
    result, output = setup(["", local_server.base_url, "1", "WB_TEST_KEY", ""], environ=environ)
    assert f"{local_server.project_id}  " in output  # the project list
    assert f"✓ The key can run HogQL queries in project {local_server.project_id}" in output
    assert result.path == settings_path and result.is_default
    assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600
    text = settings_path.read_text()
    assert 'key_env = "WB_TEST_KEY"' in text and local_server.api_key not in text
    assert f"project = {local_server.project_id}" in text
    settings = resolve(environ=environ).settings()
    assert (settings.host, settings.project_id, settings.api_key) == (
        local_server.base_url,
        str(local_server.project_id),
        local_server.api_key,
    )
    assert local_server.api_key not in output


def test_unset_env_var_asks_for_the_key_to_test_only(
    local_server: LocalServer, settings_path: Path
) -> None:
    _, output = setup(["work", local_server.base_url, "env", "", local_server.api_key, "@current"])
    assert "POSTHOG_PERSONAL_API_KEY is not set here" in output
    text = settings_path.read_text()
    assert 'key_env = "POSTHOG_PERSONAL_API_KEY"' in text and 'project = "@current"' in text
    assert local_server.api_key not in text + output


def test_key_in_the_file(local_server: LocalServer, settings_path: Path) -> None:
    _, output = setup(["work", local_server.base_url, "4", local_server.api_key, ""])
    assert f'key = "{local_server.api_key}"' in settings_path.read_text()
    assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600
    assert local_server.api_key not in output
    assert resolve(profile="work", environ={}).settings().api_key == local_server.api_key


def test_key_from_a_command(local_server: LocalServer, settings_path: Path, tmp_path: Path) -> None:
    helper = tmp_path / "key.txt"
    helper.write_text(local_server.api_key + "\n")
    command = f"{sys.executable} -c \"print(open('{helper}').read())\""
    setup(["work", local_server.base_url, "3", command, ""])
    loaded = load_settings_file().profiles["work"]
    assert loaded.key is not None and "key.txt" in loaded.key.describe()
    assert local_server.api_key not in settings_path.read_text()


def test_key_in_the_keyring(
    local_server: LocalServer, settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeKeyring()
    monkeypatch.setitem(sys.modules, "keyring", fake)
    _, output = setup(["work", local_server.base_url, "2", local_server.api_key, ""])
    assert fake.store == {(KEYRING_SERVICE, "work"): local_server.api_key}
    assert 'key_keyring = "work"' in settings_path.read_text()
    assert local_server.api_key not in settings_path.read_text() + output


def test_keyring_absent_explains_and_asks_again(
    local_server: LocalServer, settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    _, output = setup(
        ["work", local_server.base_url, "2", "4", local_server.api_key, ""],
    )
    assert "pip install 'hogql-workbench[keyring]'" in output
    assert "key = " in settings_path.read_text()


def test_ingestion_host_is_explained_and_asked_again(
    local_server: LocalServer, settings_path: Path
) -> None:
    _, output = setup(
        ["work", "us.i.posthog.com", local_server.base_url, "4", local_server.api_key, ""]
    )
    assert "Use us.posthog.com instead" in output
    assert settings_path.exists()


def test_a_project_key_is_refused(local_server: LocalServer) -> None:
    _, output = setup(
        ["work", local_server.base_url, "4", "phc_project_token", "4", local_server.api_key, ""]
    )
    assert "That is a project API key (phc_...)" in output


def test_a_wrong_key_writes_nothing(local_server: LocalServer, settings_path: Path) -> None:
    wrong = "phx_" + "n" * 40
    error, output = failing_setup(["work", local_server.base_url, "4", wrong])
    assert isinstance(error, ConnectionCheckFailed) and error.exit_code == 3
    assert wrong not in output + str(error)
    assert "did not accept the API key" in str(error)
    assert not settings_path.exists()


def test_a_key_without_query_read_writes_nothing(
    local_server: LocalServer, settings_path: Path
) -> None:
    error, output = failing_setup(
        ["work", local_server.base_url, "4", INSIGHT_ONLY_KEY, str(local_server.project_id)]
    )
    assert "lacks the project:read scope" in output  # then it asked for the id
    assert isinstance(error, ConnectionCheckFailed)
    assert "lacks the query:read scope" in str(error)
    assert not settings_path.exists()
    assert INSIGHT_ONLY_KEY not in output + str(error)


def test_a_project_not_listed_is_asked_again(local_server: LocalServer) -> None:
    _, output = setup(["work", local_server.base_url, "4", local_server.api_key, "424242", ""])
    assert "424242 is not among the projects listed above" in output


def test_end_of_input_cancels_without_writing(settings_path: Path) -> None:
    error, _ = failing_setup(["work", "us"])
    assert isinstance(error, SetupCancelled)
    assert "nothing was written" in str(error)
    assert not settings_path.exists()


def test_offline_setup_skips_the_test(settings_path: Path) -> None:
    result, output = setup(["work", "eu", "1", "", "12345"], check=False)
    assert "✓" not in output
    assert result.profile.project == "12345" and result.profile.host == "eu"
    assert 'host = "eu"' in settings_path.read_text()


def test_a_second_profile_may_become_the_default(settings_path: Path) -> None:
    setup(["first", "eu", "1", "", "1"], check=False)
    _, output = setup(["second", "us", "1", "", "2", "n"], check=False)
    assert "Make 'second' the default profile? [y/N]" in output
    assert load_settings_file().default_profile == "first"
    setup(["third", "us", "1", "", "3", "y"], check=False)
    loaded = load_settings_file()
    assert loaded.default_profile == "third"
    assert loaded.profile_names == ["first", "second", "third"]


def test_replacing_a_profile_needs_a_yes(settings_path: Path) -> None:
    setup(["work", "eu", "1", "", "1"], check=False)
    error, _ = failing_setup(["work", "n"], check=False)
    assert "Kept the existing profile" in str(error)
    setup(["work", "y", "us", "1", "", "2"], check=False)
    assert load_settings_file().profiles["work"].host == "us"


def test_bad_profile_names_are_asked_again(settings_path: Path) -> None:
    _, output = setup(["my profile", "ok-name", "eu", "1", "", "1"], check=False)
    assert "'my profile' cannot be a profile name" in output
    assert load_settings_file().profile_names == ["ok-name"]


def test_three_wrong_answers_give_up(settings_path: Path) -> None:
    error, _ = failing_setup(["w", "ftp://x", "ftp://y", "ftp://z"], check=False)
    assert isinstance(error, SetupCancelled) and "is not a URL" in str(error)
    assert not settings_path.exists()


def test_profile_name_from_p_is_used_and_checked(settings_path: Path) -> None:
    out = io.StringIO()
    prompter = Prompter(io.StringIO("eu\n1\n\n5\n"), out)
    result = run_setup(prompter, profile_name="team-eu", environ={}, check=False)
    assert result.profile.name == "team-eu" and "Profile name" not in out.getvalue()
    with pytest.raises(ConfigError, match="'bad name' cannot be a profile name"):
        run_setup(prompter, profile_name="bad name", environ={}, check=False)


def test_plain_http_to_another_machine_needs_a_yes(settings_path: Path) -> None:
    _, output = setup(["lan", "http://10.0.0.5:8000", "n", "us", "1", "", "1"], check=False)
    assert "uses plain http: your key would cross the network unencrypted" in output
    assert "--insecure" in output  # the refusal is explained, then the host asked again
    assert load_settings_file().profiles["lan"].host == "us"
    setup(["lan", "y", "http://10.0.0.5:8000", "y", "1", "", "1"], check=False)
    profile = load_settings_file().profiles["lan"]
    assert (profile.host, profile.insecure) == ("http://10.0.0.5:8000", True)
    assert resolve(profile="lan", environ={"POSTHOG_PERSONAL_API_KEY": "phx_k"}).settings().insecure
