"""``workbench query``: run one HogQL query against PostHog and print the rows.

Data goes to stdout (or ``--output``); everything else (progress, elapsed time, truncation
notes, errors) to stderr, progress only when stderr is a terminal. Ctrl-C cancels the
query on the server before exiting. The key is never printed, not even with ``--verbose``.
Heavy imports (httpx, the client) happen inside ``run``: ``workbench --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from workbench.cli import (
    EXIT_AUTH,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_QUERY_ERROR,
    EXIT_RATE_LIMITED,
    EXIT_USAGE,
    add_connection_arguments,
)

if TYPE_CHECKING:
    from workbench.client import PostHogError, QueryProgress, QueryResult
    from workbench.connection import ConnectionSettings

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "parquet")
"""Output formats; ``table`` is for people, the others for programs (``parquet`` needs -o)."""

MAX_CELL_WIDTH = 40
"""Characters per cell in ``table`` output; longer values end in ``…``."""

EXIT_INTERRUPTED = 130
"""Conventional exit code after Ctrl-C (128 + SIGINT)."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``workbench query``."""
    parser = subparsers.add_parser(
        "query",
        help="run one HogQL query and print the result",
        description="Run one HogQL query against PostHog and print the rows.",
        epilog="Key: $POSTHOG_PERSONAL_API_KEY. Exit codes: 0 ok, 1 query error, 2 usage, "
        "3 auth, 4 rate limited, 5 network or server.",
    )
    parser.add_argument("sql", nargs="?", help="the HogQL query, or - to read it from stdin")
    parser.add_argument("-f", "--file", type=Path, help="read the query from FILE")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument(
        "--limit",
        type=int,
        default=1000,
        metavar="N",
        help="return at most N rows; appended as LIMIT when the query has none (default 1000, max 50000)",
    )
    parser.add_argument(
        "--async",
        dest="use_async",
        action="store_true",
        help="submit asynchronously and poll (shows progress on a terminal)",
    )
    parser.add_argument("--refresh", action="store_true", help="bypass PostHog's result cache")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write data to FILE")
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
    parser.add_argument(
        "--no-history", action="store_true", help="do not record this run in query history"
    )
    # Also accepted after the subcommand (values given before it are kept).
    add_connection_arguments(parser, suppress=True)
    parser.set_defaults(func=run)


def read_sql(args: argparse.Namespace, stdin: IO[str]) -> str:
    """The query text from the argument, ``-f FILE`` or stdin (``-``); ``ValueError`` if none."""
    sql: str
    if args.sql is not None and args.file is not None:
        raise ValueError("Give the query either as an argument or with -f FILE, not both.")
    if args.file is not None:
        try:
            sql = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"Cannot read {args.file}: {exc.strerror or exc}") from None
    elif args.sql == "-":
        sql = stdin.read()
    elif args.sql is not None:
        sql = str(args.sql)
    else:
        raise ValueError('No query given. Usage: workbench query "SELECT …" (or -f FILE, or -).')
    if not sql.strip():
        raise ValueError("The query is empty.")
    return sql


def exit_code_for(error: PostHogError) -> int:
    """The CLI exit code of a client error (docs/ARCHITECTURE.md)."""
    from workbench.client import errors

    if isinstance(error, errors.NotAuthenticated | errors.PermissionDenied):
        return EXIT_AUTH
    if isinstance(error, errors.RateLimited | errors.QuotaExceeded):
        return EXIT_RATE_LIMITED
    if isinstance(error, errors.QueryError | errors.QueryCancelled):
        return EXIT_QUERY_ERROR
    if isinstance(error, errors.NotFound):
        return EXIT_USAGE  # wrong project id or host path
    return EXIT_NETWORK


def describe_error(error: PostHogError, sql: str) -> str:
    """The error message, with the offending line and a caret when positions are known."""
    from workbench.client import HogQLError

    message = f"Error: {error}"
    if isinstance(error, HogQLError) and error.start is not None and error.start <= len(sql):
        line_start = sql.rfind("\n", 0, error.start) + 1
        line_end = sql.find("\n", error.start)
        line = sql[line_start : line_end if line_end >= 0 else len(sql)]
        line_number = sql.count("\n", 0, error.start) + 1
        column = error.start - line_start
        end = error.end if error.end is not None else error.start + 1
        width = max(1, min(end, line_start + len(line)) - error.start)
        message += (
            f"\n  at line {line_number}, column {column + 1}:\n    {line}\n    "
            + " " * column
            + "^" * width
        )
    return message


def is_number(value: Any) -> bool:
    """True for ints and floats (not bools): those columns are right-aligned in a table."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def write_table(out: IO[str], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Aligned columns for people: numbers to the right, long cells cut, newlines as ``⏎``."""
    from workbench.export.formats import cell_text

    def fit(text: str) -> str:
        text = text.replace("\n", "⏎")
        return text if len(text) <= MAX_CELL_WIDTH else text[: MAX_CELL_WIDTH - 1] + "…"

    numeric = [
        any(row[i] is not None for row in rows)
        and all(row[i] is None or is_number(row[i]) for row in rows)
        for i in range(len(columns))
    ]
    cells = [[fit(cell_text(value)) for value in row] for row in rows]
    widths = [len(name) for name in columns]
    for row in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=False)]

    def line(texts: Sequence[str]) -> str:
        parts = zip(texts, widths, numeric, strict=False)
        return "  ".join(t.rjust(w) if num else t.ljust(w) for t, w, num in parts).rstrip() + "\n"

    out.write(line(columns))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(line(row))


def write_result(out: IO[str], result: QueryResult, fmt: str) -> None:
    """Write the rows in ``fmt`` (one of ``FORMATS``)."""
    import csv

    import orjson

    from workbench.export.formats import cell_text, unique_names

    if fmt == "table":
        write_table(out, result.columns, result.rows)
    elif fmt == "tsv":
        from workbench.export import encode_rows

        out.write(encode_rows("tsv", result.columns, result.types, result.rows).decode())
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([cell_text(v) for v in row] for row in result.rows)
    elif fmt == "json":
        names = unique_names(result.columns)
        objects = [dict(zip(names, row, strict=True)) for row in result.rows]
        out.write(orjson.dumps(objects, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        names = unique_names(result.columns)
        for row in result.rows:
            out.write(orjson.dumps(dict(zip(names, row, strict=True))).decode() + "\n")


def summary(result: QueryResult) -> str:
    """One line for stderr: rows, time, cache."""
    cached = ", cached" if result.is_cached else ""
    rows = "1 row" if result.row_count == 1 else f"{result.row_count:,} rows"
    return f"{rows} in {result.elapsed:.2f} s{cached}"


def truncation_note(result: QueryResult) -> str | None:
    """The warning shown when more rows exist than were returned."""
    if not result.truncated:
        return None
    how = (
        f"LIMIT {result.row_limit} was added; use --limit N (up to 50,000) for more"
        if result.limit_added
        else "add or raise the query's LIMIT, or use --limit N"
    )
    return f"Note: showing the first {result.row_count:,} rows; more exist ({how})."


def progress_line(progress: QueryProgress) -> str:
    """``1,234,567 rows read (56.1 MB) of ~2,000,000``."""
    estimate = (
        f" of ~{progress.estimated_rows_total:,}" if progress.estimated_rows_total > 0 else ""
    )
    return f"{progress.rows_read:,} rows read ({progress.bytes_read / 1e6:.1f} MB){estimate}"


class StatusLine:
    """One line on an interactive stderr, redrawn in place: progress and elapsed seconds."""

    TICK = 0.1
    """Seconds between redraws: the elapsed time moves visibly, the terminal is not flooded."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.text = "Running"

    async def run(self) -> None:
        """Redraw until cancelled (started as a task; cancel it, then ``clear``)."""
        import asyncio
        import time

        started = time.monotonic()
        while True:
            self.stream.write(f"\r\x1b[K{self.text} · {time.monotonic() - started:.1f} s")
            self.stream.flush()
            await asyncio.sleep(self.TICK)

    def update(self, progress: QueryProgress) -> None:
        """Show the latest progress report (drawn on the next tick)."""
        self.text = progress_line(progress)

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


async def execute(args: argparse.Namespace, settings: ConnectionSettings, sql: str) -> int:
    """Run the query and print; returns the exit code. Ctrl-C cancels it on the server."""
    import asyncio

    from workbench.client import PostHogClient, PostHogError

    err = sys.stderr
    status = StatusLine(err) if err.isatty() else None

    def on_request(method: str, path: str, http_status: int | None, seconds: float) -> None:
        answer = http_status or "no response"
        err.write(f"{method} {path} -> {answer} ({seconds * 1000:.0f} ms)\n")

    if args.verbose:
        err.write(
            f"Connecting to {settings.host}, project {settings.project_id}, "
            f"key {settings.redacted_key}\n"
        )
    from workbench.history.recorder import SingleRunRecorder

    history = SingleRunRecorder(
        sql,
        host=settings.host,
        project_id=settings.project_id,
        enabled=not args.no_history,
        settings=getattr(args, "history_settings", None),
    )
    ticker = asyncio.create_task(status.run()) if status is not None else None
    async with PostHogClient(settings, on_request=on_request if args.verbose else None) as client:
        try:
            result = await client.run_query(
                sql,
                client_query_id=history.client_query_id,
                mode="async" if args.use_async else "blocking",
                row_limit=args.limit,
                force_refresh=args.refresh,
                name="workbench query",
                on_progress=status.update if status is not None else None,
            )
        except PostHogError as exc:
            error: PostHogError | None = exc
        except BaseException as exc:  # Ctrl-C arrives as cancellation: record it, go on
            history.finish(exc)
            raise
        else:
            error = None
        finally:
            if ticker is not None and status is not None:
                ticker.cancel()
                status.clear()
    history.finish(error if error is not None else result)
    if error is not None:
        err.write(describe_error(error, sql) + "\n")
        return exit_code_for(error)
    if args.output is not None and args.format != "table":
        from workbench.export import ExportError, write_rows

        try:  # atomic: a failed write leaves an existing file as it was
            write_rows(args.output, args.format, result.columns, result.types, result.rows)
        except ExportError as exc:
            err.write(f"Error: {exc}\n")
            return EXIT_USAGE
    elif args.output is not None:
        with args.output.open("w", encoding="utf-8", newline="") as out:
            write_result(out, result, args.format)
    else:
        write_result(sys.stdout, result, args.format)
        sys.stdout.flush()
    note = truncation_note(result)
    if note:
        err.write(note + "\n")
    if status is not None or args.verbose:
        err.write(summary(result) + "\n")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Entry point of ``workbench query``."""
    import asyncio

    from workbench.client.limits import check_row_limit
    from workbench.connection import ConnectionError_, resolution_from

    try:
        sql = read_sql(args, sys.stdin)
        check_row_limit(args.limit)
        if args.format == "parquet" and args.output is None:
            raise ValueError("Parquet is binary: write it to a file with --output FILE.")
        if args.output is not None and not args.output.parent.is_dir():
            # Checked up front: a query must not spend the rate budget only to fail here.
            raise ValueError(f"Cannot write {args.output}: {args.output.parent} is not a folder.")
        resolution = resolution_from(
            host=getattr(args, "host", None),
            project_id=getattr(args, "project", None),
            insecure=bool(getattr(args, "insecure", False)),
            profile=getattr(args, "profile", None),
            config_path=getattr(args, "config", None),
        )
        settings = resolution.settings()
        args.history_settings = resolution.settings_file.history  # None: the store's defaults
    except (ValueError, ConnectionError_) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    try:
        return asyncio.run(execute(args, settings, sql))
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader left early (``| head``): not an error
        import os

        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # --output could not be written
        print(f"Error: {exc}", file=sys.stderr)
        return EXIT_USAGE
