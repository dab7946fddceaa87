"""``workbench serve``: run the local PostHog Query API stand-in in the foreground."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

ENV_SERVER_API_KEY = "WORKBENCH_SERVER_API_KEY"
"""Key for the server when ``--api-key`` is not given (keeps it out of the process list)."""
DEMO_EVENTS = 1_000_000
"""Events in the default demo data set."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``serve`` and its flags."""
    parser = subparsers.add_parser(
        "serve",
        help="run a local PostHog Query API on demo data (needs the 'demo' extra)",
        description="Serve PostHog's Query API locally on embedded ClickHouse with demo data. "
        "Prints one line with the URL, project id and API key, then serves until Ctrl-C.",
    )
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8010, help="port; 0 picks a free one")
    parser.add_argument("--api-key", help=f"personal API key to accept (${ENV_SERVER_API_KEY})")
    parser.add_argument(
        "--extra-api-key",
        action="append",
        default=[],
        metavar="KEY=SCOPES[@PROJECTS]",
        help="another key with comma-separated scopes (and project ids), e.g. k=query:read@1",
    )
    parser.add_argument("--project-id", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, help="ClickHouse data directory")
    parser.add_argument("--events", type=int, default=DEMO_EVENTS, help="demo events to generate")
    parser.add_argument("--seed", type=int, default=1, help="demo data random seed")
    parser.add_argument("--pool-size", type=int, default=4, help="queries ClickHouse runs at once")
    parser.add_argument("--max-execution-time", type=int, default=60, help="sync query seconds")
    parser.add_argument("--async-max-execution-time", type=int, default=600, help="async seconds")
    parser.add_argument("--max-memory-usage", type=int, default=4 * 1024**3, help="bytes/query")
    parser.add_argument("--max-concurrent-queries", type=int, default=3, help="per project")
    parser.add_argument(
        "--concurrency-wait",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long a query over the limit waits for a slot before its 429",
    )
    parser.add_argument(
        "--cache-ttl", type=float, default=300.0, help="seconds a cached response stays fresh"
    )
    parser.add_argument("--hogql-rate", default="120/hour", help="HogQLQuery POSTs per key")
    parser.add_argument("--burst-rate", default="240/minute", help="other requests per key")
    parser.add_argument("--sustained-rate", default="1200/hour", help="other requests per key")
    parser.add_argument("--no-rate-limits", action="store_true", help="turn throttling off")
    parser.set_defaults(func=run)


def _extra_key(spec: str) -> tuple[str, frozenset[str], frozenset[int] | None]:
    key, _, rest = spec.partition("=")
    scopes, _, projects = rest.partition("@")
    if not key or not scopes:
        raise ValueError("expected KEY=SCOPES[@PROJECT,...]")
    project_ids = frozenset(int(p) for p in projects.split(",")) if projects else None
    return key, frozenset(s for s in scopes.split(",") if s), project_ids


def run(args: argparse.Namespace) -> int:
    """Validate flags, then serve; exit code 2 on bad flags or a missing extra."""
    from workbench.cli import EXIT_USAGE
    from workbench.server.config import ApiKey, Rate, RateLimits, ServerConfig

    try:
        limits = RateLimits(
            hogql=Rate.parse(args.hogql_rate),
            burst=Rate.parse(args.burst_rate),
            sustained=Rate.parse(args.sustained_rate),
            enabled=not args.no_rate_limits,
        )
        extra = [ApiKey(*_extra_key(spec)) for spec in args.extra_api_key]
    except ValueError as exc:
        print(f"workbench serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    api_key = args.api_key or os.environ.get(ENV_SERVER_API_KEY) or "phx_" + secrets.token_hex(20)
    config = ServerConfig(
        api_keys=(ApiKey(api_key), *extra),
        project_id=args.project_id,
        max_execution_time=args.max_execution_time,
        async_max_execution_time=args.async_max_execution_time,
        max_memory_usage=args.max_memory_usage,
        max_concurrent_queries=args.max_concurrent_queries,
        concurrency_wait=max(0.0, args.concurrency_wait),
        rate_limits=limits,
        cache_ttl=args.cache_ttl,
    )
    try:
        from workbench.server.runtime import ServeOptions, serve
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        print(f"workbench serve needs the 'demo' extra: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from workbench.paths import demo_data_dir

    options = ServeOptions(
        bind=args.bind,
        port=args.port,
        data_dir=args.data_dir or demo_data_dir(),
        events=args.events,
        seed=args.seed,
        pool_size=args.pool_size,
        team_id=args.project_id,
    )
    try:
        return serve(options, config)
    except OSError as exc:
        print(f"workbench serve: {exc}", file=sys.stderr)
        return 5
