"""Query history: every run recorded in SQLite, searchable, foldable, curated (stdlib only).

```python
store = HistoryStore()                      # <data dir>/history.sqlite3
entry_id = store.record_submitted(sql, host=..., project_id=..., client_query_id=...)
store.record_finished(entry_id, state="done", row_count=..., columns=..., rows=...)
store.search("sel cou", state="failed", limit=50)
```
"""

from __future__ import annotations

from workbench.history.model import (
    ENTRY_STATES,
    FINAL_STATES,
    EntryState,
    FinalState,
    HistoryEntry,
    HistorySettings,
    ResultSample,
)
from workbench.history.store import HISTORY_FILE, HistoryStore, default_path

__all__ = [
    "ENTRY_STATES",
    "FINAL_STATES",
    "HISTORY_FILE",
    "EntryState",
    "FinalState",
    "HistoryEntry",
    "HistorySettings",
    "HistoryStore",
    "ResultSample",
    "default_path",
]
