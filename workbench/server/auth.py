"""Personal API key authentication and scope checks, with PostHog's 401/403 bodies."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from workbench.server.config import ApiKey
from workbench.server.errors import authentication_failed, not_authenticated, permission_denied

QUERY_READ = "query:read"
"""Scope every Query API action needs (create, retrieve and destroy are all reads)."""
PROJECT_READ = "project:read"
"""Scope for the projects endpoints."""


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None when there is none."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class Authenticator:
    """Resolves a request's key; compares in constant time and never echoes the key."""

    def __init__(self, keys: tuple[ApiKey, ...]) -> None:
        self._keys = keys

    def authenticate(self, token: str | None) -> ApiKey:
        """The key for ``token``; 401 when missing or unknown."""
        if token is None:
            raise not_authenticated()
        for candidate in self._keys:
            if hmac.compare_digest(candidate.key.encode(), token.encode()):
                return candidate
        raise authentication_failed()


def require_scope(key: ApiKey, scope: str) -> None:
    """403 unless ``key`` grants ``scope`` (``x:write`` implies ``x:read``; ``*`` is all)."""
    if "*" in key.scopes or scope in key.scopes:
        return
    resource, _, action = scope.partition(":")
    if action == "read" and f"{resource}:write" in key.scopes:
        return
    raise permission_denied(f"API key missing required scope '{scope}'")


def require_project(key: ApiKey, project_id: int, own_project_id: int) -> None:
    """403 unless ``key`` may use ``project_id`` and it is the server's project."""
    if key.project_ids is not None and project_id not in key.project_ids:
        raise permission_denied(
            f"API key does not have access to the requested project: ID {project_id}."
        )
    if project_id != own_project_id:
        raise permission_denied("You don't have access to the project.")
