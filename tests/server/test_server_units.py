"""Unit tests of the server's pure parts: values, throttles, request validation, errors."""

from __future__ import annotations

import pytest

from workbench.server.auth import Authenticator, bearer_token, require_project, require_scope
from workbench.server.cache import ResponseCache, cache_key
from workbench.server.clickhouse_errors import api_error_for
from workbench.server.config import ApiKey, Rate, RateLimits
from workbench.server.engine import ClickHouseError, settings_clause
from workbench.server.errors import ApiError
from workbench.server.ratelimit import Throttles
from workbench.server.request_model import parse_query_request
from workbench.server.status_store import StatusStore, new_status
from workbench.server.values import convert_rows, format_datetime


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_datetimes_render_as_posthog_does() -> None:
    assert format_datetime("2026-01-02 03:04:05", None) == "2026-01-02T03:04:05Z"
    assert format_datetime("2026-01-02 03:04:05.000000", "UTC") == "2026-01-02T03:04:05Z"
    assert format_datetime("2026-01-02 03:04:05.12", "UTC") == "2026-01-02T03:04:05.120000Z"
    assert format_datetime("2026-07-02 03:04:05", "Europe/Berlin") == "2026-07-02T03:04:05+02:00"
    # DateTime64(9): microseconds, as clickhouse-driver's datetimes carry them
    assert format_datetime("2026-01-02 03:04:05.123456789", None) == "2026-01-02T03:04:05.123456Z"


def test_convert_rows_touches_only_datetime_columns() -> None:
    types = ["Nullable(DateTime64(6, 'UTC'))", "String", "Array(DateTime)", "Date"]
    rows = [["2026-01-02 03:04:05.000001", "2026-01-02 03:04:05", ["2026-01-02 00:00:00"], "x"]]
    assert convert_rows(types, rows) == [
        ["2026-01-02T03:04:05.000001Z", "2026-01-02 03:04:05", ["2026-01-02T00:00:00Z"], "x"]
    ]
    assert convert_rows(types, [[None, None, [], None]]) == [[None, None, [], None]]


def test_rate_parsing() -> None:
    assert Rate.parse("120/hour") == Rate(120, 3600)
    assert Rate.parse("240/minute") == Rate(240, 60)
    with pytest.raises(ValueError):
        Rate.parse("fast")


def test_throttle_counts_per_key_and_reports_retry_after() -> None:
    clock = FakeClock()
    throttles = Throttles(RateLimits(hogql=Rate(2, 3600)), clock=clock)
    throttles.check_hogql("key-a")
    clock.now += 10
    throttles.check_hogql("key-a")
    throttles.check_hogql("key-b")  # another key has its own bucket
    with pytest.raises(ApiError) as caught:
        throttles.check_hogql("key-a")
    error = caught.value
    assert error.status == 429 and error.code == "throttled"
    wait = int(error.headers["Retry-After"])
    # DRF: remaining time of the oldest window entry, spread over the slots that free up.
    assert 0 < wait <= 3600
    assert f"Expected available in {wait} seconds." in error.detail
    clock.now += 3600
    throttles.check_hogql("key-a")


def test_throttles_off_never_raise() -> None:
    throttles = Throttles(RateLimits(hogql=Rate(1, 3600), enabled=False))
    for _ in range(5):
        throttles.check_hogql("k")


def test_refresh_modes_normalise_like_posthog() -> None:
    def mode(**body: object) -> str:
        request = parse_query_request(
            {"query": {"kind": "HogQLQuery", "query": "select 1"}, **body}
        )
        return request.refresh

    assert mode() == "blocking"
    assert mode(refresh="force_cache") == "blocking"
    assert mode(refresh=True) == "force_blocking"
    assert mode(refresh="blocking", **{"async": True}) == "async"
    assert mode(refresh="lazy_async") == "lazy_async"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ([], "parse_error"),
        ({}, "parse_error"),
        ({"query": {"kind": "NoSuchKind"}}, "parse_error"),
        ({"query": {"kind": "HogQLQuery"}}, "parse_error"),
        ({"query": {"kind": "HogQLQuery", "query": 5}}, "parse_error"),
        ({"query": {"kind": "HogQLQuery", "query": "x"}, "refresh": "sometimes"}, "parse_error"),
        ({"query": {"kind": "HogQLQuery", "query": "x"}, "bogus": 1}, "parse_error"),
        ({"query": {"kind": "HogQLQuery", "query": "x"}, "name": "n" * 129}, "parse_error"),
        ({"query": "select 1"}, "invalid_input"),
    ],
)
def test_bad_bodies_are_rejected(body: object, code: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_query_request(body)
    assert caught.value.status == 400
    assert caught.value.code == code


def test_path_kind_must_match_body_kind() -> None:
    with pytest.raises(ApiError) as caught:
        parse_query_request(
            {"query": {"kind": "HogQLQuery", "query": "x"}}, path_kind="HogQLMetadata"
        )
    assert caught.value.detail == (
        'Query kind mismatch: path kind "HogQLMetadata" does not match body kind "HogQLQuery".'
    )


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("TIMEOUT_EXCEEDED", 504, "error"),
        ("MEMORY_LIMIT_EXCEEDED", 513, "clickhouse_memory_limit_exceeded"),
        ("TOO_SLOW", 512, "error"),
        ("ILLEGAL_TYPE_OF_ARGUMENT", 400, "illegal_type_of_argument"),
        ("QUERY_WAS_CANCELLED", 500, "error"),
        ("LOGICAL_ERROR", 500, "error"),
    ],
)
def test_clickhouse_errors_map_to_posthog_statuses(name: str, status: int, code: str) -> None:
    error = api_error_for(ClickHouseError(1, name, "boom"))
    assert (error.status, error.code) == (status, code)


def test_exposed_clickhouse_message_hides_our_settings_clause() -> None:
    message = (
        "Illegal types UInt8 and String of arguments of function plus: In scope SELECT 1 + 'a' "
        "SETTINGS readonly = 2, max_execution_time = 60, session_timezone = 'UTC'."
    )
    error = api_error_for(ClickHouseError(43, "ILLEGAL_TYPE_OF_ARGUMENT", message))
    assert "readonly" not in error.detail
    assert error.detail.startswith("Illegal types UInt8 and String")


def test_chdb_error_text_is_parsed() -> None:
    parsed = ClickHouseError.from_chdb(
        RuntimeError("Code: 159. DB::Exception: Timeout exceeded: elapsed 1 ms. (TIMEOUT_EXCEEDED)")
    )
    assert (parsed.code, parsed.name) == (159, "TIMEOUT_EXCEEDED")


def test_settings_clause_quotes_strings_and_rejects_odd_names() -> None:
    assert settings_clause({"readonly": 2, "session_timezone": "UTC"}) == (
        " SETTINGS readonly=2, session_timezone='UTC'"
    )
    with pytest.raises(ValueError):
        settings_clause({"a; DROP": 1})


def test_authentication_and_scopes() -> None:
    keys = (ApiKey("phx_all"), ApiKey("phx_scoped", frozenset({"query:write"}), frozenset({7})))
    auth = Authenticator(keys)
    assert bearer_token({"authorization": "Bearer phx_all"}) == "phx_all"
    assert bearer_token({"authorization": "Basic abc"}) is None
    assert auth.authenticate("phx_all") is keys[0]
    for token, code in ((None, "not_authenticated"), ("phx_other", "authentication_failed")):
        with pytest.raises(ApiError) as caught:
            auth.authenticate(token)
        assert (caught.value.status, caught.value.code) == (401, code)
        assert "phx_other" not in caught.value.detail
    require_scope(keys[1], "query:read")  # write implies read
    with pytest.raises(ApiError) as caught:
        require_scope(keys[1], "project:read")
    assert caught.value.detail == "API key missing required scope 'project:read'"
    with pytest.raises(ApiError) as caught:
        require_project(keys[1], 1, 1)
    assert caught.value.detail == "API key does not have access to the requested project: ID 1."


def test_status_store_expires_after_ttl_from_last_write() -> None:
    clock = FakeClock()
    store = StatusStore(ttl=1200, clock=clock)
    status = new_status("q", 1)
    store.put(1, status)
    clock.now += 1000
    store.put(1, status)  # a write refreshes the TTL
    clock.now += 1000
    assert store.get(1, "q") is status
    assert store.get(2, "q") is None
    clock.now += 201
    assert store.get(1, "q") is None


def test_cache_key_ignores_name_and_tags_but_not_the_query() -> None:
    base = {"kind": "HogQLQuery", "query": "select 1"}
    key = cache_key(base, team_id=1, timezone="UTC")
    assert cache_key({**base, "name": "x", "tags": {"a": 1}}, team_id=1, timezone="UTC") == key
    assert cache_key({**base, "query": "select 2"}, team_id=1, timezone="UTC") != key
    assert cache_key(base, team_id=2, timezone="UTC") != key


def test_response_cache_reports_age_and_evicts_old_entries() -> None:
    clock = FakeClock()
    cache = ResponseCache(clock=clock)
    cache.put("k", {"results": []})
    clock.now += 30
    hit = cache.get("k")
    assert hit is not None and hit[1] == 30
    clock.now += 7 * 3600
    assert cache.get("k") is None


def test_response_cache_keeps_a_row_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.server.cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_CACHED_ROWS", 10)
    cache = ResponseCache()
    cache.put("a", {"results": [[1]] * 6})
    cache.put("b", {"results": [[1]] * 4})
    assert cache.get("a") is not None  # now "b" is the least recently used
    cache.put("c", {"results": [[1]] * 3})
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None


def test_server_query_ids_are_uuid7_hex() -> None:
    import uuid

    from workbench.server.query_service import new_query_id

    first, second = new_query_id(), new_query_id()
    for value in (first, second):
        parsed = uuid.UUID(hex=value)
        assert len(value) == 32 and parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert first != second and first[:12] <= second[:12]  # millisecond prefix is ordered
