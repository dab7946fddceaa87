"""Decode + columnar conversion of a 50,000-row x 20-column HogQL response.

Times the client's path from response bytes to a typed ``pyarrow.Table``: decode (orjson,
collector paused for big bodies),
response parsing (shape checks, LIMIT trim), then ``QueryResult.to_arrow()``. Median of
``RUNS`` runs.

    .venv/bin/python bench/client_decode.py
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from typing import Any

import orjson

from workbench.client.envelope import decode_json
from workbench.client.limits import RowLimitPlan
from workbench.client.results import parse_query_response

ROWS = 50_000
RUNS = 7

COLUMNS: list[tuple[str, str]] = [
    ("uuid", "UUID"),
    ("event", "String"),
    ("distinct_id", "String"),
    ("timestamp", "DateTime64(6, 'UTC')"),
    ("current_url", "Nullable(String)"),
    ("browser", "Nullable(String)"),
    ("os", "LowCardinality(String)"),
    ("count", "UInt64"),
    ("duration", "Float64"),
    ("is_identified", "Bool"),
    ("day", "Date"),
    ("session_id", "Nullable(String)"),
    ("screen_width", "Nullable(Int64)"),
    ("revenue", "Nullable(Float64)"),
    ("country", "String"),
    ("tags", "Array(String)"),
    ("created_at", "DateTime('UTC')"),
    ("team", "Int32"),
    ("elements_chain", "String"),
    ("person_id", "UUID"),
]
"""Twenty columns with the type mix a real events query returns."""


def row(rng: random.Random, i: int) -> list[Any]:
    second = i % 86_400
    ts = f"2026-11-{1 + i % 28:02d}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.{i % 999_999:06d}Z"
    return [
        str(uuid.UUID(int=rng.getrandbits(128))),
        rng.choice(["$pageview", "$autocapture", "$identify", "signup", "purchase"]),
        f"user-{rng.randrange(10_000)}",
        ts,
        None if i % 7 == 0 else f"https://example.com/page/{i % 500}",
        rng.choice(["Chrome", "Firefox", "Safari", None]),
        rng.choice(["Mac OS X", "Windows", "Linux", "iOS"]),
        rng.randrange(1_000_000),
        rng.random() * 1000,
        rng.random() < 0.5,
        f"2026-11-{1 + i % 28:02d}",
        None if i % 3 == 0 else f"sess-{i // 10}",
        rng.choice([1280, 1440, 1920, None]),
        None if i % 5 else round(rng.random() * 100, 2),
        rng.choice(["US", "DE", "GB", "FR", "BR"]),
        ["a", "b"] if i % 2 else [],
        ts[:19] + "Z",
        2,
        "a:nth-child(1)..button.btn",
        str(uuid.UUID(int=rng.getrandbits(128))),
    ]


def response_body() -> bytes:
    rng = random.Random(7)
    body = {
        "results": [row(rng, i) for i in range(ROWS)],
        "columns": [name for name, _ in COLUMNS],
        "types": [[name, ch_type] for name, ch_type in COLUMNS],
        "hogql": "SELECT ... LIMIT 50000",
        "is_cached": False,
        "last_refresh": "2026-11-29T07:00:00Z",
        "hasMore": None,
    }
    return orjson.dumps(body)


def main() -> None:
    import pyarrow.compute  # noqa: F401  (loaded once by the app; keep its import out of the timing)

    body = response_body()
    plan = RowLimitPlan(sql="SELECT ...", row_limit=ROWS, limit_added=False)
    stages: dict[str, list[float]] = {"decode": [], "parse": [], "to_arrow": [], "total": []}
    for _ in range(RUNS):
        t0 = time.perf_counter()
        data = decode_json(body, status=200, content_type="application/json", secret="")
        t1 = time.perf_counter()
        result = parse_query_response(data, client_query_id="q", plan=plan, elapsed=0.0)
        t2 = time.perf_counter()
        table = result.to_arrow()
        t3 = time.perf_counter()
        for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
            stages[name].append(seconds * 1000)
        shape = (table.num_rows, table.num_columns)
        del data, result, table  # free this run's million objects outside the timed region
    assert shape == (ROWS, len(COLUMNS))
    print(
        f"{ROWS:,} rows x {len(COLUMNS)} columns, {len(body) / 1e6:.1f} MB of JSON, median of {RUNS}"
    )
    for name, values in stages.items():
        print(f"  {name:<9} {statistics.median(values):7.1f} ms   (min {min(values):.1f})")


if __name__ == "__main__":
    main()
