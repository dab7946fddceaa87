"""Differential tests: each corpus query gives the hand-written ClickHouse query's rows."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.server_hogql.conftest import TEAM_ID, run
from tests.server_hogql.corpus import CORPUS
from workbench.server.hogql import translate_hogql


def _normalise(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else value
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def test_corpus_has_at_least_60_queries() -> None:
    assert len(CORPUS) >= 60
    assert len({name for name, _, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("name", "hogql", "clickhouse"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_query_matches_hand_written_clickhouse(
    chdb_conn: Any, name: str, hogql: str, clickhouse: str
) -> None:
    translated = translate_hogql(hogql, team_id=TEAM_ID)
    actual = run(chdb_conn, translated.clickhouse)
    expected = run(chdb_conn, clickhouse)
    if translated.paginate:
        expected = expected[:101]
    if " union all " in hogql and "order by" not in hogql:  # arms arrive in any order
        actual, expected = sorted(actual), sorted(expected)
    assert actual, f"{name}: no rows, the comparison would prove nothing"
    assert _normalise(actual) == _normalise(expected)
