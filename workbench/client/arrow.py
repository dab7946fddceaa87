"""Row-major JSON results to a columnar ``pyarrow.Table``, typed from ClickHouse type names.

Columns with a known type are built in one pass: Arrow converts row tuples into a struct
array whose children are the columns (no Python code per cell, no transpose); timestamps
and dates are parsed by Arrow's cast, not by Python. Other columns (arrays, maps, JSON)
are inferred column by column; a column whose values defy its declared type falls back to
a per-value conversion to text.
pyarrow is imported here, lazily: importing ``workbench.client`` must not load it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import orjson

from workbench.client.gc_pause import paused_gc

if TYPE_CHECKING:
    import pyarrow

_WRAPPERS = re.compile(r"^(?:Nullable|LowCardinality)\((.*)\)$")
_DATETIME_TZ = re.compile(r"^DateTime(?:64)?\((?:\d+\s*,\s*)?'([^']+)'\)$")
_INT = re.compile(r"^U?Int(8|16|32|64)$")
_TEXT = re.compile(r"^(?:String|FixedString\(\d+\)|UUID|Enum(?:8|16)?\(.*\)|IPv4|IPv6)$")


def base_type(ch_type: str) -> str:
    """The type without ``Nullable(...)``/``LowCardinality(...)`` wrappers."""
    ch_type = ch_type.strip()
    while match := _WRAPPERS.match(ch_type):
        ch_type = match.group(1).strip()
    return ch_type


def arrow_type_for(ch_type: str) -> pyarrow.DataType | None:
    """The Arrow type for a ClickHouse type, or ``None`` to let Arrow infer it."""
    import pyarrow as pa

    name = base_type(ch_type)
    if _INT.match(name):
        return pa.uint64() if name == "UInt64" else pa.int64()
    if name in {"Float32", "Float64"}:
        return pa.float64()
    if name == "Bool":
        return pa.bool_()
    if _TEXT.match(name):
        return pa.string()
    if name in {"Date", "Date32"}:
        return pa.date32()
    if name.startswith("DateTime"):
        tz_match = _DATETIME_TZ.match(name)
        return pa.timestamp("us", tz=tz_match.group(1) if tz_match else "UTC")
    if name.startswith("Array(") and name.endswith(")"):
        item = arrow_type_for(name[len("Array(") : -1])
        # Items that arrive as text and need a cast (times, dates) are left to inference.
        if item is not None and not (pa.types.is_timestamp(item) or pa.types.is_date(item)):
            return pa.list_(item)
    return None


def _as_text(values: Sequence[Any]) -> list[str | None]:
    """Each value as text (JSON for non-strings); the slow path for ill-typed columns."""
    return [
        None if v is None else v if isinstance(v, str) else orjson.dumps(v).decode() for v in values
    ]


def column_array(values: Sequence[Any], ch_type: str) -> pyarrow.Array:
    """One column as an Arrow array; falls back to text when values defy ``ch_type``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    target = arrow_type_for(ch_type)
    try:
        if target is None:
            return pa.array(values)
        if pa.types.is_timestamp(target) or pa.types.is_date(target):
            return pc.cast(pa.array(values, type=pa.string()), target)
        return pa.array(values, type=target)
    except (TypeError, ValueError, OverflowError, NotImplementedError):
        pass  # Arrow's errors subclass these: values that defy the declared type
    return pa.array(_as_text(values), type=pa.string())


def _typed_together(
    rows: Sequence[Sequence[Any]], targets: Sequence[pyarrow.DataType | None]
) -> dict[int, pyarrow.Array]:
    """Columns with a known Arrow type, converted in one pass over the rows (by index).

    Arrow builds a struct array straight from row tuples (``itemgetter`` picks the typed
    values per row, in C), so no Python code runs per cell and nothing is transposed.
    Timestamps and dates arrive as ISO text and are cast afterwards. Returns ``{}`` when a
    value defies its type; the caller then converts column by column, with fallbacks.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    known = [i for i, target in enumerate(targets) if target is not None]
    if not rows or not known:
        return {}

    def wire(target: pyarrow.DataType) -> pyarrow.DataType:
        return pa.string() if pa.types.is_timestamp(target) or pa.types.is_date(target) else target

    pick = itemgetter(*known)
    tuples = list(map(pick, rows)) if len(known) > 1 else [(value,) for value in map(pick, rows)]
    struct_type = pa.struct([pa.field(f"c{i}", wire(targets[i])) for i in known])
    try:
        children = pa.array(tuples, type=struct_type).flatten()
    except (TypeError, ValueError, OverflowError, NotImplementedError):
        return {}
    typed = {}
    for i, child in zip(known, children, strict=True):
        target = targets[i]
        if child.type != target:
            # Unparsable times stay text, as column_array would leave them.
            with contextlib.suppress(TypeError, ValueError, NotImplementedError):
                child = pc.cast(child, target)
        typed[i] = child
    return typed


def rows_to_table(
    columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]
) -> pyarrow.Table:
    """Build the table. ``rows`` must all have ``len(columns)`` values (checked by the parser)."""
    import pyarrow as pa

    padded_types = list(types) + ["" for _ in range(len(columns) - len(types))]
    with paused_gc(len(rows) * len(columns) >= 10_000):
        typed = _typed_together(rows, [arrow_type_for(t) for t in padded_types])
        arrays = [
            typed[i] if i in typed else column_array(list(map(itemgetter(i), rows)), ch_type)
            for i, ch_type in enumerate(padded_types[: len(columns)])
        ]
    return pa.Table.from_arrays(arrays, names=list(columns))
