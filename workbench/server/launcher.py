"""Start the local server as a subprocess and wait until it serves (no chDB import here).

Used by tests (the ``local_server`` fixture) and ``workbench --demo``::

    with start_local_server(events=50_000) as server:
        httpx.get(f"{server.base_url}/api/projects/", headers={"Authorization": ...})
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from workbench.commands.serve import ENV_SERVER_API_KEY

READY_LINE = re.compile(
    r"^Serving PostHog Query API at (?P<url>http://\S+) project_id=(?P<project>\d+) api_key=\S+$"
)
"""The server's ready line (see ``runtime.ready_line``); the key group is not captured."""
_PROGRESS = re.compile(r"^(?P<stage>.+?)\.\.\. (?P<percent>\d{1,3})%$")
"""The server's progress lines on stderr: ``<stage>... NN%``."""
STOP_TIMEOUT = 10.0
"""Seconds to wait for a graceful exit after SIGTERM before SIGKILL."""


class LocalServerError(RuntimeError):
    """The server process exited or stayed silent before its ready line."""


class LocalServer:
    """A running ``workbench serve`` subprocess; a context manager that stops it on exit."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        base_url: str,
        api_key: str,
        project_id: int,
        stderr_tail: deque[str] | None = None,
    ) -> None:
        self.process = process
        self.base_url = base_url
        self.api_key = api_key
        self.project_id = project_id
        self._stderr_tail = stderr_tail if stderr_tail is not None else deque()

    def stderr_tail(self) -> str:
        """The server's last stderr lines (progress, warnings, a crash's traceback)."""
        return "\n".join(self._stderr_tail)

    def __repr__(self) -> str:
        return f"LocalServer(base_url={self.base_url!r}, project_id={self.project_id})"

    def stop(self) -> None:
        """Terminate and reap the process; idempotent."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _pump_stderr(
    stream: IO[str], tail: deque[str], on_progress: Callable[[str, float], None] | None
) -> None:
    for raw in stream:
        line = raw.rstrip("\n")
        tail.append(line)
        match = _PROGRESS.match(line)
        if match and on_progress is not None:
            with contextlib.suppress(Exception):  # a faulty callback must not stop draining
                on_progress(match.group("stage"), int(match.group("percent")) / 100)


def start_local_server(
    *,
    data_dir: Path | None = None,
    events: int = 1_000_000,
    api_key: str | None = None,
    project_id: int = 1,
    extra_args: Sequence[str] = (),
    on_progress: Callable[[str, float], None] | None = None,
    timeout: float = 120.0,
) -> LocalServer:
    """Start ``python -m workbench serve --port 0`` and return once it serves.

    ``on_progress(stage, fraction)`` receives the data build's progress (fraction 0..1).
    Raises :class:`LocalServerError` if the process dies or ``timeout`` seconds pass.
    """
    key = api_key or "phx_" + secrets.token_hex(20)
    command = [
        sys.executable, "-m", "workbench", "serve", "--bind", "127.0.0.1", "--port", "0",
        "--project-id", str(project_id), "--events", str(events),
    ]  # fmt: skip
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    command += list(extra_args)
    env = {**os.environ, ENV_SERVER_API_KEY: key, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    tail: deque[str] = deque(maxlen=40)
    threading.Thread(
        target=_pump_stderr, args=(process.stderr, tail, on_progress), daemon=True
    ).start()
    ready: list[str] = []
    reader = threading.Thread(target=_read_ready, args=(process, ready), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while not ready and process.poll() is None and time.monotonic() < deadline:
        reader.join(0.05)
    if not ready:
        reason = "exited" if process.poll() is not None else "timed out"
        LocalServer(process, "", key, project_id).stop()
        raise LocalServerError(f"local server {reason} before it was ready:\n" + "\n".join(tail))
    match = READY_LINE.match(ready[0])
    assert match is not None
    return LocalServer(process, match.group("url"), key, int(match.group("project")), tail)


def _read_ready(process: subprocess.Popen[str], ready: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if READY_LINE.match(line.strip()):
            ready.append(line.strip())
            break
    # Keep draining so the server never blocks on a full stdout pipe.
    for _ in process.stdout:
        pass
