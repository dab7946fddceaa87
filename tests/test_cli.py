"""The ``workbench`` command's own behaviour: help, version, and the not-connected message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from workbench import __version__


def run_workbench(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m workbench`` with the POSTHOG_* settings removed unless given."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POSTHOG_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_version_prints_the_package_version() -> None:
    proc = run_workbench("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"workbench {__version__}"


def test_help_lists_demo_and_connection_flags() -> None:
    proc = run_workbench("--help")
    assert proc.returncode == 0
    for flag in ("--demo", "--host", "--project", "--insecure"):
        assert flag in proc.stdout


def test_no_settings_explains_how_to_connect_without_a_traceback() -> None:
    proc = run_workbench()
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    for hint in ("POSTHOG_PERSONAL_API_KEY", "--host", "--project", "workbench --demo"):
        assert hint in proc.stderr
    assert "https://us.posthog.com" in proc.stderr


def test_only_the_key_missing_names_only_the_key() -> None:
    proc = run_workbench("--host", "https://eu.posthog.com", "--project", "7")
    assert proc.returncode == 2
    assert "POSTHOG_PERSONAL_API_KEY" in proc.stderr
    assert "a host" not in proc.stderr and "a project id" not in proc.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("http://example.com", "plain http://"),
        ("https://us.i.posthog.com", "only ingests events"),
        ("ftp://example.com", "is not a URL"),
    ],
)
def test_unsafe_or_wrong_hosts_are_refused_with_the_reason(host: str, expected: str) -> None:
    secret = "phx_" + "s3cr3t" * 6
    proc = run_workbench("--host", host, "--project", "1", env={"POSTHOG_PERSONAL_API_KEY": secret})
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert "s3cr3t" not in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
