"""Keys never reach the history file: no key parameter, key-shaped text masked, hosts cleaned."""

from __future__ import annotations

import inspect
from pathlib import Path

from tests.history.conftest import HOST
from workbench.history import HistoryStore

KEY = "phx_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
"""A personal-API-key-shaped secret."""


def test_recording_methods_take_no_key() -> None:
    for method in (HistoryStore.record_submitted, HistoryStore.record_finished):
        params = inspect.signature(method).parameters
        assert not [name for name in params if "key" in name.lower()]


def test_key_shaped_text_is_masked_everywhere(store: HistoryStore, history_path: Path) -> None:
    entry_id = store.record_submitted(
        f"SELECT '{KEY}'", host=f"https://user:{KEY}@us.posthog.com/?token={KEY}", project_id=1
    )
    store.record_finished(
        entry_id, state="failed", error_message=f"bad key {KEY}", rows=[[KEY]], columns=[KEY]
    )
    store.set_name(entry_id, f"with {KEY}")
    entry = store.get(entry_id)
    assert entry is not None
    assert entry.sql == "SELECT 'phx_…'"
    assert entry.host == HOST
    assert entry.error_message == "bad key phx_…" and entry.name == "with phx_…"
    assert entry.sample is not None and entry.sample.rows == (("phx_…",),)
    store.close()
    raw = b"".join(p.read_bytes() for p in history_path.parent.iterdir())
    assert KEY.encode() not in raw
    assert KEY[4:20].encode() not in raw


def test_public_project_tokens_are_kept(store: HistoryStore) -> None:
    sql = "SELECT * FROM events WHERE properties.token = 'phc_publicProjectToken123'"
    entry_id = store.record_submitted(sql, host=HOST, project_id=1)
    entry = store.get(entry_id)
    assert entry is not None and entry.sql == sql
