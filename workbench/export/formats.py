"""Row encoders for CSV, TSV, JSON (one array), JSONL and Parquet: rows in, bytes out.

An encoder turns one page of rows at a time into bytes that are appended to a staging file,
so an export never holds more than a page. ``header`` starts the file, ``rows`` encodes a
page (``first`` says whether any row came before, for JSON's commas), ``footer`` closes it,
and ``finish`` turns the staged bytes into the final file (a rename for text; Parquet is
staged as Arrow IPC messages, which can be appended and truncated, and converted at the end).

Types: JSON and JSONL keep numbers as numbers, booleans as booleans and nulls as ``null``;
Parquet keeps ClickHouse types (``workbench.export.parquet``); CSV and TSV are text (empty
for null, ``true``/``false``, JSON for arrays and objects), as ``workbench query`` prints.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import orjson

Format = Literal["csv", "tsv", "json", "jsonl", "parquet"]
"""A file format an export can write."""

FORMATS: tuple[Format, ...] = ("csv", "tsv", "json", "jsonl", "parquet")
"""Every format, in the order menus show them."""

SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
"""File name endings that imply a format when none is given."""

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
"""TSV cannot quote: tabs and line breaks inside a value are escaped as ClickHouse does."""


def format_for_path(path: Path, default: Format = "csv") -> Format:
    """The format implied by ``path``'s ending, else ``default``."""
    return SUFFIXES.get(path.suffix.lower(), default)


def unique_names(columns: Sequence[str]) -> list[str]:
    """Column names with repeats suffixed ``_2``, ``_3``… so no value is lost in an object."""
    used: set[str] = set()
    names = []
    for name in columns:
        candidate, count = name, 1
        while candidate in used:
            count += 1
            candidate = f"{name}_{count}"
        used.add(candidate)
        names.append(candidate)
    return names


def cell_text(value: Any) -> str:
    """A value as text for CSV/TSV: empty for null, ``true``/``false``, JSON for containers."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return orjson.dumps(value).decode()


class RowEncoder(Protocol):
    """Encodes one export's rows; built for fixed columns and ClickHouse types."""

    def header(self) -> bytes:
        """Bytes that start the file."""
        ...

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        """One page; ``first`` is True when no row was encoded before it (in this file)."""
        ...

    def footer(self, *, empty: bool) -> bytes:
        """Bytes that end the file; ``empty`` when it has no rows."""
        ...

    def finish(self, staged: Path, target: Path) -> None:
        """Turn the complete staged bytes into ``target`` (a new file on the same disk)."""
        ...


class TextEncoder:
    """Base of the text formats: the staged bytes are the file."""

    def __init__(self, columns: Sequence[str], types: Sequence[str]) -> None:
        self.columns = list(columns)
        self.types = list(types)

    def header(self) -> bytes:
        return b""

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        raise NotImplementedError

    def footer(self, *, empty: bool) -> bytes:
        return b""

    def finish(self, staged: Path, target: Path) -> None:
        os.replace(staged, target)


class CsvEncoder(TextEncoder):
    """RFC 4180 CSV with a header row and ``\\n`` line ends."""

    def header(self) -> bytes:
        return self._encode([self.columns])

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        return self._encode([cell_text(v) for v in row] for row in rows)

    @staticmethod
    def _encode(rows: Any) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue().encode()


class TsvEncoder(TextEncoder):
    """Tab-separated values with a header row; tabs, newlines and backslashes escaped."""

    def header(self) -> bytes:
        return self._line(self.columns)

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        return b"".join(self._line([cell_text(v) for v in row]) for row in rows)

    @staticmethod
    def _line(cells: Sequence[str]) -> bytes:
        return ("\t".join(cell.translate(_TSV_ESCAPES) for cell in cells) + "\n").encode()


class JsonLinesEncoder(TextEncoder):
    """One JSON object per line (names made unique)."""

    def __init__(self, columns: Sequence[str], types: Sequence[str]) -> None:
        super().__init__(columns, types)
        self.names = unique_names(columns)

    def _objects(self, rows: Sequence[Sequence[Any]]) -> list[bytes]:
        names = self.names
        return [orjson.dumps(dict(zip(names, row, strict=True))) for row in rows]

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        if not rows:
            return b""
        return b"\n".join(self._objects(rows)) + b"\n"


class JsonArrayEncoder(JsonLinesEncoder):
    """One JSON array of objects, an object per line."""

    def header(self) -> bytes:
        return b"["

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        if not rows:
            return b""
        return (b"\n" if first else b",\n") + b",\n".join(self._objects(rows))

    def footer(self, *, empty: bool) -> bytes:
        return b"]\n" if empty else b"\n]\n"


def make_encoder(fmt: Format, columns: Sequence[str], types: Sequence[str]) -> RowEncoder:
    """The encoder of ``fmt`` for these columns and ClickHouse types."""
    if fmt == "csv":
        return CsvEncoder(columns, types)
    if fmt == "tsv":
        return TsvEncoder(columns, types)
    if fmt == "json":
        return JsonArrayEncoder(columns, types)
    if fmt == "jsonl":
        return JsonLinesEncoder(columns, types)
    if fmt == "parquet":
        from workbench.export.parquet import ParquetEncoder

        return ParquetEncoder(columns, types)
    raise ValueError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
