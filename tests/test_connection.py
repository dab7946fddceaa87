"""Connection settings: flags over environment, safety rules, and a key that never shows."""

from __future__ import annotations

import pytest

from workbench.connection import (
    ConnectionError_,
    ConnectionSettings,
    is_loopback_host,
    normalise_host,
    redact_key,
    settings_from,
)

KEY = "phx_" + "a1b2c3d4" * 5


def test_flags_win_over_environment() -> None:
    env = {"POSTHOG_HOST": "https://eu.posthog.com", "POSTHOG_PROJECT_ID": "9"}
    settings = settings_from(
        host="https://us.posthog.com/",
        project_id="12",
        environ={**env, "POSTHOG_PERSONAL_API_KEY": KEY},
    )
    assert (settings.host, settings.project_id) == ("https://us.posthog.com", "12")


def test_environment_fills_what_flags_leave_out() -> None:
    env = {"POSTHOG_HOST": "eu.posthog.com", "POSTHOG_PROJECT_ID": "@current"}
    settings = settings_from(
        host=None, project_id=None, environ={**env, "POSTHOG_PERSONAL_API_KEY": KEY}
    )
    assert (settings.host, settings.project_id) == ("https://eu.posthog.com", "@current")


def test_key_never_appears_in_repr_or_str() -> None:
    settings = ConnectionSettings(host="https://us.posthog.com", project_id="1", api_key=KEY)
    assert KEY not in repr(settings) and KEY not in str(settings)
    assert settings.redacted_key == f"phx_…({len(KEY)} chars)"
    assert redact_key("") == "(none)"


def test_non_numeric_project_is_explained() -> None:
    with pytest.raises(ConnectionError_, match="must be a number"):
        settings_from(
            host="https://us.posthog.com",
            project_id="my-project",
            environ={"POSTHOG_PERSONAL_API_KEY": KEY},
        )


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.8.9.10", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://10.0.0.5", False),
        ("http://posthog.example.com", False),
        ("https://posthog.example.com", True),
    ],
)
def test_plain_http_only_to_loopback_unless_insecure(host: str, allowed: bool) -> None:
    if allowed:
        ConnectionSettings(host=host, project_id="1", api_key=KEY)
    else:
        with pytest.raises(ConnectionError_, match="--insecure"):
            ConnectionSettings(host=host, project_id="1", api_key=KEY)
        ConnectionSettings(host=host, project_id="1", api_key=KEY, insecure=True)


def test_loopback_detection_and_host_normalising() -> None:
    assert is_loopback_host("LOCALHOST")
    assert not is_loopback_host("127.example.com")
    assert normalise_host("  us.posthog.com/ ") == "https://us.posthog.com"
