"""One chDB database per test process (chDB allows one path per process), built once."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

if importlib.util.find_spec("chdb") is None or importlib.util.find_spec("hogql_parser") is None:
    pytest.skip("needs the demo extra (chdb, hogql-parser)", allow_module_level=True)

FIXTURE_EVENTS = 50_000
"""Small enough to build in about a second, big enough for every event kind to appear."""
FIXTURE_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
"""Fixed so the generated data (and every expected result) is the same on every run."""
TEAM_ID = 1


@pytest.fixture(scope="session")
def chdb_conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import chdb

    from workbench.server.demo_data import build_demo_data

    conn = chdb.connect(str(tmp_path_factory.mktemp("chdb") / "db"))
    build_demo_data(conn, events=FIXTURE_EVENTS, seed=1, now=FIXTURE_NOW, team_id=TEAM_ID)
    yield conn
    conn.close()


def run(conn: Any, sql: str) -> list[list[Any]]:
    """Rows of ``sql`` as lists (JSONCompact, 64-bit integers unquoted)."""
    import json

    result = conn.query(sql + " SETTINGS output_format_json_quote_64bit_integers=0", "JSONCompact")
    return list(json.loads(str(result))["data"])
