"""Run the server in the foreground: build or reuse the demo data, serve until stopped.

Prints exactly one line to stdout once it accepts connections (:func:`ready_line`);
progress goes to stderr as ``<stage>... NN%`` lines the launcher can parse.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.server.config import ServerConfig

if TYPE_CHECKING:
    from workbench.server.translator import Translator

logger = logging.getLogger(__name__)

BUILD_STAGE = "Building demo data"
"""Progress label while the data builder runs."""
LOAD_STAGE = "Loading the HogQL parser"
"""Progress label while the translator imports PostHog's parser."""


@dataclass(frozen=True)
class ServeOptions:
    """Where and on what data to serve; ``port`` 0 picks a free port."""

    bind: str
    port: int
    data_dir: Path
    events: int
    seed: int = 1
    pool_size: int = 4
    team_id: int = 1


def ready_line(base_url: str, project_id: int, api_key: str) -> str:
    """The one stdout line announcing the server (the only place the key is printed)."""
    return f"Serving PostHog Query API at {base_url} project_id={project_id} api_key={api_key}"


class ProgressPrinter:
    """Reports a stage's progress on stderr when the whole percentage changes.

    On a terminal: one redrawn bar. Otherwise (the launcher's pipe): ``<stage>... NN%`` lines.
    """

    BAR_WIDTH = 30
    """Characters in the terminal progress bar."""

    def __init__(self, stage: str) -> None:
        self._stage = stage
        self._last = -1
        self._tty = sys.stderr.isatty()

    def __call__(self, fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if percent == self._last:
            return
        self._last = percent
        if self._tty:
            filled = percent * self.BAR_WIDTH // 100
            bar = "#" * filled + "." * (self.BAR_WIDTH - filled)
            end = "\n" if percent == 100 else ""
            print(f"\r{self._stage} [{bar}] {percent:3d}%", end=end, file=sys.stderr, flush=True)
        else:
            print(f"{self._stage}... {percent}%", file=sys.stderr, flush=True)


def prepare_data(options: ServeOptions) -> None:
    """Build the demo tables unless the data dir already holds the same data set."""
    import chdb

    # Imported by name: the data builder is another module's job and loads chDB itself.
    demo_data = importlib.import_module("workbench.server.demo_data")
    options.data_dir.mkdir(parents=True, exist_ok=True)
    conn = chdb.connect(str(options.data_dir))  # type: ignore[no-untyped-call]
    try:
        # The data's team id must be the project id: every query filters on it.
        if demo_data.demo_data_is_current(
            conn, events=options.events, seed=options.seed, team_id=options.team_id
        ):
            return
        demo_data.build_demo_data(
            conn,
            events=options.events,
            seed=options.seed,
            team_id=options.team_id,
            on_progress=ProgressPrinter(BUILD_STAGE),
        )
    finally:
        conn.close()


def serve(options: ServeOptions, config: ServerConfig) -> int:
    """Build data, start uvicorn on a bound socket, print the ready line; return exit code."""
    import uvicorn

    from workbench.server.app import create_app
    from workbench.server.engine import ChdbEngine
    from workbench.server.hogql_runner import HogQLRunner
    from workbench.server.query_service import QueryService
    from workbench.server.translator import load_translator

    try:
        prepare_data(options)
    except RuntimeError as exc:
        # chDB opens a database path in one process only.
        print(
            f"workbench serve: cannot open the data directory {options.data_dir} "
            f"(is another server using it?): {exc}",
            file=sys.stderr,
        )
        return 5
    print(f"{LOAD_STAGE}... 0%", file=sys.stderr, flush=True)
    translator = load_translator()
    translator_warmup(translator)
    print(f"{LOAD_STAGE}... 100%", file=sys.stderr, flush=True)
    engine = ChdbEngine(options.data_dir, pool_size=options.pool_size)
    service = QueryService(config, engine, HogQLRunner(config, engine, translator))
    app = create_app(config, service, translator)

    family = socket.AF_INET6 if ":" in options.bind else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it small responses wait ~40 ms for delayed ACKs (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((options.bind, options.port))
    sock.listen(128)
    port = sock.getsockname()[1]
    host = f"[{options.bind}]" if family == socket.AF_INET6 else options.bind
    base_url = f"http://{host}:{port}"

    uv_config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(uv_config)

    async def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.02)
        api_key = config.api_keys[0].key
        print(ready_line(base_url, config.project_id, api_key), flush=True)

    async def kill_queries_on_exit() -> None:
        # Stop ClickHouse work as soon as shutdown starts, so open blocking requests end
        # quickly instead of holding the graceful shutdown for their full run time.
        while not server.should_exit:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
            await asyncio.sleep(0.05)
        await service.shutdown()

    async def main() -> None:
        helpers = [asyncio.create_task(announce()), asyncio.create_task(kill_queries_on_exit())]
        try:
            await server.serve(sockets=[sock])
        finally:
            for helper in helpers:
                helper.cancel()

    try:
        asyncio.run(main())
    finally:
        engine.close()
    return 0


def translator_warmup(translator: Translator) -> None:
    """Parse a tiny query once so the first real request does not pay the parser's start-up."""
    try:
        translator.translate("select 1", team_id=0)
    except Exception:
        logger.debug("translator warm-up failed", exc_info=True)
