"""launch_app: start-up failures are plain messages with exit codes, never tracebacks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from workbench.app import launch


def args(**overrides: Any) -> argparse.Namespace:
    values = {"demo": False, "host": None, "project": None, "insecure": False}
    values.update(overrides)
    return argparse.Namespace(**values)


def test_missing_settings_explain_how_to_connect(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("POSTHOG_PERSONAL_API_KEY", "POSTHOG_HOST", "POSTHOG_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    assert launch.launch_app(args()) == launch.EXIT_USAGE
    err = capsys.readouterr().err
    assert "POSTHOG_PERSONAL_API_KEY" in err and "workbench --demo" in err
    assert "Traceback" not in err


def test_a_demo_server_that_fails_to_start_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import workbench.server.launcher as launcher

    def fail(**kwargs: Any) -> None:
        kwargs["on_progress"]("building events", 0.5)
        raise launcher.LocalServerError(
            "local server exited before it was ready: key phx_abcdefghijklmnop rejected"
        )

    monkeypatch.setattr(launcher, "start_local_server", fail)
    assert launch.launch_app(args(demo=True)) == launch.EXIT_NETWORK
    err = capsys.readouterr().err
    assert "building events" in err and " 50.0%" in err
    assert "Could not start the local demo server: local server exited" in err
    assert "Traceback" not in err
    assert "abcdefghijklmnop" not in err


def test_the_demo_runs_the_app_on_the_server_and_stops_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import workbench.server.launcher as launcher

    class Server:
        base_url = "http://127.0.0.1:1"
        api_key = "phx_" + "s" * 40
        project_id = 7
        stopped = False

        def stop(self) -> None:
            Server.stopped = True

    seen: list[Any] = []
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.setattr(launcher, "start_local_server", lambda **kwargs: Server())
    monkeypatch.setattr(launch, "run_app", lambda context: seen.append(context) or 0)
    assert launch.launch_app(args(demo=True)) == 0
    assert Server.stopped
    context = seen[0]
    assert context.host_label == "local demo 127.0.0.1:1"
    assert context.project_label == "7"
    assert Server.api_key not in repr(context)


def test_the_first_frame_needs_no_client_arrow_or_grid_imports() -> None:
    import subprocess
    import sys

    code = (
        "import sys, workbench.app.launch, workbench.app.workbench_app;"
        "heavy = ('httpx', 'pyarrow', 'textual_fastdatatable', 'workbench.client', 'sqlparse');"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_the_result_warm_up_really_converts_a_row() -> None:
    from workbench.app.workers import warm_up_result_imports

    warm_up_result_imports()  # suppressed in the app, so it must work on its own
