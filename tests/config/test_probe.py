"""The connection test against the local server: projects, query:read, and what a key lacks."""

from __future__ import annotations

import pytest

from tests.conftest import INSIGHT_ONLY_KEY, OTHER_PROJECT_KEY
from workbench.config.probe import ConnectionCheckFailed, check_query_access, fetch_projects
from workbench.connection import ConnectionSettings
from workbench.server.launcher import LocalServer

pytestmark = pytest.mark.server


def settings_for(server: LocalServer, key: str, project: str | None = None) -> ConnectionSettings:
    return ConnectionSettings(
        host=server.base_url, project_id=project or str(server.project_id), api_key=key
    )


async def test_a_good_key_lists_projects_and_may_query(local_server: LocalServer) -> None:
    settings = settings_for(local_server, local_server.api_key)
    projects = await fetch_projects(settings)
    assert [p.id for p in projects] == [local_server.project_id]
    project = await check_query_access(settings)
    assert project is not None and project.id == local_server.project_id
    current = await check_query_access(settings_for(local_server, local_server.api_key, "@current"))
    assert current is not None and current.id == local_server.project_id


async def test_401_says_the_key_itself_is_wrong(local_server: LocalServer) -> None:
    wrong = "phx_" + "w" * 40
    with pytest.raises(ConnectionCheckFailed) as caught:
        await fetch_projects(settings_for(local_server, wrong))
    assert caught.value.exit_code == 3
    message = str(caught.value)
    assert "did not accept the API key (phx_…(44 chars))" in message
    assert "mistyped, revoked, or from another PostHog" in message
    assert wrong not in message


async def test_403_without_project_read_names_that_scope(local_server: LocalServer) -> None:
    with pytest.raises(ConnectionCheckFailed, match="lacks the project:read scope") as caught:
        await fetch_projects(settings_for(local_server, INSIGHT_ONLY_KEY))
    assert caught.value.exit_code == 3


async def test_403_without_query_read_names_that_scope(local_server: LocalServer) -> None:
    with pytest.raises(ConnectionCheckFailed) as caught:
        await check_query_access(settings_for(local_server, INSIGHT_ONLY_KEY))
    message = str(caught.value)
    assert f"cannot run queries in project {local_server.project_id}" in message
    assert "lacks the query:read scope" in message and "'query:read'" in message
    assert caught.value.exit_code == 3


async def test_403_for_a_key_of_another_project(local_server: LocalServer) -> None:
    with pytest.raises(ConnectionCheckFailed) as caught:
        await check_query_access(settings_for(local_server, OTHER_PROJECT_KEY))
    assert "limited to other projects" in str(caught.value)
    assert "does not have access to the requested project" in str(caught.value)


async def test_unreachable_host_is_a_network_failure() -> None:
    settings = ConnectionSettings(host="http://127.0.0.1:9", project_id="1", api_key="phx_x")
    with pytest.raises(
        ConnectionCheckFailed, match=r"Cannot reach http://127\.0\.0\.1:9"
    ) as caught:
        await fetch_projects(settings)
    assert caught.value.exit_code == 5
