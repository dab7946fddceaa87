"""Write a result that is already in memory (at most one page): to a file, atomically, or as text.

Used by ``workbench query --output`` and by the app's export of the rows it shows. Large
exports go through ``workbench.export.export_all``, which streams page after page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.export.files import (
    ExportError,
    StagingFile,
    check_writable,
    describe_os_error,
    replace_atomically,
    temp_path,
)
from workbench.export.formats import Format, TsvEncoder, make_encoder

CLIPBOARD_MAX_BYTES = 1_000_000
"""Largest clipboard text we send: OSC 52 carries it base64-encoded in one escape sequence,
and terminals cap that (xterm and tmux at about a megabyte; some lower)."""


def encode_rows(
    fmt: Format, columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]
) -> bytes:
    """The whole file's bytes for a text format (``parquet`` has no text form)."""
    if fmt == "parquet":
        raise ValueError("Parquet is binary: write it to a file.")
    encoder = make_encoder(fmt, columns, types)
    return encoder.header() + encoder.rows(rows, first=True) + encoder.footer(empty=not rows)


def write_rows(
    destination: Path,
    fmt: Format,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Write ``rows`` to ``destination`` in ``fmt``, atomically: on any failure (full disk,
    permission) the destination is left as it was and ``ExportError`` says why."""
    check_writable(destination)
    encoder = make_encoder(fmt, columns, types)
    staged = temp_path(destination)
    final = temp_path(destination)
    try:
        with StagingFile(staged, destination) as staging:
            staging.append(encoder.header())
            staging.append(encoder.rows(rows, first=True))
            staging.append(encoder.footer(empty=not rows))
            staging.commit()
        try:
            encoder.finish(staged, final)
        except OSError as exc:
            raise ExportError(describe_os_error(exc, destination)) from None
        replace_atomically(final, destination)
    finally:
        for leftover in (staged, final):
            with contextlib.suppress(OSError):
                leftover.unlink()


def clipboard_text(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    max_bytes: int = CLIPBOARD_MAX_BYTES,
) -> str:
    """Rows as TSV with a header (pastes into spreadsheets); ``ExportError`` when too large.

    ``max_bytes`` bounds the UTF-8 text; the app base64-encodes it into an OSC 52 sequence.
    """
    encoder = TsvEncoder(columns, [""] * len(columns))
    text = encoder.header() + encoder.rows(rows, first=True)
    if len(text) > max_bytes:
        raise ExportError(
            f"{len(rows):,} rows are {len(text) / 1e6:.1f} MB as text: too much for the "
            "clipboard. Export to a file instead."
        )
    return text.decode()
