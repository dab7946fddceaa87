"""Result samples as capped JSON: the first rows of a result, never more than a byte cap.

JSON, not pickle: the file may be read by another version of the app, and loading must
never run code. Rows are encoded one at a time so a huge result costs only what is kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from workbench.history.redact import scrub_secrets


def _fallback(value: object) -> str:
    """JSON for values the encoder does not know (datetime, Decimal, UUID, bytes): ``str``."""
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    return str(value)


def encode_sample(
    rows: Sequence[Sequence[Any]], *, max_bytes: int, max_rows: int
) -> tuple[str, int, bool]:
    """``(json_text, rows_kept, truncated)`` for the leading rows that fit in ``max_bytes``.

    ``json_text`` is a JSON array of arrays whose UTF-8 size is at most ``max_bytes``
    (counting the brackets and commas); ``truncated`` is True when rows were left out.
    """
    parts: list[str] = []
    used = 2  # the enclosing brackets
    for row in rows[:max_rows]:
        try:
            text = json.dumps(list(row), default=_fallback, ensure_ascii=False)
        except (TypeError, ValueError):  # e.g. NaN-free encoders, circular values
            text = json.dumps([_fallback(value) for value in row], ensure_ascii=False)
        size = len(text.encode("utf-8")) + (1 if parts else 0)
        if used + size > max_bytes:
            break
        parts.append(text)
        used += size
    kept = len(parts)
    return scrub_secrets("[" + ",".join(parts) + "]"), kept, kept < len(rows)


def decode_sample(text: str) -> tuple[tuple[Any, ...], ...]:
    """The rows stored by ``encode_sample`` (malformed text gives no rows, not an error)."""
    try:
        rows = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(rows, list):
        return ()
    return tuple(tuple(row) for row in rows if isinstance(row, list))
