"""``workbench query --format tsv|parquet`` through the export writers (fake PostHog over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.client.fake_posthog import API_KEY, FakePostHog, serve_in_thread
from tests.export.conftest import fill_disk_after
from workbench.cli import main


@pytest.fixture
def url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("POSTHOG_HOST", "POSTHOG_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", API_KEY)
    with serve_in_thread(FakePostHog()) as base_url:
        yield base_url


def query(url: str, *args: str) -> int:
    return main(["query", "--host", url, "--project", "1", *args, "SELECT 1"])


def test_tsv_to_stdout(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert query(url, "--format", "tsv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["event\tn", "event_0\t0"] and len(lines) == 6


def test_parquet_file_keeps_types(url: str, tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    assert query(url, "--format", "parquet", "-o", str(path)) == 0
    table = pq.read_table(path)
    assert table.schema.field("n").type == pa.uint64()
    assert table.column("n").to_pylist() == [0, 1, 2, 3, 4]


def test_parquet_needs_a_file(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert query(url, "--format", "parquet") == 2
    assert "--output" in capsys.readouterr().err


def test_a_full_disk_keeps_the_old_output(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("old\n")
    fill_disk_after(monkeypatch, 0)
    assert query(url, "--format", "jsonl", "-o", str(path)) == 2
    err = capsys.readouterr().err
    assert "No space left" in err and API_KEY not in err
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
