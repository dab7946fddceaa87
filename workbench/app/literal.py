"""Show data literally: escape terminal control characters before any value is drawn.

A value from the server must never drive the terminal (``\\x1b[2J``) or be read as Rich
markup (``[bold]``). Markup is handled by the grid's ``render_markup=False``; control
characters are replaced here by visible escapes such as ``\\x1b``. Headless: no Textual.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 (except tab and newline, which the grid handles), DEL and C1 characters."""

CONTROL_PATTERN_FOR_ARROW = "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]"
"""The same class as an RE2 pattern, for pyarrow.compute over whole columns."""


def _escape_match(match: re.Match[str]) -> str:
    return ascii(match.group(0))[1:-1]


def escape_control(text: str) -> str:
    """``"a\\x1b[31m"`` → ``"a\\\\x1b[31m"``; text without control characters is returned as is."""
    return CONTROL_CHARACTERS.sub(_escape_match, text)


def literal_table(table: Any) -> Any:
    """A copy of the Arrow ``table`` whose string columns carry no control characters.

    Columns are scanned with Arrow compute; only columns that contain a control character
    are converted through Python, so the common case costs one vectorised pass.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = list(table.columns)
    changed = False
    for index, column in enumerate(columns):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        has_control = pc.any(pc.match_substring_regex(column, CONTROL_PATTERN_FOR_ARROW))
        if not has_control.as_py():
            continue
        values = [None if v is None else escape_control(v) for v in column.to_pylist()]
        columns[index] = pa.chunked_array([pa.array(values, type=column.type)])
        changed = True
    if not changed:
        return table
    return pa.Table.from_arrays(columns, names=table.column_names)
