"""The ``workbench`` command line: parse arguments, dispatch, turn failures into messages.

Nothing heavy is imported at module level: ``workbench --help`` and ``--version`` must stay
instant and must not load Textual or chDB (``tests/test_import_contract.py``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from workbench import __version__

COMMAND_MODULES: tuple[str, ...] = ("query", "serve", "config", "history", "export")
"""Subcommand modules under ``workbench.commands``; each has ``add_parser`` and ``run``."""

EXIT_OK, EXIT_QUERY_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_RATE_LIMITED, EXIT_NETWORK = range(6)
"""Exit codes shared by every command (see docs/ARCHITECTURE.md)."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser, subcommands included."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A terminal workbench for exploring PostHog data with HogQL.",
        epilog="Run without a command to open the app. Key: $POSTHOG_PERSONAL_API_KEY.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open on the built-in offline demo (a local PostHog stand-in with sample data)",
    )
    add_connection_arguments(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"workbench.commands.{name}").add_parser(subparsers)
    return parser


def add_connection_arguments(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """``--host``, ``--project``, ``--insecure``, ``--config``, ``--profile``: app and subcommands.

    ``suppress`` keeps values given before a subcommand's name when it accepts them after too.
    """
    default: object = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--host", default=default, help="PostHog URL, e.g. https://us.posthog.com ($POSTHOG_HOST)"
    )
    parser.add_argument(
        "--project",
        default=default,
        help="project id, or @current ($POSTHOG_PROJECT_ID)",
        metavar="ID",
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="allow plain http:// to a host that is not this machine",
    )
    add_profile_arguments(parser, suppress=suppress)


def add_profile_arguments(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """``--config PATH`` and ``--profile/-P NAME``.

    ``suppress`` keeps values given before a subcommand's name when it accepts them after too.
    """
    default: object = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config",
        default=default,
        metavar="PATH",
        help="settings file to use instead of the one in your config directory",
    )
    parser.add_argument(
        "-P",
        "--profile",
        default=default,
        metavar="NAME",
        help="connection profile from the settings file (see: workbench config show)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "func", None) is not None:
            code: int = args.func(args)
            return code
        return open_app(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def open_app(args: argparse.Namespace) -> int:
    """Open the app, on the demo or on the connection the flags and environment describe."""
    from workbench.connection import ConnectionError_, settings_from

    if not args.demo:
        try:
            settings_from(
                host=args.host,
                project_id=args.project,
                insecure=args.insecure,
                profile=args.profile,
                config_path=args.config,
            )
        except ConnectionError_ as exc:
            print(exc, file=sys.stderr)
            return EXIT_USAGE
    # Imported by name so this module stays importable (and typed) without the UI package.
    launch_app: Callable[[argparse.Namespace], int] = importlib.import_module(
        "workbench.app.launch"
    ).launch_app
    return launch_app(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
