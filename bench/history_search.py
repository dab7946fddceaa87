"""Search over 100,000 history entries the way a search box does: one query per keystroke.

Goal (issue 6): under 20 ms per keystroke query. Prints a Markdown table (ms).
Run: ``nice .venv/bin/python bench/history_search.py [ENTRIES]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from history_common import build_history, summary, timed

from workbench.history import HistoryStore

TYPED = "select count from events where properties.$browser"
"""What the user types, one character at a time (each prefix is one search)."""

RARE = "argMax utm_source 2026-03"
"""A query matching few entries (the index must find them without a full scan)."""


def keystrokes(store: HistoryStore, text: str, **filters: object) -> list[float]:
    """Time ``store.search`` for each prefix of ``text`` (limit 100, as a browser list)."""
    samples: list[float] = []
    for end in range(1, len(text) + 1):
        prefix = text[:end]
        samples += timed(lambda p=prefix: store.search(p, limit=100, **filters), 3)  # type: ignore[misc]
    return samples


def main(entries: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        t0 = time.perf_counter()
        build_history(path, entries)
        print(f"built {entries:,} entries in {time.perf_counter() - t0:.1f} s")
        HistoryStore(path).close()  # checkpoint, so the size below is the whole file
        print(f"history file: {path.stat().st_size / 1e6:.1f} MB")
        week_ago = datetime.now(UTC) - timedelta(days=7)
        print("| measurement | median | p95 | max | n |\n|---|---|---|---|---|")
        for full_text in (True, False):
            store = HistoryStore(path, full_text=full_text)
            assert store.degraded_reason is None
            kind = "FTS5" if full_text else "LIKE fallback"
            store.search("warm up", limit=100)
            print(summary(f"{kind}: typing `{TYPED}`, each prefix", keystrokes(store, TYPED)))
            print(summary(f"{kind}: typing a rare query `{RARE}`", keystrokes(store, RARE)))
            print(
                summary(f"{kind}: typing + state=failed", keystrokes(store, TYPED, state="failed"))
            )
            print(summary(f"{kind}: typing + project=2 + last 7 days",
                          keystrokes(store, TYPED, project=2, since=week_ago)))  # fmt: skip
            print(
                summary(f"{kind}: no match (`zzzz`)", timed(lambda s=store: s.search("zzzz"), 30))
            )
            print(summary(f"{kind}: typo after a common word start (`selectx`)",
                          timed(lambda s=store: s.search("selectx"), 30)))  # fmt: skip
            store.close()
        store = HistoryStore(path)
        print(summary("recent(100), no text", timed(lambda: store.recent(100), 50)))
        for entry in store.recent(20):
            store.set_starred(entry.id)
        print(summary("saved(), 20 saved among 100,000", timed(store.saved, 50)))
        print(summary("get(id) with no sample", timed(lambda: store.get(entries // 2), 200)))
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
