"""HTTP helpers for the editor kinds on the session's ``local_server`` (about 50,000 events)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server


@pytest.fixture
def api(local_server: LocalServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {local_server.api_key}"}
    # Rooted at the project, so helpers post to "query/" without knowing its id.
    base_url = f"{local_server.base_url}/api/projects/{local_server.project_id}/"
    with httpx.Client(base_url=base_url, headers=headers, timeout=60.0) as client:
        yield client


def post_kind(api: httpx.Client, node: dict[str, Any]) -> httpx.Response:
    """POST one query node to the session server's project."""
    return api.post("query/", json={"query": node})


def complete(api: httpx.Client, marked: str, word: str = "") -> dict[str, Any]:
    """Autocomplete ``word`` typed where ``|`` is in ``marked``; asserts the 200."""
    start = marked.index("|")
    text = marked.replace("|", word, 1)
    node = {
        "kind": "HogQLAutocomplete",
        "language": "hogQL",
        "query": text,
        "startPosition": start,
        "endPosition": start + len(word),
    }
    response = post_kind(api, node)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def labels(body: dict[str, Any], kind: str | None = None) -> list[str]:
    """Suggestion labels in order, optionally of one ``kind``."""
    return [s["label"] for s in body["suggestions"] if kind is None or s["kind"] == kind]


def hogql_rows(api: httpx.Client, sql: str) -> list[list[Any]]:
    """Rows of a blocking HogQLQuery."""
    response = post_kind(api, {"kind": "HogQLQuery", "query": sql})
    assert response.status_code == 200, response.text
    rows: list[list[Any]] = response.json()["results"]
    return rows
