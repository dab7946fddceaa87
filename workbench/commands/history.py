"""``workbench history``: list and search past runs; ``workbench history show ID``: one run.

Reads the same history file as the app (``<data dir>/history.sqlite3``). Tables are for
people (one line per entry, SQL shortened to the terminal's width); ``--json`` is for
programs (full SQL, UTC ISO-8601 times, seconds). Messages go to stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import asdict
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from workbench.cli import EXIT_OK, EXIT_USAGE
from workbench.history.model import ENTRY_STATES

if TYPE_CHECKING:
    from workbench.history import HistoryEntry, HistoryStore

MIN_SQL_WIDTH = 20
"""The SQL column never gets narrower than this, even on a tiny terminal."""

SAMPLE_CELL_WIDTH = 30
"""Characters per cell when ``show`` prints sample rows; longer values end in ``…``."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``workbench history`` and ``workbench history show``."""
    parser = subparsers.add_parser(
        "history",
        help="list and search past queries",
        description="List past query runs, newest first; identical consecutive runs are "
        "shown once with a count (×N).",
    )
    parser.add_argument(
        "--search", metavar="TEXT", default="", help="words the SQL or name contain"
    )
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="entries to list (20)")
    parser.add_argument("--state", choices=ENTRY_STATES, help="only runs that ended this way")
    parser.add_argument(
        "--project", default=argparse.SUPPRESS, metavar="ID", help="only runs on this project"
    )
    parser.add_argument("--saved", action="store_true", help="only starred or named queries")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    actions = parser.add_subparsers(dest="history_action", metavar="ACTION")
    show = actions.add_parser("show", help="one entry in full, with its sample rows")
    show.add_argument("id", type=int, help="the entry id (first column of the list)")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(func=run)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point of ``workbench history``."""
    from workbench.config import ConfigError
    from workbench.config.history_section import history_settings
    from workbench.history import HistoryStore

    try:
        settings = history_settings(getattr(args, "config", None))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    with HistoryStore(settings=settings) as store:
        report_problems(store, sys.stderr)
        if getattr(args, "history_action", None) == "show":
            return show(store, args.id, as_json=args.json, out=sys.stdout, err=sys.stderr)
        if args.limit < 1:
            print("--limit must be at least 1.", file=sys.stderr)
            return EXIT_USAGE
        entries = store.search(
            args.search,
            state=args.state,
            project=getattr(args, "project", None),
            saved_only=args.saved,
            limit=args.limit,
        )
        if args.json:
            json.dump([entry_json(e) for e in entries], sys.stdout, indent=2)
            sys.stdout.write("\n")
        elif not entries:
            print(
                "No history entries match." if args.search else "No history yet.", file=sys.stderr
            )
        else:
            write_list(sys.stdout, entries, width=shutil.get_terminal_size().columns)
    return EXIT_OK


def report_problems(store: HistoryStore, err: IO[str]) -> None:
    """Tell the user about a moved-aside file or history that is in memory only."""
    if store.notice:
        err.write(store.notice + "\n")
    if store.degraded_reason:
        err.write(f"Warning: history is not saved: {store.degraded_reason}\n")


def show(store: HistoryStore, entry_id: int, *, as_json: bool, out: IO[str], err: IO[str]) -> int:
    """Print one entry in full; EXIT_USAGE for an unknown id."""
    entry = store.get(entry_id)
    if entry is None:
        err.write(f"No history entry {entry_id}. List entries with: workbench history\n")
        return EXIT_USAGE
    if as_json:
        json.dump(entry_json(entry), out, indent=2)
        out.write("\n")
        return EXIT_OK
    facts = [
        ("id", str(entry.id)),
        ("name", entry.name or ""),
        ("starred", "yes" if entry.starred else ""),
        ("state", describe_state(entry)),
        ("started", when(entry.started_at)),
        ("duration", seconds(entry.duration)),
        ("runs", f"{entry.run_count} (first {when(entry.first_started_at)})"
         if entry.run_count > 1 else ""),
        ("connection", f"{entry.host}, project {entry.project_id or '?'}"),
        ("query id", entry.client_query_id or ""),
        ("rows", rows_text(entry)),
        ("columns", ", ".join(f"{c} {t}" for c, t in zip(entry.columns, entry.types, strict=False))),
        ("error", " ".join(x for x in (entry.error_code, entry.error_message) if x)),
    ]  # fmt: skip
    for label, value in facts:
        if value:
            out.write(f"{label + ':':<12}{value}\n")
    out.write("\n" + entry.sql.rstrip() + "\n")
    if entry.sample is not None:
        more = " (more rows not kept)" if entry.sample.truncated else ""
        out.write(f"\nSample: {len(entry.sample.rows)} rows{more}\n")
        write_table(out, entry.sample.columns, entry.sample.rows)
    return EXIT_OK


def entry_json(entry: HistoryEntry) -> dict[str, Any]:
    """An entry as JSON-ready values: datetimes in ISO-8601 UTC, the sample as lists."""
    data = asdict(entry)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    if entry.sample is None:
        data.pop("sample")
    return data


def when(moment: datetime) -> str:
    """A UTC time, to the second."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def seconds(value: float | None) -> str:
    """``1.23 s`` or ``""`` for unknown."""
    return "" if value is None else f"{value:.2f} s"


def describe_state(entry: HistoryEntry) -> str:
    """The state, with ``(cached)`` for results PostHog served from its cache."""
    return entry.state + (" (cached)" if entry.from_cache else "")


def rows_text(entry: HistoryEntry) -> str:
    """``1,000+`` when truncated, else the count; ``""`` when unknown."""
    if entry.row_count is None:
        return ""
    return f"{entry.row_count:,}" + ("+" if entry.truncated else "")


def one_line(text: str, width: int) -> str:
    """``text`` with runs of whitespace collapsed, cut to ``width`` with ``…``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(0, width - 1)] + "…"


def write_list(out: IO[str], entries: list[HistoryEntry], *, width: int) -> None:
    """One line per entry (``*`` marks starred ids), the name and SQL last, on one line."""
    header = ("ID", "STARTED (UTC)", "PROJECT", "STATE", "ROWS", "TIME", "RUNS")
    lines = [
        (
            str(e.id) + ("*" if e.starred else ""),
            e.started_at.strftime("%Y-%m-%d %H:%M"),
            e.project_id or "",
            describe_state(e),
            rows_text(e),
            seconds(e.duration),
            f"×{e.run_count}" if e.run_count > 1 else "",
            (f"[{e.name}] " if e.name else "") + e.sql,
        )
        for e in entries
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    used = sum(widths) + 2 * len(widths)
    sql_width = max(MIN_SQL_WIDTH, width - used - 1)
    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  QUERY\n")
    for line in lines:
        cells = "  ".join(c.ljust(w) for c, w in zip(line[:-1], widths, strict=True))
        out.write(f"{cells}  {one_line(line[-1], sql_width)}\n")


def write_table(out: IO[str], columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> None:
    """A plain aligned table of sample rows (cells cut to ``SAMPLE_CELL_WIDTH``)."""
    texts = [
        [one_line("" if v is None else str(v), SAMPLE_CELL_WIDTH) for v in row] for row in rows
    ]
    count = max([len(columns), *(len(row) for row in texts)])
    names = list(columns) + [""] * (count - len(columns))
    widths = [
        max([len(names[i]), *(len(row[i]) for row in texts if i < len(row))]) for i in range(count)
    ]
    out.write("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    for row in texts:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() + "\n")
