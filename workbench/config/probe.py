"""Test a connection before trusting it: list the projects, then check ``query:read``.

Each failure becomes a ``ConnectionCheckFailed`` whose message says what the key lacks
(401: the key itself; 403: a scope or project access) and whose ``exit_code`` follows
docs/ARCHITECTURE.md. The client is imported inside the functions: loading this module
costs nothing until a check runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.config.errors import ConfigError

if TYPE_CHECKING:
    import httpx

    from workbench.client import PostHogError, Project
    from workbench.connection import ConnectionSettings

SCOPE_CHECK_SQL = "SELECT 1"
"""The cheapest query there is: proves the key may run HogQL in the project."""

EXIT_USAGE, EXIT_AUTH, EXIT_NETWORK = 2, 3, 5
"""Exit codes from docs/ARCHITECTURE.md a failed check maps to."""

KEYS_PAGE_HINT = "PostHog → Settings → Personal API keys"
"""Where keys and their scopes are managed."""


class ConnectionCheckFailed(ConfigError):
    """The connection test failed; ``str()`` says why, ``exit_code`` is the CLI's code."""

    def __init__(self, message: str, *, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def explain(
    error: PostHogError, settings: ConnectionSettings, *, step: str
) -> ConnectionCheckFailed:
    """A check failure for ``error`` raised while ``step`` (``projects`` or ``query``)."""
    from workbench.client import NetworkError, NotAuthenticated, NotFound, PermissionDenied

    host, project = settings.host, settings.project_id
    if isinstance(error, NotAuthenticated):
        return ConnectionCheckFailed(
            f"{host} did not accept the API key ({settings.redacted_key}): it is mistyped, "
            "revoked, or from another PostHog (US and EU Cloud keys differ; a self-hosted "
            f"instance has its own). Create a personal API key under {KEYS_PAGE_HINT}.",
            exit_code=EXIT_AUTH,
        )
    if isinstance(error, PermissionDenied) and step == "projects":
        return ConnectionCheckFailed(
            "The key may not list projects: it lacks the project:read scope "
            f"({error}). Add that scope under {KEYS_PAGE_HINT}, or give the project id.",
            exit_code=EXIT_AUTH,
        )
    if isinstance(error, PermissionDenied):
        return ConnectionCheckFailed(
            f"The key cannot run queries in project {project}: it lacks the query:read scope, "
            f"or it is limited to other projects or organisations ({error}). Edit the key "
            f"under {KEYS_PAGE_HINT}.",
            exit_code=EXIT_AUTH,
        )
    if isinstance(error, NotFound):
        return ConnectionCheckFailed(
            f"Project {project} was not found on {host}. Check the project id and that the host "
            "is the one the key belongs to.",
            exit_code=EXIT_USAGE,
        )
    if isinstance(error, NetworkError):
        return ConnectionCheckFailed(f"Cannot reach {host}: {error}", exit_code=EXIT_NETWORK)
    return ConnectionCheckFailed(f"The connection test failed: {error}", exit_code=EXIT_NETWORK)


async def fetch_projects(
    settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> list[Project]:
    """Every project the key can see; ``ConnectionCheckFailed`` explains a refusal."""
    from workbench.client import PostHogClient, PostHogError

    async with PostHogClient(settings, transport=transport) as client:
        try:
            return await client.list_projects()
        except PostHogError as exc:
            raise explain(exc, settings, step="projects") from None


async def check_query_access(
    settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> Project | None:
    """Prove the key may query ``settings.project_id``; the project, when PostHog names it.

    Runs ``SCOPE_CHECK_SQL`` (one request against the query rate limit). For ``@current`` the
    project is looked up first, so the caller can show which one ``@current`` means.
    """
    from workbench.client import PermissionDenied, PostHogClient, PostHogError

    async with PostHogClient(settings, transport=transport) as client:
        project: Project | None = None
        try:
            project = await client.current_project()
        except PermissionDenied:
            project = None  # no project:read; the query below is the test that matters
        except PostHogError as exc:
            raise explain(exc, settings, step="query") from None
        try:
            await client.run_query(SCOPE_CHECK_SQL, mode="blocking", row_limit=1)
        except PostHogError as exc:
            raise explain(exc, settings, step="query") from None
        return project
