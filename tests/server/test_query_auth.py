"""Conformance: personal API keys, scopes and PostHog's 401/403 bodies."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import INSIGHT_ONLY_KEY, OTHER_PROJECT_KEY
from tests.server.conftest import client_for, query_path
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

PAYLOAD = {"query": {"kind": "HogQLQuery", "query": "select 1"}}


def test_missing_credentials_is_401_not_authenticated(local_server: LocalServer) -> None:
    response = httpx.post(local_server.base_url + query_path(local_server), json=PAYLOAD)
    assert response.status_code == 401
    assert response.json() == {
        "type": "authentication_error",
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "attr": None,
    }


def test_unknown_key_is_401_and_not_echoed(local_server: LocalServer) -> None:
    secret = "phx_this_key_does_not_exist_0123456789abcd"
    with client_for(local_server, secret) as client:
        response = client.post(query_path(local_server), json=PAYLOAD)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["detail"] == (
        "Personal API key found in request Authorization header is invalid."
    )
    assert secret not in response.text


def test_key_without_query_scope_is_403(local_server: LocalServer) -> None:
    with client_for(local_server, INSIGHT_ONLY_KEY) as client:
        response = client.post(query_path(local_server), json=PAYLOAD)
        status = client.get(query_path(local_server, "whatever/"))
    for r in (response, status):
        assert r.status_code == 403
        assert r.json() == {
            "type": "authentication_error",
            "code": "permission_denied",
            "detail": "API key missing required scope 'query:read'",
            "attr": None,
        }


def test_key_scoped_to_another_project_is_403(local_server: LocalServer) -> None:
    with client_for(local_server, OTHER_PROJECT_KEY) as client:
        response = client.post(query_path(local_server), json=PAYLOAD)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        f"API key does not have access to the requested project: ID {local_server.project_id}."
    )


def test_project_the_key_cannot_see_is_403(api: httpx.Client) -> None:
    response = api.post("/api/projects/424242/query/", json=PAYLOAD)
    assert response.status_code == 403
    assert response.json()["detail"] == "You don't have access to the project."
