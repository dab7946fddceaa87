"""``workbench config``: set up (``init``), inspect (``show``) and test (``check``) profiles.

``show`` prints the effective settings and where each came from, with the key redacted.
Output goes to stdout, problems to stderr; exit codes as in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from workbench.cli import EXIT_OK, EXIT_USAGE, add_profile_arguments

if TYPE_CHECKING:
    from workbench.config import Resolution
    from workbench.history.model import HistorySettings


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``workbench config`` and its three actions."""
    parser = subparsers.add_parser(
        "config",
        help="connection profiles: init, show, check",
        description="Manage connection profiles in the settings file (TOML).",
    )
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION")
    init = actions.add_parser(
        "init",
        help="interactive setup: test a connection and save it as a profile",
        description="Ask for a host, project and key source, test the connection (lists "
        "projects, checks the query:read scope) and save the profile (file mode 0600).",
    )
    init.add_argument(
        "--no-check",
        action="store_true",
        help="save without testing the connection (for setting up offline)",
    )
    show = actions.add_parser(
        "show", help="the effective settings and where each comes from (key redacted)"
    )
    check = actions.add_parser(
        "check", help="test the effective connection: list projects, run a query"
    )
    for action in (init, show, check):
        add_profile_arguments(action, suppress=True)
        action.set_defaults(func=run)
    for action in (show, check):
        action.add_argument("--host", default=argparse.SUPPRESS, help="PostHog URL, us or eu")
        action.add_argument("--project", default=argparse.SUPPRESS, metavar="ID")
    parser.set_defaults(func=run)


def config_path(args: argparse.Namespace) -> Path | None:
    """The ``--config`` path, or None for the default settings file."""
    value = getattr(args, "config", None)
    return Path(value) if value is not None else None


def run(args: argparse.Namespace) -> int:
    """Entry point of ``workbench config ACTION``."""
    from workbench.connection import ConnectionError_

    action = getattr(args, "config_action", None)
    if action is None:
        print(
            "Usage: workbench config {init,show,check} (see workbench config -h)", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        if action == "init":
            return run_init(args)
        if action == "show":
            return run_show(args, sys.stdout)
        return run_check(args)
    except ConnectionError_ as exc:
        print(exc, file=sys.stderr)
        return int(getattr(exc, "exit_code", EXIT_USAGE))


def run_init(args: argparse.Namespace) -> int:
    """The setup dialogue on stdin/stdout."""
    import os

    from workbench.config.prompter import Prompter
    from workbench.config.setup import run_setup

    run_setup(
        Prompter(sys.stdin, sys.stdout),
        path=config_path(args),
        profile_name=getattr(args, "profile", None),
        environ=os.environ,
        check=not args.no_check,
    )
    return EXIT_OK


def resolve_from_args(args: argparse.Namespace) -> Resolution:
    """The settings resolution for the flags in ``args``."""
    from workbench.config import ConnectionFlags, resolve

    flags = ConnectionFlags(
        host=getattr(args, "host", None),
        project=getattr(args, "project", None),
        insecure=bool(getattr(args, "insecure", False)),
    )
    return resolve(flags, profile=getattr(args, "profile", None), config_path=config_path(args))


def run_show(args: argparse.Namespace, out: IO[str]) -> int:
    """Print the effective settings; exit 2 (with the reason on stderr) if incomplete."""
    from workbench.connection import ConnectionError_, redact_key

    resolution = resolve_from_args(args)
    for line in describe(resolution, key_shown=redact_key(resolution.key or "")):
        out.write(line + "\n")
    for warning in resolution.warnings:
        print(warning, file=sys.stderr)
    try:
        resolution.settings()
    except ConnectionError_ as exc:
        print(f"\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def describe(resolution: Resolution, *, key_shown: str) -> list[str]:
    """The lines of ``config show``; the key only as ``key_shown`` (already redacted)."""
    settings_file = resolution.settings_file
    state = (
        ("readable by you only" if settings_file.owner_only else "READABLE BY OTHERS: chmod 600")
        if settings_file.exists
        else "not created yet: workbench config init"
    )
    profile = resolution.profile
    names = [
        name + (" (default)" if settings_file.default_profile == name else "")
        for name in settings_file.profile_names
    ]

    def origin(value: str | None, source: str | None) -> str:
        return f"{value}  (from {source})" if value else "(not set)"

    key_line = (
        origin(key_shown, resolution.key_origin)
        if resolution.key is not None
        else f"(not found) {resolution.key_problem}"
    )
    return [
        f"Settings file: {settings_file.path}  ({state})",
        "Profile:       "
        + (f"{profile.name}  (from {resolution.profile_origin})" if profile else "(none)"),
        f"Host:          {origin(resolution.host.value, resolution.host.origin)}",
        f"Project:       {origin(resolution.project.value, resolution.project.origin)}",
        f"Key:           {key_line}",
        f"Insecure http: {'allowed' if resolution.insecure else 'no'}",
        f"Profiles:      {', '.join(names) if names else '(none)'}",
        f"History:       {describe_history(settings_file.history)}",
    ]


def describe_history(history: HistorySettings | None) -> str:
    """What ``[history]`` keeps, in words (the defaults when the file has no section)."""
    from workbench.history.model import HistorySettings

    settings = history or HistorySettings()
    runs = f"{settings.max_entries:,} runs" if settings.max_entries else "every run"
    age = f"for {settings.max_age_days:g} days" if settings.max_age_days else "forever"
    samples = (
        f"samples up to {settings.sample_max_rows:,} rows / "
        f"{settings.sample_max_bytes // 1024:,} KiB"
        if settings.keep_samples
        else "no result samples"
    )
    where = "" if history is not None else "  (defaults; set them in [history])"
    return f"keeps {runs} {age}, {samples}{where}"


def run_check(args: argparse.Namespace) -> int:
    """Test the effective connection: list projects, then run ``SELECT 1`` in the project."""
    import asyncio

    from workbench.config.probe import ConnectionCheckFailed, check_query_access, fetch_projects

    resolution = resolve_from_args(args)
    for warning in resolution.warnings:
        print(warning, file=sys.stderr)
    settings = resolution.settings()
    try:
        projects = asyncio.run(fetch_projects(settings))
        print(f"✓ {settings.host} accepted the key; it can see {len(projects)} project(s).")
    except ConnectionCheckFailed as exc:
        if "project:read" not in str(exc):
            raise
        print(f"! {exc}")
    project = asyncio.run(check_query_access(settings))
    named = f" ({project.name})" if project is not None else ""
    print(f"✓ The key can run HogQL queries in project {settings.project_id}{named}.")
    return EXIT_OK
