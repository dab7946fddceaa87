"""A history-writing child process for the concurrency and kill -9 tests.

``python tests/history/writer.py PATH TAG COUNT [GO_FILE]``: prints ``ready``, waits for
GO_FILE (if given), then records COUNT runs (forever if COUNT is 0), printing each id once
its end is committed, and finally ``degraded: <reason or None>``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from workbench.history import HistoryStore


def main(path: str, tag: str, count: int, go_file: str | None) -> None:
    store = HistoryStore(Path(path))
    print("ready", flush=True)
    while go_file is not None and not Path(go_file).exists():
        time.sleep(0.005)
    i = 0
    while count == 0 or i < count:
        entry_id = store.record_submitted(
            f"SELECT '{tag}-{i}' FROM events", host="https://us.posthog.com", project_id=1
        )
        store.record_finished(entry_id, state="done", row_count=1, rows=[[tag, i]])
        print(entry_id, flush=True)
        i += 1
    print(f"degraded: {store.degraded_reason}", flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
