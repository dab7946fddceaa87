"""``workbench export``: every row of a HogQL query into a file, past the 50,000-row cap.

Pages with keyset pagination on ``--key`` (``timestamp`` by default), streams into
``--output`` and can be resumed after Ctrl-C, a network failure or a full disk
(``--resume``). Progress goes to stderr (redrawn on a terminal); the key is never printed.
Heavy imports (httpx, the client, pyarrow) happen inside ``run``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from workbench.cli import EXIT_OK, EXIT_USAGE, add_connection_arguments

if TYPE_CHECKING:
    from workbench.connection import ConnectionSettings
    from workbench.export import ExportProgress

EXPORT_FORMATS = ("csv", "tsv", "json", "jsonl", "parquet")
"""Formats of ``--format`` (kept here so ``--help`` imports nothing from the export package)."""

EXIT_INTERRUPTED = 130
"""Conventional exit code after Ctrl-C (128 + SIGINT)."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``workbench export``."""
    parser = subparsers.add_parser(
        "export",
        help="export every row of a HogQL query to a file (beyond 50,000 rows)",
        description="Export every row of a HogQL query to a file, in pages of up to 50,000 "
        "rows ordered by a key column (keyset pagination). Interrupted exports resume with "
        "--resume.",
        epilog="Key: $POSTHOG_PERSONAL_API_KEY. Exit codes: 0 ok, 1 query error, 2 usage or "
        "file error, 3 auth, 4 rate limited, 5 network or server, 130 interrupted.",
    )
    parser.add_argument("sql", nargs="?", help="the HogQL query, or - to read it from stdin")
    parser.add_argument("-f", "--file", type=Path, help="read the query from FILE")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="write rows to FILE"
    )
    parser.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="file format (default: from the file name's ending, else csv)",
    )
    parser.add_argument(
        "--key",
        default="timestamp",
        metavar="COLUMN",
        help="result column to page on, in ascending order (default: timestamp)",
    )
    parser.add_argument(
        "--tiebreak",
        metavar="COLUMN",
        help="second ordering column for rows sharing a key value, e.g. uuid",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue an interrupted export of the same query"
    )
    parser.add_argument(
        "--page-size",
        type=int,
        default=50_000,
        metavar="N",
        help="rows per query (default and maximum 50,000)",
    )
    parser.add_argument(
        "--no-count",
        dest="count_total",
        action="store_false",
        help="skip the count query (saves one query; no time estimate)",
    )
    # Also accepted after the subcommand (values given before it are kept).
    add_connection_arguments(parser, suppress=True)
    parser.set_defaults(func=run)


def progress_text(progress: ExportProgress) -> str:
    """``120,000 of 1,000,000 rows (12%) · 3 pages · 41,000 rows/s · ~21 s left``."""
    if progress.stage == "counting":
        return "Counting rows"
    if progress.stage == "waiting" and progress.waiting is not None:
        return f"{progress.rows:,} rows · rate limit: waiting {progress.waiting:.0f} s"
    if progress.stage == "finishing":
        return f"{progress.rows:,} rows · writing the file"
    parts = [
        f"{progress.rows:,} of {progress.total_rows:,} rows ({progress.fraction or 0:.0%})"
        if progress.total_rows
        else f"{progress.rows:,} rows",
        f"{progress.pages} pages",
    ]
    if progress.rows_per_second:
        parts.append(f"{progress.rows_per_second:,.0f} rows/s")
    if progress.eta is not None:
        parts.append(f"~{progress.eta:.0f} s left")
    return " · ".join(parts)


class ProgressPrinter:
    """Progress on stderr: one line redrawn on a terminal; waits and pages logged otherwise."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self._last_pages = -1

    def __call__(self, progress: ExportProgress) -> None:
        text = progress_text(progress)
        if self.interactive:
            self.stream.write(f"\r\x1b[K{text}")
        elif progress.stage == "waiting" or progress.pages != self._last_pages:
            self._last_pages = progress.pages
            self.stream.write(text + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.interactive:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


async def execute(args: argparse.Namespace, settings: ConnectionSettings, sql: str) -> int:
    """Run the export; returns the exit code."""
    from workbench.client import PostHogClient, PostHogError
    from workbench.commands.query import exit_code_for
    from workbench.export import ExportError, ExportJob, format_for_path
    from workbench.export.state import ExportState, state_path

    err = sys.stderr
    printer = ProgressPrinter(err)
    fmt = args.format or format_for_path(args.output)
    async with PostHogClient(settings) as client:
        job = ExportJob(
            client,
            sql,
            args.output,
            fmt=fmt,
            key=args.key,
            tiebreak=args.tiebreak,
            page_size=args.page_size,
            count_total=args.count_total,
            resume=args.resume,
            on_progress=printer,
        )
        try:
            summary = await job.run()
        except (ExportError, PostHogError) as exc:
            printer.clear()
            # No caret under the query: PostHog's offsets point into the wrapped page query.
            err.write(f"Error: {exc}\n")
            saved = ExportState.load(state_path(args.output))
            if saved is not None and saved.rows_written:
                err.write(
                    f"{saved.rows_written:,} rows are saved; run the same command with "
                    "--resume to continue.\n"
                )
            return exit_code_for(exc) if isinstance(exc, PostHogError) else EXIT_USAGE
        finally:
            printer.clear()
    rate = summary.rows / summary.seconds if summary.seconds > 0 else 0.0
    err.write(
        f"{summary.rows:,} rows in {summary.pages} pages to {summary.path} "
        f"({summary.seconds:.1f} s, {rate:,.0f} rows/s)\n"
    )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Entry point of ``workbench export``."""
    import asyncio

    from workbench.commands.query import read_sql
    from workbench.connection import ConnectionError_, settings_from
    from workbench.export.files import ExportError, check_writable

    try:
        sql = read_sql(args, sys.stdin)
        if not 1 <= args.page_size <= 50_000:
            raise ValueError("--page-size must be between 1 and 50,000.")
        check_writable(args.output)  # before any query spends the rate budget
        settings = settings_from(
            host=getattr(args, "host", None),
            project_id=getattr(args, "project", None),
            insecure=bool(getattr(args, "insecure", False)),
            profile=getattr(args, "profile", None),
            config_path=getattr(args, "config", None),
        )
    except (ValueError, ConnectionError_, ExportError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    try:
        return asyncio.run(execute(args, settings, sql))
    except KeyboardInterrupt:
        print("\nInterrupted; run the same command with --resume to continue.", file=sys.stderr)
        return EXIT_INTERRUPTED
