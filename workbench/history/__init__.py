"""Query history: every run recorded in SQLite, searchable, foldable, curated (stdlib only).

```python
store = HistoryStore()                      # <data dir>/history.sqlite3
entry_id = store.record_submitted(sql, host=..., project_id=..., client_query_id=...)
store.record_finished(entry_id, state="done", row_count=..., columns=..., rows=...)
store.search("sel cou", state="failed", limit=50)
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.history.model import (
    ENTRY_STATES,
    FINAL_STATES,
    EntryState,
    FinalState,
    HistoryEntry,
    HistorySettings,
    ResultSample,
)
from workbench.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from workbench.history.store import HISTORY_FILE, HistoryStore, default_path

# The store brings sqlite3 (~30 ms); reading the settings file at start-up needs only
# ``HistorySettings``, so the store loads on first use.
__getattr__, __dir__ = lazy_exports(
    __name__,
    dict.fromkeys(("HISTORY_FILE", "HistoryStore", "default_path"), "workbench.history.store"),
)


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
