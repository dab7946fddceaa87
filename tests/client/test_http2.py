"""HTTP/2 end to end: over TLS on loopback, the client's own transport negotiates h2 (ALPN).

A self-signed certificate (made with the ``openssl`` command) is trusted through
``SSL_CERT_FILE``; a minimal HTTP/2 server built on the ``h2`` package answers every request
with one project and records the protocol ALPN chose and the headers it received.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from tests.client.fake_posthog import API_KEY
from workbench.client import PostHogClient, RateBudget
from workbench.connection import ConnectionSettings

h2_connection = pytest.importorskip("h2.connection")
h2_config = pytest.importorskip("h2.config")
h2_events = pytest.importorskip("h2.events")

PROJECT = orjson.dumps({"id": 1, "name": "Over h2", "timezone": "UTC"})


@dataclass
class H2Server:
    port: int = 0
    protocols: list[str | None] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ssl_object = writer.get_extra_info("ssl_object")
        self.protocols.append(ssl_object.selected_alpn_protocol() if ssl_object else None)
        conn = h2_connection.H2Connection(h2_config.H2Configuration(client_side=False))
        conn.initiate_connection()
        writer.write(conn.data_to_send())
        headers: dict[int, dict[str, str]] = {}
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                for event in conn.receive_data(data):
                    if isinstance(event, h2_events.RequestReceived):
                        headers[event.stream_id] = {
                            (k.decode() if isinstance(k, bytes) else k): (
                                v.decode() if isinstance(v, bytes) else v
                            )
                            for k, v in event.headers
                        }
                    elif isinstance(event, h2_events.StreamEnded):
                        self.requests.append(headers.pop(event.stream_id, {}))
                        conn.send_headers(
                            event.stream_id,
                            [
                                (":status", "200"),
                                ("content-type", "application/json"),
                                ("content-length", str(len(PROJECT))),
                            ],
                        )
                        conn.send_data(event.stream_id, PROJECT, end_stream=True)
                writer.write(conn.data_to_send())
                await writer.drain()
        writer.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for localhost / 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
async def tls_h2_server(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[H2Server]:
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # httpx trusts it (trust_env)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["h2", "http/1.1"])
    state = H2Server()
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0, ssl=context)
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        server.close()


async def test_the_client_speaks_http2_over_tls(tls_h2_server: H2Server) -> None:
    settings = ConnectionSettings(
        host=f"https://localhost:{tls_h2_server.port}", project_id="1", api_key=API_KEY
    )
    async with PostHogClient(settings, budget=RateBudget()) as client:
        first = await client.current_project()
        second = await client.current_project()
    assert (first.name, second.name) == ("Over h2", "Over h2")
    assert tls_h2_server.protocols == ["h2"]  # one connection, reused, HTTP/2
    request = tls_h2_server.requests[0]
    assert request[":path"] == "/api/projects/1/"
    assert request["authorization"] == f"Bearer {API_KEY}"
