"""Invalid queries: each gets the right code, message and character span; junk never crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.server.hogql import HogQLError, hogql_metadata, translate_hogql

SYNTAX = "hogql_syntax_error"
QUERY = "hogql_query_error"

# (query, code, message or its start, text the error's span covers)
INVALID: list[tuple[str, str, str, str]] = [
    ("select from events", SYNTAX, 'Cannot use "from" before an implicit alias', "from events"),
    ("select event from", SYNTAX, "no viable alternative", ""),
    ("select * from event", QUERY, "Unknown table `event`. Did you mean: events?", "event"),
    ("select * from nosuch", QUERY, "Unknown table `nosuch`.", "nosuch"),
    ("select nope from events", QUERY, "Unable to resolve field: nope", "nope"),
    # The parser raises (rather than returns) this one, without a position.
    ("select p}roperties.plan from events", SYNTAX, "Unmatched curly bracket", "}"),
    ("select nosuchfunc(1)", QUERY, "Unsupported function call 'nosuchfunc(...)'", "nosuchfunc(1)"),
    (
        "select count(1, 2, 3) from events",
        QUERY,
        "Function 'count' expects at most 1 argument, found 3",
        "count(1, 2, 3)",
    ),
    ("select * from numbers(10)", QUERY, "Table functions are not supported", "numbers(10)"),
    ("select * from file('x.csv')", QUERY, "Table functions are not supported", "file('x.csv')"),
    (
        "select * from remote('h', 'db')",
        QUERY,
        "Table functions are not supported",
        "remote('h', 'db')",
    ),
    (
        "select url('http://example.com')",
        QUERY,
        "Table functions are not supported: 'url(...)'",
        "url('http://example.com')",
    ),
    (
        "insert into events values (1)",
        SYNTAX,
        "mismatched input 'insert'",
        "insert into events values (1)",
    ),
    ("drop table events", SYNTAX, "mismatched input 'drop'", "drop table events"),
    (
        "alter table events delete where 1",
        SYNTAX,
        "mismatched input 'alter'",
        "alter table events delete where 1",
    ),
    ("system shutdown", SYNTAX, "mismatched input 'system'", "system shutdown"),
    ("set max_threads = 1", SYNTAX, "mismatched input 'set'", "set max_threads = 1"),
    ("select 1; select 2", SYNTAX, "mismatched input 'select'", "select 2"),
    ("select person.nope from events", QUERY, "Unable to resolve field: nope", "person.nope"),
    ("select 1 from persons p where p.nope = 1", QUERY, "Unable to resolve field: nope", "p.nope"),
    ("select e.event from events", QUERY, "Unable to resolve field: e", "e.event"),
    ("select toDate()", QUERY, "Function 'toDate' expects 1 argument, found 0", "toDate()"),
    (
        "select quantile(x) from events",
        QUERY,
        "Function 'quantile' expects 1 parameter, found 0",
        "quantile(x)",
    ),
    (
        "select lag(event) from events",
        QUERY,
        "Window function 'lag' needs an OVER clause",
        "lag(event)",
    ),
    ("select {x}", QUERY, "Placeholder {x} has no value", "{x}"),
    ("select event::weird from events", QUERY, "Unsupported type cast: weird", "event::weird"),
    ("select 1 from events sample 0.1", QUERY, "SAMPLE is not supported", "sample 0.1"),
    ("select session.nope from events", QUERY, "Unable to resolve field: nope", "session.nope"),
    ("select events from events", QUERY, "Unable to resolve field: events", "events"),
    ("select t.* from events", QUERY, "Unable to resolve field: t.*", "t.*"),
    ("select 'unterminated", SYNTAX, "no viable alternative", "'unterminated"),
    ("select count() from events group by", SYNTAX, "no viable alternative", ""),
    ("select * from system.tables", QUERY, "Unknown table `system.tables`.", "system.tables"),
    (
        "select if(1, 2) from events",
        QUERY,
        "Function 'if' expects 3 arguments, found 2",
        "if(1, 2)",
    ),
    ("select now(1)", QUERY, "Function 'now' expects 0 arguments, found 1", "now(1)"),
    ("with a as (select 1) select * from b", QUERY, "Unknown table `b`.", "b"),
    ("select event from events e join persons e on 1", QUERY, "Duplicate table alias: e", ""),
    (
        "select distinct_id from events join person_distinct_ids on 1",
        QUERY,
        "Ambiguous query. Found multiple sources for field: distinct_id",
        "distinct_id",
    ),
    (
        "select event, count() from events group by event with totals",
        QUERY,
        "GROUP BY … WITH TOTALS is not supported",
        "with totals",
    ),
    (
        "select event from events order by event desc nulls first",
        QUERY,
        "ORDER BY … NULLS FIRST/LAST is not supported",
        "nulls first",
    ),
    (
        "select event from events order by event collate 'de'",
        QUERY,
        "ORDER BY … COLLATE is not supported",
        "collate",
    ),
    (
        "select event from events order by timestamp with fill",
        QUERY,
        "ORDER BY … WITH FILL is not supported",
        "",
    ),
    ("select version()", QUERY, "Unsupported function call 'version(...)'", "version()"),
    (
        "select currentDatabase()",
        QUERY,
        "Unsupported function call 'currentDatabase(...)'",
        "currentDatabase()",
    ),
    (
        "select dictGet('d', 'x', 1)",
        QUERY,
        "Unsupported function call 'dictGet(...)'",
        "dictGet('d', 'x', 1)",
    ),
    (
        "select arrayReduce('sum', [1])",
        QUERY,
        "Unsupported function call 'arrayReduce(...)'",
        "arrayReduce('sum', [1])",
    ),
    (
        "select event from events group by event with rollup",
        QUERY,
        "GROUP BY … WITH CUBE/ROLLUP is not supported",
        "with rollup",
    ),
    (
        "select upper(event) filter (where 1) from events",
        QUERY,
        "FILTER is only allowed on aggregate functions: upper",
        "upper(event) filter (where 1)",
    ),
]


@pytest.mark.parametrize(
    ("query", "code", "message", "span"), INVALID, ids=[q for q, *_ in INVALID]
)
def test_invalid_query_gets_code_message_and_span(
    query: str, code: str, message: str, span: str
) -> None:
    with pytest.raises(HogQLError) as caught:
        translate_hogql(query, team_id=1)
    error = caught.value
    assert error.code == code
    assert error.message.startswith(message)
    if span:
        assert error.start is not None and error.end is not None
        assert query[error.start : error.end] == span


def test_there_are_at_least_30_invalid_cases() -> None:
    assert len(INVALID) >= 30


def test_dropped_clause_words_inside_strings_are_fine() -> None:
    sql = translate_hogql("select 'with totals' as `nulls first` from events", team_id=1).clickhouse
    assert "'with totals'" in sql


def test_metadata_reports_errors_with_offsets() -> None:
    meta = hogql_metadata("select evnt from events", team_id=1)
    assert meta["isValid"] is False
    assert meta["errors"] == [
        {"message": "Unable to resolve field: evnt", "start": 7, "end": 11, "fix": None}
    ]
    assert set(meta) >= {"query", "warnings", "notices", "table_names", "ch_table_names"}


def test_metadata_of_a_valid_query_lists_its_tables() -> None:
    meta = hogql_metadata(
        "select e.event, session.$session_duration from events e join persons p on p.id = e.person_id",
        team_id=1,
    )
    assert meta["isValid"] is True
    assert meta["errors"] == []
    assert meta["table_names"] == ["events", "persons", "sessions"]


def test_metadata_allows_offset_which_is_only_refused_at_run_time() -> None:
    assert hogql_metadata("select 1 limit 1 offset 1", team_id=1)["isValid"] is True


_JUNK_ALPHABET = st.sampled_from(
    [
        "select",
        "from",
        "events",
        "persons",
        "where",
        "group by",
        "order by",
        "limit",
        "offset",
        "(",
        ")",
        ",",
        ".",
        "*",
        "+",
        "-",
        "=",
        "!=",
        "'a'",
        "1",
        "1.5",
        "null",
        "and",
        "or",
        "not",
        "in",
        "like",
        "as",
        "x",
        "properties",
        "$browser",
        "count()",
        "join",
        "on",
        "union all",
        "with",
        "{p}",
        "{",
        "}",
        "[",
        "]",
        "->",
        "::",
        "`",
        "\\",
        "\x00",
        "é",
        "case",
        "when",
        "then",
        "else",
        "end",
        "interval",
        "day",
        "over",
        "partition by",
        "array join",
        " ",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_JUNK_ALPHABET, max_size=25).map(" ".join))
def test_token_junk_yields_hogql_error_or_a_translation(query: str) -> None:
    try:
        translated = translate_hogql(query, team_id=1, values={"p": 1})
    except HogQLError as error:
        assert error.code in ("hogql_syntax_error", "hogql_query_error", "hogql_error")
        return
    assert translated.clickhouse.startswith(("SELECT", "WITH", "("))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_yields_hogql_error_or_a_translation(query: str) -> None:
    try:
        translated = translate_hogql(query, team_id=1)
    except HogQLError as error:
        assert error.message
        return
    assert translated.clickhouse.startswith(("SELECT", "WITH", "("))


def test_metadata_calls_an_unfinished_query_unexpected_end() -> None:
    meta = hogql_metadata("select event from events where", team_id=1)
    assert meta["errors"] == [
        {"message": "Unexpected end of query", "start": 30, "end": 30, "fix": None}
    ]


def test_metadata_names_the_tables_of_a_query_that_does_not_resolve() -> None:
    meta = hogql_metadata("select nope from events e join persons p on 1", team_id=1)
    assert meta["isValid"] is False
    assert meta["table_names"] == ["events", "persons"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "select groupArray(event order by timestamp) from events",
            "ORDER BY inside a function call is not supported",
        ),
        (
            "select event from events final",
            "The FINAL keyword is not supported in HogQL as it causes slow queries",
        ),
    ],
)
def test_constructs_the_printer_cannot_print_are_refused(query: str, message: str) -> None:
    with pytest.raises(HogQLError) as caught:
        translate_hogql(query, team_id=1)
    assert caught.value.message == message
    assert caught.value.start is not None


def test_metadata_of_an_empty_query_is_an_error_not_an_exception() -> None:
    meta = hogql_metadata("", team_id=1)
    assert meta["isValid"] is False
    assert meta["errors"][0]["message"] == "Unexpected end of query"  # type: ignore[index]
