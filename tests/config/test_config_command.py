"""``workbench config init/show/check`` and ``-P``/``--config`` end to end, as subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INSIGHT_ONLY_KEY
from workbench.server.launcher import LocalServer


def workbench(
    *args: str, home: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m workbench ARGS`` with its own WORKBENCH_HOME and no POSTHOG_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POSTHOG_")}
    clean.update({"WORKBENCH_HOME": str(home), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_show_without_a_file_explains_how_to_start(isolated_home: Path) -> None:
    proc = workbench("config", "show", home=isolated_home)
    assert proc.returncode == 2
    assert "(not created yet: workbench config init)" in proc.stdout
    assert "Or save a connection profile: workbench config init" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_show_names_the_origin_of_each_setting(isolated_home: Path, settings_path: Path) -> None:
    write(settings_path, '[profiles.default]\nhost = "eu"\nproject = 4\nkey_env = "MY_KEY"\n')
    key = "phx_" + "Show" * 10
    proc = workbench("--project", "8", "config", "show", home=isolated_home, env={"MY_KEY": key})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "Profile:       default  (from named 'default')" in lines
    assert "Host:          https://eu.posthog.com  (from profile 'default')" in lines
    assert "Project:       8  (from --project)" in lines
    assert (
        "Key:           phx_…(44 chars)  (from environment variable MY_KEY (profile 'default'))"
        in lines
    )
    assert key not in proc.stdout + proc.stderr


def test_flags_after_the_action_work_too(isolated_home: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "team.toml", "[profiles.a]\nproject = 1\n[profiles.b]\nproject = 2\n")
    proc = workbench("config", "show", "--config", str(path), "-P", "b", home=isolated_home)
    assert "Project:       2  (from profile 'b')" in proc.stdout
    assert f"Settings file: {path}" in proc.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-P", "nope", "config", "show"], "There is no profile 'nope' in {path}. Profiles: a."),
        (["-P", "nope"], "There is no profile 'nope' in {path}. Profiles: a."),
        (["-P", "nope", "query", "SELECT 1"], "There is no profile 'nope'"),
        (["query", "SELECT 1", "-P", "nope"], "There is no profile 'nope'"),
        (["export", "SELECT 1", "-o", "{out}", "-P", "nope"], "There is no profile 'nope'"),
        (["-P", "nope", "export", "SELECT 1", "-o", "{out}"], "There is no profile 'nope'"),
        (["query", "SELECT 1", "--config", "{missing}"], "No settings file at {missing}."),
        (["--config", "{missing}", "config", "show"], "No settings file at {missing}."),
    ],
)
def test_mistakes_are_messages_with_exit_2(
    isolated_home: Path, settings_path: Path, tmp_path: Path, args: list[str], expected: str
) -> None:
    write(settings_path, '[profiles.a]\nhost = "us"\n')
    missing = tmp_path / "missing.toml"
    args = [a.format(missing=missing, out=tmp_path / "out.csv") for a in args]
    proc = workbench(*args, home=isolated_home)
    assert proc.returncode == 2
    assert expected.format(path=settings_path, missing=missing) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_toml_stops_the_app_with_file_line_column(
    isolated_home: Path, settings_path: Path
) -> None:
    write(settings_path, '[profiles.a]\nhost = "us"\nproject = \n')
    proc = workbench(home=isolated_home)
    assert proc.returncode == 2
    assert f"{settings_path}, line 3, column 11: invalid TOML" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_config_without_an_action_shows_usage(isolated_home: Path) -> None:
    proc = workbench("config", home=isolated_home)
    assert proc.returncode == 2 and "workbench config {init,show,check}" in proc.stderr


@pytest.mark.server
def test_init_then_query_and_check_with_the_profile(
    local_server: LocalServer, isolated_home: Path, settings_path: Path
) -> None:
    answers = ["local", local_server.base_url, "4", local_server.api_key, ""]
    proc = workbench("config", "init", home=isolated_home, stdin="".join(a + "\n" for a in answers))
    assert proc.returncode == 0, proc.stderr
    assert f"Saved profile 'local' to {settings_path}" in proc.stdout
    assert local_server.api_key not in proc.stdout + proc.stderr

    query = workbench("-P", "local", "query", "SELECT 40 + 2 AS answer", home=isolated_home)
    assert query.returncode == 0, query.stderr
    assert query.stdout.split()[-1] == "42"

    check = workbench("config", "check", home=isolated_home)
    assert check.returncode == 0, check.stderr
    assert "accepted the key; it can see 1 project(s)" in check.stdout
    assert f"can run HogQL queries in project {local_server.project_id}" in check.stdout
    assert local_server.api_key not in check.stdout + check.stderr


@pytest.mark.server
def test_check_says_what_the_key_lacks(
    local_server: LocalServer, isolated_home: Path, settings_path: Path
) -> None:
    write(
        settings_path,
        f'[profiles.default]\nhost = "{local_server.base_url}"\n'
        f'project = {local_server.project_id}\nkey_env = "LIMITED"\n',
    )
    proc = workbench("config", "check", home=isolated_home, env={"LIMITED": INSIGHT_ONLY_KEY})
    assert proc.returncode == 3
    assert "lacks the project:read scope" in proc.stdout
    assert "lacks the query:read scope" in proc.stderr
    assert INSIGHT_ONLY_KEY not in proc.stdout + proc.stderr


@pytest.mark.server
def test_init_with_a_wrong_key_exits_3_and_writes_nothing(
    local_server: LocalServer, isolated_home: Path, settings_path: Path
) -> None:
    answers = ["local", local_server.base_url, "4", "phx_" + "bad" * 14]
    proc = workbench("config", "init", home=isolated_home, stdin="".join(a + "\n" for a in answers))
    assert proc.returncode == 3
    assert "did not accept the API key" in proc.stderr
    assert not settings_path.exists()
