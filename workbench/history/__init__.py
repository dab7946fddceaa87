"""Query history: every run recorded in SQLite, searchable, foldable, curated (stdlib only).

```python
store = HistoryStore()                      # <data dir>/history.sqlite3
entry_id = store.record_submitted(sql, host=..., project_id=..., client_query_id=...)
store.record_finished(entry_id, state="done", row_count=..., columns=..., rows=...)
store.search("sel cou", state="failed", limit=50)
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.history.model import (
    ENTRY_STATES,
    FINAL_STATES,
    EntryState,
    FinalState,
    HistoryEntry,
    HistorySettings,
    ResultSample,
)

if TYPE_CHECKING:
    from workbench.history.store import HISTORY_FILE, HistoryStore, default_path

_FROM_STORE = frozenset({"HISTORY_FILE", "HistoryStore", "default_path"})
"""Loaded on first use: the store brings sqlite3 (~30 ms), and reading the settings file at
start-up needs only ``HistorySettings``."""


def __getattr__(name: str) -> Any:
    if name in _FROM_STORE:
        from workbench.history import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
