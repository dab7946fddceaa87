"""Network faults over real loopback sockets: the misbehaving server and a closed port."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from tests.client.fake_posthog import API_KEY
from tests.client.misbehaving_server import closed_port, misbehaving_server
from workbench.client import NetworkError, PostHogClient, ProtocolError
from workbench.commands.query import exit_code_for
from workbench.connection import ConnectionSettings

MakeClient = Callable[..., PostHogClient]


def at(url: str) -> ConnectionSettings:
    return ConnectionSettings(host=url, project_id="1", api_key=API_KEY)


async def test_refused_connection(make_client: MakeClient) -> None:
    client = make_client(settings=at(f"http://127.0.0.1:{closed_port()}"), transport=None)
    with pytest.raises(NetworkError) as info:
        await client.run_query("SELECT 1", mode="blocking")
    assert info.value.kind == "refused" and info.value.sent is False
    assert str(info.value) == "Connection refused by 127.0.0.1."
    assert exit_code_for(info.value) == 5


@pytest.mark.parametrize("behaviour", ["reset", "close"])
async def test_connection_dropped_before_an_answer(make_client: MakeClient, behaviour: str) -> None:
    async with misbehaving_server(behaviour) as server:
        client = make_client(settings=at(server.url), transport=None)
        with pytest.raises(NetworkError) as info:
            await client.run_query("SELECT 1", mode="blocking")
        assert info.value.kind == "reset"
        posts = [head for head in server.requests if head.startswith(b"POST")]
        assert len(posts) == 1  # a sent POST is never repeated
        assert server.requests[-1].startswith(b"DELETE")  # it may run: cancel it
        assert exit_code_for(info.value) == 5


async def test_body_cut_short(make_client: MakeClient) -> None:
    async with misbehaving_server("truncate") as server:
        client = make_client(settings=at(server.url), transport=None)
        with pytest.raises(ProtocolError, match="cut short"):
            await client.run_query("SELECT 1", mode="blocking")


@pytest.mark.parametrize(("behaviour", "message"), [("html", "web page"), ("junk", "malformed")])
async def test_not_json(make_client: MakeClient, behaviour: str, message: str) -> None:
    async with misbehaving_server(behaviour) as server:
        client = make_client(settings=at(server.url), transport=None)
        with pytest.raises(ProtocolError, match=message):
            await client.run_query("SELECT 1", mode="blocking")


async def test_slow_answer_times_out(make_client: MakeClient) -> None:
    async with misbehaving_server("slow") as server:
        server.delay = 5.0
        client = make_client(settings=at(server.url), transport=None, timeout=httpx.Timeout(0.1))
        with pytest.raises(NetworkError) as info:
            await client.run_query("SELECT 1", mode="blocking")
        assert info.value.kind == "timeout"


async def test_slow_get_is_retried_then_reported(make_client: MakeClient) -> None:
    async with misbehaving_server("slow") as server:
        server.delay = 5.0
        client = make_client(settings=at(server.url), transport=None, timeout=httpx.Timeout(0.05))
        with pytest.raises(NetworkError):
            await client.current_project()
        assert len(server.requests) == 3


async def test_retry_after_is_honoured_over_the_wire(make_client: MakeClient) -> None:
    async with misbehaving_server("retry_after") as server:
        server.retry_after = "0.05"
        server.body = b'{"id": 1, "name": "Demo", "timezone": "UTC"}'
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)
            await asyncio.sleep(seconds)

        client = make_client(settings=at(server.url), transport=None, sleep=sleep)
        project = await client.current_project()
        assert project.name == "Demo"
        assert len(server.requests) == 2
        assert 0.05 <= slept[0] <= 0.2


async def test_tls_to_a_plain_http_server_is_a_tls_error(make_client: MakeClient) -> None:
    async with misbehaving_server("plain_at_once") as server:
        client = make_client(settings=at(f"https://127.0.0.1:{server.port}"), transport=None)
        with pytest.raises(NetworkError) as info:
            await client.run_query("SELECT 1", mode="blocking")
        assert info.value.kind == "tls"
