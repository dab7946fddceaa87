"""A loopback HTTP/1.1 server that misbehaves on purpose, over real sockets.

Each connection reads one request head (and its body) and then does what ``behaviour`` says:
answer normally, reset the connection, cut the body short, answer slowly, send an HTML
page or junk. Runs in the test's event loop (``asyncio.start_server`` on 127.0.0.1:0).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

Behaviour = str
"""One of: ok, reset, close, truncate, slow, html, junk, retry_after, plain_at_once."""


@dataclass
class MisbehavingServer:
    behaviour: Behaviour = "ok"
    body: bytes = b'{"results": [[1]], "columns": ["x"], "types": [["x", "UInt8"]]}'
    delay: float = 0.0
    """Seconds before answering (``slow``)."""
    retry_after: str = "1"
    requests: list[bytes] = field(default_factory=list)
    """Request heads received, in order."""
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _read_request(self, reader: asyncio.StreamReader) -> bytes:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await reader.readexactly(length)
        return head

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.behaviour == "plain_at_once":  # answer before reading: a TLS client chokes
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            writer.close()
            return
        try:
            head = await self._read_request(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        self.requests.append(head)
        behaviour = self.behaviour
        if behaviour == "reset":
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        if behaviour == "close":
            writer.close()
            return
        if behaviour == "slow":
            await asyncio.sleep(self.delay)
        status, headers, body = "200 OK", "Content-Type: application/json\r\n", self.body
        if behaviour == "html":
            headers = "Content-Type: text/html\r\n"
            body = b"<html><head><title>Sign in</title></head><body>Log in</body></html>"
        elif behaviour == "junk":
            body = b"\x00\xff not json at all \xfe"
        elif behaviour == "retry_after":
            self.behaviour = "ok"  # answer the retry normally
            status = "429 Too Many Requests"
            headers += f"Retry-After: {self.retry_after}\r\n"
            body = (
                b'{"type":"throttled_error","code":"throttled","detail":"Slow down.","attr":null}'
            )
        length = len(body) + (1000 if behaviour == "truncate" else 0)
        writer.write(
            f"HTTP/1.1 {status}\r\n{headers}Connection: close\r\nContent-Length: {length}\r\n\r\n".encode()
            + body
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        if behaviour == "truncate":
            writer.transport.abort()
            return
        writer.close()


@contextlib.asynccontextmanager
async def misbehaving_server(behaviour: Behaviour = "ok") -> AsyncIterator[MisbehavingServer]:
    """Run a ``MisbehavingServer`` on a free loopback port for the duration of the block."""
    state = MisbehavingServer(behaviour=behaviour)
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1)


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
