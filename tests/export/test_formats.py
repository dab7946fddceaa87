"""Each format written in pages and read back: types kept where the format can keep them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.export.conftest import fill_disk_after
from workbench.export import ExportError, clipboard_text, encode_rows, format_for_path, write_rows
from workbench.export.files import StagingFile
from workbench.export.formats import FORMATS, Format, cell_text, make_encoder

COLUMNS = [
    "id",
    "big",
    "ratio",
    "name",
    "maybe",
    "flag",
    "at",
    "day",
    "uuid",
    "tags",
    "props",
    "id",
]
TYPES = [
    "Int64",
    "UInt64",
    "Float64",
    "String",
    "Nullable(String)",
    "Bool",
    "DateTime64(6, 'UTC')",
    "Date",
    "UUID",
    "Array(String)",
    "Map(String, String)",
    "UInt8",
]
ROWS: list[list[Any]] = [
    [
        -1,
        18_446_744_073_709_551_615,
        0.5,
        'comma, "quote"\ttab\nline\\slash',
        None,
        True,
        "2026-10-26T00:12:07.891296Z",
        "2026-10-26",
        "6c7613a6-0ff8-64ed-488f-0ab9c22f3ea5",
        ["a", "b,c"],
        {"k": "v"},
        7,
    ],
    [
        2,
        0,
        -1e300,
        "héllo 🦔",
        "present",
        False,
        "2026-10-27T01:00:00Z",
        "2026-10-27",
        "5979f56f-747d-51d9-8848-7fd541f5569e",
        [],
        {},
        8,
    ],
]
NAMES = [
    "id",
    "big",
    "ratio",
    "name",
    "maybe",
    "flag",
    "at",
    "day",
    "uuid",
    "tags",
    "props",
    "id_2",
]


def write_in_pages(path: Path, fmt: Format, pages: list[list[list[Any]]]) -> None:
    """Stream pages through a staging file, as the export job does, then finish."""
    encoder = make_encoder(fmt, COLUMNS, TYPES)
    staged = path.with_suffix(".part")
    with StagingFile(staged, path) as staging:
        staging.append(encoder.header())
        written = 0
        for page in pages:
            staging.append(encoder.rows(page, first=written == 0))
            written += len(page)
            staging.commit()
        staging.append(encoder.footer(empty=written == 0))
        staging.commit()
    encoder.finish(staged, path)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_keeps_numbers_booleans_and_nulls(tmp_path: Path, fmt: Format) -> None:
    path = tmp_path / f"out.{fmt}"
    write_in_pages(path, fmt, [ROWS[:1], [], ROWS[1:]])
    text = path.read_bytes()
    objects = orjson.loads(text) if fmt == "json" else [orjson.loads(x) for x in text.splitlines()]
    assert objects == [dict(zip(NAMES, row, strict=True)) for row in ROWS]
    assert objects[0]["big"] == 18_446_744_073_709_551_615 and objects[0]["maybe"] is None


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "parquet"])
def test_empty_result_is_a_valid_file(tmp_path: Path, fmt: Format) -> None:
    path = tmp_path / f"out.{fmt}"
    write_in_pages(path, fmt, [])
    if fmt == "json":
        assert orjson.loads(path.read_bytes()) == []
    elif fmt == "parquet":
        table = pq.read_table(path)
        assert table.num_rows == 0 and table.column_names == NAMES
    elif fmt == "jsonl":
        assert path.read_bytes() == b""
    else:
        assert path.read_text().count("\n") == 1  # the header only


def test_csv_round_trips_text(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_in_pages(path, "csv", [ROWS[:1], ROWS[1:]])
    with path.open(newline="", encoding="utf-8") as handle:
        read = list(csv.reader(handle))
    assert read[0] == COLUMNS
    assert read[1:] == [[cell_text(v) for v in row] for row in ROWS]
    assert read[1][4] == "" and read[1][5] == "true" and read[1][9] == '["a","b,c"]'


def test_tsv_escapes_tabs_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "out.tsv"
    write_in_pages(path, "tsv", [ROWS])
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 4  # header, two rows, final newline
    cells = lines[1].split("\t")
    assert len(cells) == len(COLUMNS)
    assert cells[3] == 'comma, "quote"\\ttab\\nline\\\\slash'
    unescaped = cells[3].replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")
    assert unescaped == ROWS[0][3]


def test_parquet_keeps_clickhouse_types(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    write_in_pages(path, "parquet", [ROWS[:1], ROWS[1:]])
    table = pq.read_table(path)
    schema = table.schema
    assert schema.names == NAMES
    assert schema.field("id").type == pa.int64()
    assert schema.field("big").type == pa.uint64()
    assert schema.field("ratio").type == pa.float64()
    assert schema.field("flag").type == pa.bool_()
    assert schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("day").type == pa.date32()
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("props").type == pa.string()  # no fixed Arrow type: JSON text
    data = table.to_pydict()
    assert data["big"] == [18_446_744_073_709_551_615, 0]
    assert data["maybe"] == [None, "present"]
    assert data["at"][0] == dt.datetime(2026, 10, 26, 0, 12, 7, 891296, tzinfo=dt.UTC)
    assert data["day"] == [dt.date(2026, 10, 26), dt.date(2026, 10, 27)]
    assert data["props"] == ['{"k":"v"}', "{}"]
    assert data["name"][0] == ROWS[0][3]
    assert table.num_rows == 2 and pq.ParquetFile(path).num_row_groups == 1  # pages merged


def test_parquet_refuses_a_value_that_defies_its_column_type(tmp_path: Path) -> None:
    encoder = make_encoder("parquet", ["n"], ["Int64"])
    encoder.rows([[1]], first=True)
    with pytest.raises(ExportError, match="'n'"):
        encoder.rows([["not a number"]], first=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_rows_replaces_the_destination(tmp_path: Path, fmt: Format) -> None:
    path = tmp_path / f"out.{fmt}"
    path.write_text("old")
    write_rows(path, fmt, COLUMNS, TYPES, ROWS)
    assert path.read_bytes() != b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left


def test_full_disk_leaves_the_old_file_and_no_litter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.csv"
    path.write_text("precious")
    fill_disk_after(monkeypatch, len(",".join(COLUMNS)) + 1)  # the header fits, the rows do not
    with pytest.raises(ExportError, match="No space left") as caught:
        write_rows(path, "csv", COLUMNS, TYPES, ROWS)
    assert str(path) in str(caught.value)
    assert path.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_staging_file_drops_a_failed_page_and_keeps_committed_ones(tmp_path: Path) -> None:
    staged = tmp_path / "x.part"
    staging = StagingFile(staged, tmp_path / "x.csv").open()
    staging.append(b"page one\n")
    assert staging.commit() == 9
    staging.append(b"half a page")
    staging.close()  # interrupted before its commit
    assert staged.read_bytes() == b"page one\n"
    resumed = StagingFile(staged, tmp_path / "x.csv", committed=9).open()
    resumed.append(b"page two\n")
    resumed.commit()
    resumed.close()
    assert staged.read_bytes() == b"page one\npage two\n"


@pytest.mark.parametrize(
    ("where", "message"),
    [("missing/out.csv", "is not a folder"), ("folder", "it is a folder")],
)
def test_unwritable_destination_is_a_clear_error(tmp_path: Path, where: str, message: str) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(ExportError, match=message):
        write_rows(tmp_path / where, "csv", ["a"], ["Int64"], [[1]])


def test_clipboard_is_tsv_with_a_header_and_refuses_big_results() -> None:
    assert clipboard_text(["a", "b"], [[1, None], ["x\ty", True]]) == "a\tb\n1\t\nx\\ty\ttrue\n"
    with pytest.raises(ExportError, match="too much for the clipboard"):
        clipboard_text(["a"], [["x" * 100]] * 20, max_bytes=1000)


def test_encode_rows_and_format_for_path() -> None:
    assert encode_rows("jsonl", ["a"], ["Int64"], [[1], [None]]) == b'{"a":1}\n{"a":null}\n'
    assert format_for_path(Path("x.PARQUET")) == "parquet"
    assert format_for_path(Path("x.ndjson")) == "jsonl"
    assert format_for_path(Path("x.dat"), "tsv") == "tsv"
    with pytest.raises(ValueError, match="binary"):
        encode_rows("parquet", ["a"], ["Int64"], [[1]])
