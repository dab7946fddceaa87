"""Minimal ASGI plumbing: read a request, send a JSON response, answer lifespan events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson

from workbench.server.errors import ApiError, server_error

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
"""The ASGI connection scope."""
Message = MutableMapping[str, Any]
"""An ASGI event."""
Receive = Callable[[], Awaitable[Message]]
"""ASGI ``receive`` callable."""
Send = Callable[[Message], Awaitable[None]]
"""ASGI ``send`` callable."""

MAX_BODY_BYTES = 10 * 1024 * 1024
"""Largest request body accepted (a HogQL query is a few kB)."""


@dataclass(frozen=True)
class Request:
    """An HTTP request: lower-case header names, first value of each query parameter."""

    method: str
    path: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Response:
    """A JSON response; ``body`` is serialised with orjson."""

    status: int
    body: Any
    headers: Mapping[str, str] | None = None


Handler = Callable[[Request], Awaitable[Response]]
"""Turns a request into a response; raises ``ApiError`` for failures."""


def error_response(error: ApiError) -> Response:
    """The JSON envelope of an :class:`ApiError`."""
    return Response(error.status, error.body(), dict(error.headers))


async def read_request(scope: Scope, receive: Receive) -> Request:
    """Collect the body; 413-style oversize bodies become a 400 parse error."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, "invalid_request", "parse_error", "Request body too large.")
        chunks.append(chunk)
        more = bool(message.get("more_body"))
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    raw_query = scope.get("query_string", b"").decode("latin-1")
    query = {k: v[0] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
    return Request(scope["method"].upper(), scope["path"], headers, query, b"".join(chunks))


async def send_response(send: Send, response: Response) -> None:
    """Serialise and send; a body orjson cannot encode becomes a 500 envelope."""
    try:
        payload = orjson.dumps(response.body)
        status = response.status
        extra = dict(response.headers or {})
    except TypeError:
        logger.exception("response not serialisable")
        fallback = server_error()
        payload, status, extra = orjson.dumps(fallback.body()), fallback.status, {}
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _wait_for_disconnect(receive: Receive) -> None:
    # After the body, the server's next message is the disconnect (when the client leaves).
    while (await receive())["type"] != "http.disconnect":
        pass


class JsonApp:
    """ASGI application around one ``handler``; nothing escapes as HTML or a traceback."""

    def __init__(
        self, handler: Handler, *, on_shutdown: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self._handler = handler
        self._on_shutdown = on_shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            request = await read_request(scope, receive)
            response = await self._handle_unless_disconnected(request, receive)
        except ApiError as exc:
            response = error_response(exc)
        except Exception:
            logger.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            response = error_response(server_error())
        if response is not None:
            await send_response(send, response)

    async def _handle_unless_disconnected(
        self, request: Request, receive: Receive
    ) -> Response | None:
        """The handler's response, or None when the client hung up first.

        A hang-up cancels the handler, so a blocking query nobody waits for is killed.
        """
        handler = asyncio.ensure_future(self._handler(request))
        disconnect = asyncio.ensure_future(_wait_for_disconnect(receive))
        await asyncio.wait({handler, disconnect}, return_when=asyncio.FIRST_COMPLETED)
        if handler.done():
            disconnect.cancel()
            return handler.result()
        handler.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await handler
        return None

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._on_shutdown is not None:
                    await self._on_shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return
