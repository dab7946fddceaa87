"""Parquet from ClickHouse-typed rows, staged as appendable Arrow IPC messages.

A Parquet file is only readable once its footer is written, so it cannot be appended to or
resumed. Pages are therefore staged as Arrow IPC messages (a schema message, then one record
batch per page): a byte stream that can be appended to and truncated at a page boundary.
``finish`` streams the batches into a Parquet file, a row group per 50,000 rows, so memory
stays at about one page. pyarrow is imported only when an encoder is built.

Types follow ``workbench.client.arrow.arrow_type_for`` (integers, UInt64, floats, Bool,
strings and UUIDs, dates, ``DateTime64`` as microsecond timestamps with their time zone,
arrays of those). Other types (maps, tuples, JSON, nested arrays of times) are stored as
JSON text: Arrow would infer them page by page, and pages must share one schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.export.files import ExportError
from workbench.export.formats import unique_names

if TYPE_CHECKING:
    import pyarrow

PARQUET_ROW_GROUP_ROWS = 50_000
"""Rows per Parquet row group: pages are staged in small batches (5,000 rows) that would
make needlessly small groups; 50,000 is one page, what the export holds in memory anyway."""

PARQUET_COMPRESSION = "zstd"
"""Small files at little CPU cost; every current Parquet reader supports it."""


def parquet_schema(columns: Sequence[str], types: Sequence[str]) -> pyarrow.Schema:
    """The Arrow schema for these columns: mapped types, JSON text where none fits."""
    import pyarrow as pa

    from workbench.client.arrow import arrow_type_for

    fields = []
    for name, ch_type in zip(unique_names(columns), types, strict=True):
        arrow_type = arrow_type_for(ch_type) if ch_type else None
        fields.append(pa.field(name, arrow_type if arrow_type is not None else pa.string()))
    return pa.schema(fields)


def _json_text(values: Sequence[Any]) -> list[str | None]:
    import orjson

    return [
        None if v is None else v if isinstance(v, str) else orjson.dumps(v).decode() for v in values
    ]


def _column(values: list[Any], target: pyarrow.DataType, pool: pyarrow.MemoryPool) -> pyarrow.Array:
    """``values`` as ``target``; times and dates arrive as ISO text and are cast."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_timestamp(target) or pa.types.is_date(target):
        text = pa.array(values, type=pa.string(), memory_pool=pool)
        return pc.cast(text, target, memory_pool=pool)
    return pa.array(values, type=target, memory_pool=pool)


def page_batch(
    schema: pyarrow.Schema, types: Sequence[str], rows: Sequence[Sequence[Any]]
) -> pyarrow.RecordBatch:
    """One page as a record batch of ``schema``; ``ExportError`` if a value defies its type.

    Arrays come from the system allocator: Arrow's default (mimalloc) kept ~40 MB of freed
    pages per 50,000 encoded rows, a quarter of the export's peak memory.
    """
    import pyarrow as pa

    pool = pa.system_memory_pool()
    arrays = []
    for i, field in enumerate(schema):
        values = list(map(itemgetter(i), rows))
        if pa.types.is_string(field.type):
            values = _json_text(values)  # text columns, and JSON text for unmapped types
        try:
            arrays.append(_column(values, field.type, pool))
        except (TypeError, ValueError, OverflowError, NotImplementedError):
            raise ExportError(
                f"Column {field.name!r}: a value does not fit its type {types[i]}; "
                "export as CSV or JSON instead."
            ) from None
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class ParquetEncoder:
    """Stages pages as Arrow IPC messages; ``finish`` writes the Parquet file."""

    def __init__(self, columns: Sequence[str], types: Sequence[str]) -> None:
        self.columns = list(columns)
        self.types = list(types)
        self.schema = parquet_schema(columns, types)

    def header(self) -> bytes:
        return bytes(self.schema.serialize())

    def rows(self, rows: Sequence[Sequence[Any]], *, first: bool) -> bytes:
        if not rows:
            return b""
        import pyarrow as pa

        batch = page_batch(self.schema, self.types, rows)
        return bytes(batch.serialize(memory_pool=pa.system_memory_pool()))

    def footer(self, *, empty: bool) -> bytes:
        return b""

    def finish(self, staged: Path, target: Path) -> None:
        """Stream the staged batches into ``target``, in row groups of about
        ``PARQUET_ROW_GROUP_ROWS`` rows (memory: one row group)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        # Plain reads, not a memory map: mapped pages of a big staging file count as the
        # process's resident memory (a 1,000,000-row export peaked at 750 MB that way).
        with (
            pa.OSFile(str(staged), "rb") as source,
            pa.ipc.open_stream(source) as reader,
            pq.ParquetWriter(str(target), reader.schema, compression=PARQUET_COMPRESSION) as out,
        ):
            pending: list[pyarrow.RecordBatch] = []
            pending_rows = 0
            for batch in reader:
                pending.append(batch)
                pending_rows += batch.num_rows
                if pending_rows >= PARQUET_ROW_GROUP_ROWS:
                    out.write_table(pa.Table.from_batches(pending))
                    pending, pending_rows = [], 0
            if pending:
                out.write_table(pa.Table.from_batches(pending))
        staged.unlink()
