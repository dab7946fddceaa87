"""The connect step: which project-lookup failures mean "not connected"."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.app import workers
from workbench.app.messages import ClientConnected, ClientFailed
from workbench.client.errors import NotAuthenticated, PermissionDenied


class ProjectLookupFails:
    """A client whose ``current_project`` raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def current_project(self) -> Any:
        raise self.error


async def connect_with(error: Exception) -> list[object]:
    posted: list[object] = []
    session = workers.ClientSession(lambda: ProjectLookupFails(error))  # type: ignore[arg-type, return-value]
    await workers.connect(session, posted.append)
    return posted


async def test_a_key_without_project_read_is_still_connected() -> None:
    (message,) = await connect_with(PermissionDenied("API key missing required scope", status=403))
    assert isinstance(message, ClientConnected)
    assert message.project_name is None


@pytest.mark.parametrize("error", [NotAuthenticated("Personal API key is invalid.", status=401)])
async def test_other_failures_are_not_connected(error: Exception) -> None:
    (message,) = await connect_with(error)
    assert isinstance(message, ClientFailed)
    assert message.error is error
