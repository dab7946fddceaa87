"""Row-major JSON results to a columnar ``pyarrow.Table``, typed from ClickHouse type names.

Columns are built whole: one C-level transpose (``zip(*rows)``) and one ``pa.array`` per
column; timestamps and dates are parsed by Arrow's cast, not by Python. Only a column whose
values do not fit its declared type falls back to a per-value conversion to text.
pyarrow is imported here, lazily: importing ``workbench.client`` must not load it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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


def rows_to_table(
    columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]]
) -> pyarrow.Table:
    """Build the table. ``rows`` must all have ``len(columns)`` values (checked by the parser)."""
    import pyarrow as pa

    padded_types = list(types) + ["" for _ in range(len(columns) - len(types))]
    with paused_gc(len(rows) * len(columns) >= 10_000):
        if rows:
            by_column: list[Sequence[Any]] = list(zip(*rows, strict=True))
        else:
            by_column = [() for _ in columns]
        arrays = [
            column_array(values, ch_type)
            for values, ch_type in zip(by_column, padded_types, strict=False)
        ]
        del by_column  # the transposed copy: free it before the collector returns
    return pa.Table.from_arrays(arrays, names=list(columns))
