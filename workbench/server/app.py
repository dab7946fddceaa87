"""Routes of the Query API stand-in and the checks every request passes, in DRF's order:
authenticate (401), project and scope (404/403), body (400), throttle (429), handle."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import orjson

from workbench.server.asgi import JsonApp, Request, Response
from workbench.server.auth import (
    PROJECT_READ,
    QUERY_READ,
    Authenticator,
    bearer_token,
    require_project,
    require_scope,
)
from workbench.server.config import ApiKey, ServerConfig
from workbench.server.editor_kinds import editor_kind_handlers
from workbench.server.errors import (
    ApiError,
    method_not_allowed,
    not_found,
    parse_error,
    validation_error,
)
from workbench.server.projects import project_detail, project_list
from workbench.server.query_service import QueryService
from workbench.server.ratelimit import Throttles
from workbench.server.request_model import parse_query_request
from workbench.server.translator import Translator

_PROJECTS = re.compile(r"^/api/(?:projects|environments)/?$")
"""``/api/projects/`` (and the ``environments`` alias): the project list."""
_PROJECT = re.compile(r"^/api/(?:projects|environments)/(?P<project>[^/]+)/?$")
"""``/api/projects/:id/``: one project (``@current`` allowed)."""
_QUERY = re.compile(
    r"^/api/(?:projects|environments)/(?P<project>[^/]+)/query(?:/(?P<item>[^/]+))?/?$"
)
"""``/api/projects/:id/query/[item/]``: create, create-with-kind, status, cancel."""
PROCESSES_PATH = "/_workbench/processes/"
"""Not PostHog's: lists our running ClickHouse queries, so tests can see a KILL take effect."""

_RESERVED_ITEMS = frozenset({"check_auth_for_async", "upgrade", "draft_sql"})
"""Action names under ``/query/`` that are neither kinds nor query ids."""


class QueryApi:
    """Request handler for every route; wrap with :func:`create_app`."""

    def __init__(self, config: ServerConfig, service: QueryService, translator: Translator):
        self._config = config
        self._service = service
        self._editor_kinds = editor_kind_handlers(translator, config, service.engine)
        self._auth = Authenticator(config.api_keys)
        self._throttles = Throttles(config.rate_limits)

    async def handle(self, request: Request) -> Response:
        """Dispatch one request; raise :class:`ApiError` for failures."""
        path = request.path if request.path.endswith("/") else request.path + "/"
        if _PROJECTS.match(path):
            key = self._authenticate(request)
            self._only(request, "GET")
            require_scope(key, PROJECT_READ)
            return Response(200, project_list(self._config))
        if path == PROCESSES_PATH:
            self._authenticate(request)
            return Response(200, {"processes": await self._service.processes()})
        if match := _QUERY.match(path):
            return await self._query_route(request, match.group("project"), match.group("item"))
        if match := _PROJECT.match(path):
            key = self._authenticate(request)
            self._only(request, "GET")
            project_id = self._project_id(match.group("project"))
            require_scope(key, PROJECT_READ)
            require_project(key, project_id, self._config.project_id)
            return Response(200, project_detail(self._config))
        raise not_found()

    def _authenticate(self, request: Request) -> ApiKey:
        # PostHog also accepts the key in the query string or the JSON body (discouraged).
        token = bearer_token(request.headers) or request.query.get("personal_api_key") or None
        if token is None and request.method == "POST" and b"personal_api_key" in request.body:
            try:
                body = orjson.loads(request.body)
            except orjson.JSONDecodeError:
                body = None
            if isinstance(body, dict) and isinstance(body.get("personal_api_key"), str):
                token = body["personal_api_key"]
        return self._auth.authenticate(token)

    @staticmethod
    def _only(request: Request, method: str) -> None:
        if request.method != method:
            raise method_not_allowed(request.method)

    def _project_id(self, raw: str) -> int:
        if raw == "@current":
            return self._config.project_id
        if not raw.isdigit():
            raise not_found("Project not found.")
        return int(raw)

    async def _query_route(self, request: Request, project: str, item: str | None) -> Response:
        key = self._authenticate(request)
        project_id = self._project_id(project)
        require_scope(key, QUERY_READ)
        require_project(key, project_id, self._config.project_id)
        team_id = self._config.project_id
        if request.method == "POST":
            body = _json_body(request)
            if item == "check_auth_for_async":
                return Response(200, {"user": "ok"})
            if item == "upgrade":
                return Response(
                    200, {"query": body.get("query") if isinstance(body, dict) else None}
                )
            path_kind = item if item is not None and item not in _RESERVED_ITEMS else None
            return await self._create(key, body, team_id, path_kind)
        if item is None or item in _RESERVED_ITEMS:
            raise method_not_allowed(request.method)
        if request.method == "GET":
            self._throttles.check_clickhouse(key.key)
            show = "true" in (request.query.get("show_progress"), request.query.get("showProgress"))
            status, payload = await self._service.retrieve(team_id, item, show_progress=show)
            return Response(status, payload)
        if request.method == "DELETE":
            self._throttles.check_clickhouse(key.key)
            dequeue_only = request.query.get("dequeue_only") == "true"
            message = await self._service.cancel(team_id, item, dequeue_only=dequeue_only)
            return Response(200, message)
        raise method_not_allowed(request.method)

    async def _create(
        self, key: ApiKey, body: Any, team_id: int, path_kind: str | None
    ) -> Response:
        node = body.get("query") if isinstance(body, dict) else None
        if isinstance(node, dict) and node.get("kind") == "HogQLQuery":
            self._throttles.check_hogql(key.key)
        else:
            self._throttles.check_clickhouse(key.key)
        query_request = parse_query_request(body, path_kind=path_kind)
        if query_request.kind == "HogQLQuery":
            status, payload = await self._service.create(query_request, team_id)
            return Response(status, payload)
        handler = self._editor_kinds.get(query_request.kind)
        if handler is None:
            raise validation_error(f"Unsupported query kind: {query_request.kind}")
        return Response(200, await asyncio.to_thread(handler, query_request.query, team_id))


def _json_body(request: Request) -> Any:
    if not request.body.strip():
        raise parse_error("Expecting value: line 1 column 1 (char 0)")
    try:
        return orjson.loads(request.body)
    except orjson.JSONDecodeError as exc:
        raise parse_error(str(exc)) from exc


def create_app(config: ServerConfig, service: QueryService, translator: Translator) -> JsonApp:
    """The ASGI app; its shutdown kills running ClickHouse queries."""
    api = QueryApi(config, service, translator)
    return JsonApp(api.handle, on_shutdown=service.shutdown)


__all__ = ["ApiError", "QueryApi", "create_app"]
