"""HogQLMetadata over HTTP: notices, debug remarks and character offsets."""

from __future__ import annotations

import httpx

from tests.server_editor_kinds.conftest import post_kind


def metadata(api: httpx.Client, query: str, **extra: object) -> dict[str, object]:
    node = {"kind": "HogQLMetadata", "language": "hogQL", "query": query, **extra}
    response = post_kind(api, node)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_property_notices_with_offsets_after_non_ascii_text(api: httpx.Client) -> None:
    query = "select 'Grüße 👋',\n  properties.$browser\nfrom events"
    body = metadata(api, query)
    assert body["isValid"] is True and body["warnings"] == []
    [notice] = body["notices"]  # type: ignore[misc]
    assert notice["message"] == "Event property '$browser' is of type 'String'."
    assert query[notice["start"] : notice["end"]] == "$browser"


def test_debug_adds_posthogs_materialisation_remark(api: httpx.Client) -> None:
    body = metadata(api, "select properties.revenue from events", debug=True)
    [notice] = body["notices"]  # type: ignore[misc]
    assert notice["message"] == (
        "Event property 'revenue' is of type 'Float'. This property is not materialized 🐢."
    )


def test_a_syntax_error_after_non_ascii_text_is_placed_on_characters(api: httpx.Client) -> None:
    query = "select '日本語',\n  (1 from events"
    body = metadata(api, query)
    [error] = body["errors"]  # type: ignore[misc]
    assert query[error["start"] : error["end"]] == "from events"
