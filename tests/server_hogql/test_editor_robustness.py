"""HogQLMetadata and HogQLAutocomplete answer any text at any cursor: never an exception,
offsets always inside the query (the editor sends half-typed queries all the time)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.server_hogql.corpus import CORPUS
from workbench.server.hogql import hogql_autocomplete, hogql_metadata

EDITS = ["(", ")", "'", "`", ".", ",", "{", "}", " from ", "properties.", "é", "\n", "--", "/*"]
"""What typing in the middle of a query inserts, half-finished."""


def keys(kind: str) -> list[str]:
    return ["$browser", "plan", "$current_url"]


@st.composite
def half_typed(draw: st.DrawFn) -> tuple[str, int]:
    """A corpus query cut short or with a stray edit, and a cursor position in it."""
    query = draw(st.sampled_from([case[1] for case in CORPUS]))
    if draw(st.booleans()):
        query = query[: draw(st.integers(0, len(query)))]
    else:
        at = draw(st.integers(0, len(query)))
        query = query[:at] + draw(st.sampled_from(EDITS)) + query[at:]
    return query, draw(st.integers(0, len(query)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(half_typed())
@example(("select p}roperties.plan from events", 8))  # the parser raises for a stray }
def test_metadata_and_autocomplete_answer_any_half_typed_query(case: tuple[str, int]) -> None:
    query, cursor = case
    start = cursor
    while start > 0 and (query[start - 1].isalnum() or query[start - 1] in "_$"):
        start -= 1
    answer = hogql_autocomplete(query, start=start, end=cursor, team_id=1, property_keys=keys)
    assert isinstance(answer["suggestions"], list)
    meta = hogql_metadata(query, team_id=1)
    for problem in meta["errors"] + meta["warnings"] + meta["notices"]:
        low, high = problem["start"], problem["end"]
        assert low is None or 0 <= low <= high <= len(query), (problem, len(query))
