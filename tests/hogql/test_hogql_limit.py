"""Top-level LIMIT detection and injection (the client's LIMIT policy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from workbench.hogql.limit import MAX_ROW_LIMIT, LimitedQuery, apply_row_limit, has_top_level_offset

ADDED = [
    ("select 1", "select 1 LIMIT 1001"),
    ("SELECT event FROM events", "SELECT event FROM events LIMIT 1001"),
    ("select 1;", "select 1 LIMIT 1001;"),
    ("select 1 ;  \n", "select 1 LIMIT 1001 ;  \n"),
    ("select 1 -- note", "select 1 LIMIT 1001 -- note"),
    ("select 1\n-- note\n", "select 1 LIMIT 1001\n-- note\n"),
    ("select 1 # note", "select 1 LIMIT 1001 # note"),
    ("select 1 /* a */ /* b */", "select 1 LIMIT 1001 /* a */ /* b */"),
    ("select 1 limit 5 by x", "select 1 limit 5 by x LIMIT 1001"),
    ("select 1 limit 5 offset 2 by x", "select 1 limit 5 offset 2 by x LIMIT 1001"),
    ("select 1 limit 2, 5 by x", "select 1 limit 2, 5 by x LIMIT 1001"),
    ("select 1 settings max_threads=1", "select 1 LIMIT 1001 settings max_threads=1"),
    ("select 1 format JSON;", "select 1 LIMIT 1001 format JSON;"),
    ("select 1 offset 3", "select 1 LIMIT 1001 offset 3"),
    ("select offset from t", "select offset from t LIMIT 1001"),
    ("select format('{}', 1) from t", "select format('{}', 1) from t LIMIT 1001"),
    ("select 'limit 5' from t", "select 'limit 5' from t LIMIT 1001"),
    ("select `limit` from t", "select `limit` from t LIMIT 1001"),
    ('select "limit 5" from t', 'select "limit 5" from t LIMIT 1001'),
    ("select x -- limit 5", "select x LIMIT 1001 -- limit 5"),
    ("select x /* limit 5 */", "select x LIMIT 1001 /* limit 5 */"),
    ("select t.limit from t", "select t.limit from t LIMIT 1001"),
    ("select * from (select 1 limit 5)", "select * from (select 1 limit 5) LIMIT 1001"),
    (
        "select 1 where x in (select y from t limit 3)",
        "select 1 where x in (select y from t limit 3) LIMIT 1001",
    ),
    (
        "with a as (select 1 limit 2) select * from a",
        "with a as (select 1 limit 2) select * from a LIMIT 1001",
    ),
    ("select * except (x) from t", "select * except (x) from t LIMIT 1001"),
    ("select {x} from events where {filters}", "select {x} from events where {filters} LIMIT 1001"),
    ("select 1 ; select 2", "select 1 LIMIT 1001 ; select 2"),
    ("(select 1)", "(select 1 LIMIT 1001)"),
    # Set operations: every arm without a LIMIT gets one (HogQL binds LIMIT to the last arm).
    ("select 1 union all select 2", "select 1 LIMIT 1001 union all select 2 LIMIT 1001"),
    ("select 1 union all select 2 limit 4", "select 1 LIMIT 1001 union all select 2 limit 4"),
    (
        "select 1 limit 4 union distinct select 2",
        "select 1 limit 4 union distinct select 2 LIMIT 1001",
    ),
    ("select 1 except select 2", "select 1 LIMIT 1001 except select 2 LIMIT 1001"),
    ("select 1 intersect select 2", "select 1 LIMIT 1001 intersect select 2 LIMIT 1001"),
    ("(select 1 union all select 2)", "(select 1 LIMIT 1001 union all select 2 LIMIT 1001)"),
    (
        "(select 1) union all (select 2 limit 3)",
        "(select 1 LIMIT 1001) union all (select 2 limit 3)",
    ),
    ("select 1 union all (select 2)", "select 1 LIMIT 1001 union all (select 2 LIMIT 1001)"),
]

UNCHANGED = [
    "select 1 limit 5",
    "SELECT 1 LIMIT 5;",
    "select 1 limit 5 -- trailing",
    "select 1 limit 5 offset 10",
    "select 1 limit 10, 5",
    "select 1 limit 5 with ties",
    "select 1 limit 5 by x limit 3",
    "select 1 limit {n}",
    "select 1 limit 5 settings a=1",
    "(select 1 union all select 2) limit 4",
    "select 1 limit 1 union all select 2 limit 2",
    "select 1 union all (select 2) limit 3",  # binds to the whole set
    "select 1 union all (select 2 union all select 3) limit 3",
    "",
    "   ",
    "-- only a comment",
    "show tables",
    "describe events",
]


@pytest.mark.parametrize(("sql", "expected"), ADDED)
def test_limit_is_added(sql: str, expected: str) -> None:
    result = apply_row_limit(sql, 1000)
    assert result == LimitedQuery(expected, True, 1000, 1001)


@pytest.mark.parametrize("sql", UNCHANGED)
def test_query_with_limit_is_unchanged(sql: str) -> None:
    assert apply_row_limit(sql, 1000) == LimitedQuery(sql, False, 1000, None)


@pytest.mark.parametrize(
    ("row_limit", "requested"),
    [(1, 1), (1000, 1000), (50_000, 50_000), (50_001, 50_000), (10**9, 50_000)],
)
def test_row_limit_is_clamped(row_limit: int, requested: int) -> None:
    result = apply_row_limit("select 1", row_limit)
    assert result.requested_rows == requested
    assert result.probe_limit == requested + 1
    assert result.sql == f"select 1 LIMIT {requested + 1}"


@pytest.mark.parametrize("row_limit", [0, -1, 1.5, "10", None, True])
def test_bad_row_limit_raises(row_limit: Any) -> None:
    with pytest.raises(ValueError, match="row_limit"):
        apply_row_limit("select 1", row_limit)


def test_max_row_limit_matches_posthog() -> None:
    assert MAX_ROW_LIMIT == 50_000


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select 1 offset 3", True),
        ("select 1 limit 5 offset 3", True),
        ("select 1 limit 3, 5", True),
        ("select 1 limit 2 offset 1 by x", True),
        ("select 1 limit 5", False),
        ("select 1 limit 5 by a, b", False),
        ("select offset from t", False),
        ("select * from (select 1 limit 5 offset 2)", False),
        ("select 1 union all select 2 offset 4", True),
        ("(select 1 limit 1 offset 1) union all select 2", True),
        ("select 'offset 3'", False),
        ("select 1 -- offset 3", False),
        ("", False),
    ],
)
def test_has_top_level_offset(sql: str, expected: bool) -> None:
    assert has_top_level_offset(sql) is expected


# Property tests over generated queries.

_ARM = st.sampled_from(
    [
        "select 1",
        "select event, count() from events group by event",
        "select * from (select x from t limit 3)",
        "select 'a;b' as s",
        "select `limit` from t where x = ';'",
        "select {filters}",
        "select 1 limit 4 by x",
    ]
)
_SET_OP = st.sampled_from([" union all ", " UNION DISTINCT ", "\nexcept\n", " intersect "])
_TAIL = st.sampled_from(["", ";", " ;\n", " -- c", "\n/* c */", " # c\n"])


@st.composite
def queries(draw: st.DrawFn, with_tail: bool = True) -> str:
    arms = draw(st.lists(_ARM, min_size=1, max_size=3))
    text = arms[0]
    for arm in arms[1:]:
        text += draw(_SET_OP) + arm
    return text + (draw(_TAIL) if with_tail else "")


@given(queries(), st.integers(1, 60_000))
def test_existing_limit_is_never_changed(sql: str, row_limit: int) -> None:
    once = apply_row_limit(sql, row_limit)
    again = apply_row_limit(once.sql, row_limit)
    assert again.sql == once.sql
    assert not again.limit_added


@given(queries(), st.integers(1, 1000))
def test_only_inserts_limit_clauses(sql: str, row_limit: int) -> None:
    result = apply_row_limit(sql, row_limit)
    assert result.limit_added
    assert result.sql.replace(f" LIMIT {row_limit + 1}", "") == sql


@given(queries(with_tail=False))
def test_every_arm_is_limited_per_posthogs_parser(
    parse_select: Callable[[str], dict[str, Any]], sql: str
) -> None:
    ast = parse_select(apply_row_limit(sql, 10).sql)
    assert "error" not in ast, ast
    arms = (
        [ast]
        if ast["node"] == "SelectQuery"
        else [
            ast["initial_select_query"],
            *(n["select_query"] for n in ast["subsequent_select_queries"]),
        ]
    )
    for arm in arms:
        assert arm.get("limit") is not None


_ORACLE_ARM = st.sampled_from(
    [
        "select 1",
        "select 1 limit 2",
        "select x from t limit 3 by x",
        "select x from t limit 3 by x limit 4",
        "select x from (select y from u limit 5)",
        "select 1 limit 2 offset 1",
        "(select 1)",
        "(select 1 limit 2)",
        "(select 1 union all select 2)",
        "(select 1 union all select 2) limit 3",
        "with a as (select 1 limit 2) select * from a",
        "select 1 -- limit 5\n",
        "select 'limit 5' /* limit 6 */",
    ]
)


def _arm_limits(ast: dict[str, Any]) -> list[bool]:
    """Per top-level arm, whether PostHog's parser put a LIMIT on it."""
    if ast["node"] == "SelectQuery":
        return [ast.get("limit") is not None]
    if ast.get("limit") is not None:
        return [True]  # (a UNION ALL b) LIMIT n limits the whole set
    arms = [
        ast["initial_select_query"],
        *(n["select_query"] for n in ast["subsequent_select_queries"]),
    ]
    return [limited for arm in arms for limited in _arm_limits(arm)]


@given(st.lists(_ORACLE_ARM, min_size=1, max_size=3).map(" union all ".join))
def test_limit_added_exactly_when_posthogs_parser_sees_an_unlimited_arm(
    parse_select: Callable[[str], dict[str, Any]], sql: str
) -> None:
    before = parse_select(sql)
    assume("error" not in before)  # e.g. `(…) LIMIT 3 UNION ALL …` is not HogQL
    result = apply_row_limit(sql, 10)
    assert result.limit_added == (not all(_arm_limits(before)))
    if not result.limit_added:
        assert result.sql == sql
    after = parse_select(result.sql)
    assert "error" not in after, (result.sql, after)
    assert all(_arm_limits(after))
