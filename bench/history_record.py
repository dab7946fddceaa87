"""The cost of recording a run: at submission, at its end, with and without a result sample.

Goal (issue 6): under 2 ms to record a run. Measured on an empty history and on one with
100,000 entries (bigger indexes), plus one retention batch (how long a prune holds the lock).
Run: ``nice .venv/bin/python bench/history_record.py [ENTRIES]``. Prints a Markdown table (ms).
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from history_common import build_history, make_sql, summary, timed

from workbench.history import HistorySettings, HistoryStore

HOST = "https://us.posthog.com"
"""Where the recorded runs claim to have gone."""

SAMPLE_ROWS = [
    [i, f"user-{i}@example.com", "$pageview", 3.25 * i, "2026-11-29 08:00:00"] for i in range(1000)
]
"""A 1,000-row, 5-column result; the default 64 KiB cap keeps about 900 of its rows."""


def measure(store: HistoryStore, label: str, n: int) -> None:
    rng = random.Random(1)
    ids: list[int] = []

    def submit() -> None:
        ids.append(store.record_submitted(make_sql(rng), host=HOST, project_id=1))

    print(summary(f"{label}: `record_submitted`", timed(submit, n)))
    pending = iter(ids)

    def finish() -> None:
        assert store.record_finished(
            next(pending), state="done", row_count=10, columns=["a"], types=["UInt64"]
        )

    print(summary(f"{label}: `record_finished`, no sample", timed(finish, n)))

    def whole_run_with_sample() -> None:
        entry_id = store.record_submitted(make_sql(rng), host=HOST, project_id=1)
        store.record_finished(
            entry_id, state="done", row_count=1000, columns=list("abcde"),
            types=["UInt64", "String", "String", "Float64", "DateTime"], rows=SAMPLE_ROWS,
        )  # fmt: skip

    print(summary(f"{label}: submit + finish with a 1,000-row sample (64 KiB cap)",
                  timed(whole_run_with_sample, n // 4)))  # fmt: skip

    def folded() -> None:
        store.record_submitted("SELECT 1", host=HOST, project_id=1)

    print(summary(f"{label}: `record_submitted` folding into the previous run", timed(folded, n)))


def main(entries: int) -> None:
    print("| measurement | median | p95 | max | n |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        with HistoryStore(Path(folder) / "empty.sqlite3") as store:
            measure(store, "empty history", 400)
        path = Path(folder) / "big.sqlite3"
        build_history(path, entries)
        with HistoryStore(path) as store:
            measure(store, f"{entries:,} entries", 400)
        settings = HistorySettings(max_entries=entries - 5_000, max_age_days=None)
        with HistoryStore(path, settings=settings) as store:
            batches = timed(lambda: store.prune(batch_size=500, max_batches=1), 10)
            print(summary(f"one prune batch of 500 runs at {entries:,} (the lock is held this long)",
                          batches))  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
