"""``workbench`` / ``workbench --demo``: connect (or start the local server) and run the app.

Every start-up failure becomes a plain message on stderr and an exit code, never a traceback.
Imports are deferred so the process reaches the first frame without loading what it does not
draw (the client, httpx and pyarrow load after it).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.connection import ConnectionSettings
    from workbench.history.model import HistorySettings

EXIT_OK, EXIT_USAGE, EXIT_NETWORK = 0, 2, 5
"""Exit codes from docs/ARCHITECTURE.md that the app can return."""

DEMO_HISTORY_HOST = "local-demo"
"""The host name demo runs are recorded under (the demo server's port differs every run)."""

DEMO_START_TIMEOUT = 600.0
"""Seconds to wait for the demo server: the first run builds 1M events before it serves."""


def launch_app(args: argparse.Namespace) -> int:
    """Open the app for ``args`` (``.demo``, ``.host``, ``.project``, ``.insecure``)."""
    if args.demo:
        return _launch_demo(getattr(args, "config", None))
    from workbench.connection import ConnectionError_, resolution_from

    try:
        resolution = resolution_from(
            host=args.host,
            project_id=args.project,
            insecure=args.insecure,
            profile=getattr(args, "profile", None),
            config_path=getattr(args, "config", None),
        )
        settings = resolution.settings()
    except ConnectionError_ as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    context = build_context(
        settings,
        host_label=settings.host,
        history_settings=resolution.settings_file.history,  # None: the store's defaults
    )
    config = getattr(args, "config", None)
    context.config_path = Path(config) if config else None
    return run_app(context)


def _launch_demo(config_path: str | None) -> int:
    """Start the local server (building demo data on first run), run the app, stop it."""
    from workbench.config import ConfigError
    from workbench.config.history_section import history_settings

    try:
        # The demo's runs go into the same history file, kept as the settings file says.
        history = history_settings(config_path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    try:
        from workbench.server.launcher import start_local_server
    except ImportError as exc:
        print(
            "The demo needs the local server's extra dependencies "
            f"(pip install 'hogql-workbench[demo]'): {exc}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from workbench.connection import ConnectionSettings

    print("Starting the local demo server…", file=sys.stderr, flush=True)
    try:
        server = start_local_server(on_progress=_print_progress, timeout=DEMO_START_TIMEOUT)
    except Exception as exc:  # any failure to start is reported, not raised
        from workbench.history.redact import scrub_secrets

        # The message carries the server's stderr tail: keep any key-shaped text out of it.
        print(
            f"\nCould not start the local demo server: {scrub_secrets(str(exc))}", file=sys.stderr
        )
        return EXIT_NETWORK
    try:
        print(file=sys.stderr)
        settings = ConnectionSettings(
            host=server.base_url, project_id=str(server.project_id), api_key=server.api_key
        )
        label = "local demo " + server.base_url.removeprefix("http://")
        # The demo's port changes every run: record its history under one stable host name.
        context = build_context(
            settings, host_label=label, history_host=DEMO_HISTORY_HOST, history_settings=history
        )
        context.show_examples = True
        # A SIGTERM must still stop the server: turn it into SystemExit so `finally` runs.
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            return run_app(context)
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        server.stop()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _print_progress(stage: str, fraction: float) -> None:
    """One rewritten line on stderr while the demo data builds (``fraction`` in [0, 1])."""
    width = 30
    filled = int(max(0.0, min(1.0, fraction)) * width)
    bar = "█" * filled + "░" * (width - filled)
    print(f"\r{stage[:40]:<40} {bar} {fraction * 100:5.1f}%", end="", file=sys.stderr, flush=True)


def build_context(
    settings: ConnectionSettings,
    *,
    host_label: str,
    history_host: str | None = None,
    history_settings: HistorySettings | None = None,
) -> WorkbenchContext:
    """The app's context for ``settings``: lazy client, persistent buffers, query history.

    Runs are recorded against ``history_host`` (default: the settings' host), kept as
    ``history_settings`` say (default: the store's defaults).
    """
    from workbench.app.buffers import BufferStore
    from workbench.app.context import WorkbenchContext
    from workbench.app.workers import ClientSession, QueryClient
    from workbench.paths import data_dir

    def session_for(settings: ConnectionSettings) -> ClientSession:
        def make_client() -> QueryClient:
            from workbench.client import PostHogClient

            return PostHogClient(settings)

        return ClientSession(make_client)

    context = WorkbenchContext(
        host_label=host_label,
        project_label=settings.project_id,
        session=session_for(settings),
        buffer_store=BufferStore(data_dir()),
        session_for=session_for,
    )

    def open_history() -> None:
        # Never raises: a broken or unwritable file degrades to in-memory history, and the
        # main screen shows the store's notice once.
        from workbench.history import HistoryStore

        context.record_history(
            HistoryStore(settings=history_settings),
            host=history_host or settings.host,
            project_id=settings.project_id,
        )

    context.open_history = open_history
    return context


ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
"""pyarrow's allocator choice, read when pyarrow first loads."""


def run_app(context: WorkbenchContext) -> int:
    """Run the app to completion; its return code, or 0."""
    import os

    # pyarrow's default mimalloc pool keeps freed conversion buffers: with the system
    # allocator a 50,000 x 20 result costs ~50 MB less RSS (bench/app_results.py).
    os.environ.setdefault(ARROW_POOL_VARIABLE, "system")
    from workbench.app.workbench_app import WorkbenchApp

    code = WorkbenchApp(context).run()
    return code if isinstance(code, int) else EXIT_OK
