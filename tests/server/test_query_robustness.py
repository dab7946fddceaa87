"""Whatever the body, the server answers PostHog's JSON: never HTML, never a traceback."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.conftest import query_path
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=64),
    st.fixed_dictionaries({"query": json_values}).map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {
            "query": st.fixed_dictionaries(
                {"kind": st.sampled_from(["HogQLQuery", "HogQLMetadata"])}
            )
        },
        optional={"refresh": json_values, "client_query_id": json_values, "async": json_values},
    ).map(lambda v: json.dumps(v).encode()),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_any_body_gets_a_json_answer(
    api: httpx.Client, local_server: LocalServer, body: bytes
) -> None:
    response = api.post(
        query_path(local_server), content=body, headers={"Content-Type": "application/json"}
    )
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    assert "Traceback" not in response.text
    if response.status_code >= 400:
        assert {"type", "code", "detail", "attr"} <= set(payload)
    assert response.status_code in (200, 202, 400)


def test_key_in_the_json_body_is_accepted(local_server: LocalServer) -> None:
    response = httpx.post(
        local_server.base_url + query_path(local_server),
        json={
            "query": {"kind": "HogQLQuery", "query": "select 1"},
            "personal_api_key": local_server.api_key,
        },
    )
    assert response.status_code == 200 and response.json()["results"] == [[1]]
