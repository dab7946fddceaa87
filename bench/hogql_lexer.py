"""Measure the HogQL text tools on editor-sized buffers.

Lexing/highlighting a 20-line and a 2,000-line buffer in full, and the editor's
window (viewport of 50 rows plus 60 rows either side) in the middle of the
2,000-line buffer; plus the tokenizer, splitter, LIMIT policy and formatter.

Run: ``.venv/bin/python bench/hogql_lexer.py``.  Prints median and min of
several runs in milliseconds.  Single-threaded; nice to a shared 2-core machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from workbench.hogql.format import format_hogql
from workbench.hogql.highlight import highlight_lines
from workbench.hogql.limit import apply_row_limit
from workbench.hogql.split import split_statements, statement_at
from workbench.hogql.tokens import opaque_span_at, tokenize

QUERY = """\
-- Daily active users by browser, last 30 days
select
    toStartOfDay(timestamp) as day,
    properties.$browser as browser,
    person.properties.`$initial_utm_source` as source,
    count(distinct person_id) as users,
    countIf(event = '$pageview') as pageviews,
    arrayMap(x -> x * 2, [1, 2, 3]) as doubled
from events
where timestamp > now() - interval 30 day
    and {filters}
    and properties.$current_url ilike '%/blog/%'
    /* internal users are excluded
       by the {filters} placeholder */
    and event global in ('$pageview', '$autocapture')
group by day, browser, source
having users > 10
order by day desc, users desc
limit 100 by day
limit 1000;
"""
"""A realistic 20-line query; buffers repeat it."""

VIEWPORT_ROWS = 50
"""Rows visible in a tall editor pane."""

MARGIN_ROWS = 60
"""The editor lexes this many rows above and below the viewport (HIGHLIGHT_MARGIN_LINES)."""


def measure(label: str, function: Callable[[], object], repeats: int) -> None:
    """Run ``function`` ``repeats`` times after one warm-up; print median and min in ms."""
    function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<58} median {statistics.median(samples):8.3f} ms   min {min(samples):8.3f} ms"
        f"   (n={repeats})"
    )


COLD_START_PROBE = """
import json, time
started = time.perf_counter()
import workbench.hogql.highlight as highlight
imported = time.perf_counter()
highlight.highlight_lines(["select 1"])
lexed = time.perf_counter()
import workbench.hogql.format
formatted = time.perf_counter()
print(json.dumps([imported - started, lexed - imported, formatted - lexed]))
"""
"""Run in a fresh interpreter: what the app pays at startup for highlighting and formatting."""


def measure_cold_start(repeats: int) -> None:
    """Median import and first-use costs in fresh interpreters, in ms."""
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", COLD_START_PROBE], capture_output=True, check=True, text=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    labels = ("import workbench.hogql.highlight", "first highlight_lines (compiles the lexer)",
              "import workbench.hogql.format (sqlparse)")  # fmt: skip
    for index, label in enumerate(labels):
        samples = [run[index] * 1000 for run in runs]
        print(
            f"{'cold: ' + label:<58} median {statistics.median(samples):8.3f} ms"
            f"   min {min(samples):8.3f} ms   (n={repeats})"
        )


def main() -> None:
    small = QUERY.splitlines()
    assert len(small) == 20, len(small)
    large = small * 100
    large_text = "\n".join(large)
    middle = len(large) // 2
    first, stop = middle - MARGIN_ROWS, middle + VIEWPORT_ROWS + MARGIN_ROWS
    # A window whose first row sits inside the two-line block comment.
    comment_row = next(i for i in range(middle, len(large)) if large[i].startswith("       by"))

    print(f"buffers: 20 lines ({len(QUERY)} chars), 2,000 lines ({len(large_text)} chars)")
    measure("highlight_lines, 20-line buffer, all rows", lambda: highlight_lines(small), 200)
    measure("highlight_lines, 2,000-line buffer, all rows", lambda: highlight_lines(large), 15)
    measure(
        f"highlight_lines, 2,000-line buffer, window rows {first}-{stop}",
        lambda: highlight_lines(large, first, stop),
        100,
    )
    measure(
        "highlight_lines, window starting inside a block comment",
        lambda: highlight_lines(large, comment_row, comment_row + 170),
        100,
    )
    measure(
        "  of which opaque_span_at at row 1,000 (window start check)",
        lambda: opaque_span_at(large_text, len("\n".join(large[:middle])) + 1),
        200,
    )
    measure("tokenize, 2,000-line buffer", lambda: tokenize(large_text), 15)
    measure("split_statements, 2,000-line buffer", lambda: split_statements(large_text), 15)
    measure(
        "statement_at, 2,000-line buffer, cursor mid-buffer",
        lambda: statement_at(large_text, len(large_text) // 2),
        15,
    )
    measure("apply_row_limit, the 20-line query", lambda: apply_row_limit(QUERY, 1000), 200)
    measure("format_hogql, the 20-line query", lambda: format_hogql(QUERY), 20)
    measure("format_hogql, 2,000-line buffer (100 statements)", lambda: format_hogql(large_text), 3)
    measure_cold_start(7)


if __name__ == "__main__":
    main()
