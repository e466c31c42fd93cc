"""Sessions cannot be used up: idle ones expire, and at the limit the oldest idle one makes room for a new client."""

from __future__ import annotations

import anyio
import httpx2
import pytest
from http_support import INITIALIZE, MCP_HEADERS, Running, open_session, ping

from polytomic_mcp.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_at_the_limit_a_new_session_evicts_the_oldest_idle_one() -> None:
    with Running(Settings(sandbox=True, transport="http", max_sessions=3)) as running:
        async with httpx2.AsyncClient() as http:
            sessions = [await open_session(http, running.url) for _ in range(5)]
            statuses = [await ping(http, running.url, session) for session in sessions]
    assert statuses == [404, 404, 200, 200, 200]


async def test_the_least_recently_used_idle_session_goes_first() -> None:
    with Running(Settings(sandbox=True, transport="http", max_sessions=2)) as running:
        async with httpx2.AsyncClient() as http:
            first, second = [await open_session(http, running.url) for _ in range(2)]
            assert await ping(http, running.url, first) == 200
            third = await open_session(http, running.url)
            statuses = [await ping(http, running.url, session) for session in (first, second, third)]
    assert statuses == [200, 404, 200]


async def test_503_only_while_every_session_has_a_request_in_flight() -> None:
    with Running(Settings(sandbox=True, transport="http", max_sessions=2)) as running:
        async with httpx2.AsyncClient(timeout=10) as http:
            first, second = [await open_session(http, running.url) for _ in range(2)]
            stream_headers = {"Accept": "text/event-stream", "mcp-protocol-version": "2025-11-25"}
            async with http.stream("GET", running.url, headers={**stream_headers, "mcp-session-id": second}) as busy:
                assert busy.status_code == 200
                async with http.stream("GET", running.url, headers={**stream_headers, "mcp-session-id": first}) as held:
                    assert held.status_code == 200
                    refused = await http.post(running.url, json=INITIALIZE, headers=MCP_HEADERS)
                opened = await _initialize_once_idle(http, running.url)
                statuses = [await ping(http, running.url, session) for session in (first, second, opened)]
    assert refused.status_code == 503 and "Too many open sessions" in refused.text
    assert statuses == [404, 200, 200]


async def _initialize_once_idle(http: httpx2.AsyncClient, url: str) -> str:
    """Initialize as soon as the server has noticed a closed stream (a bounded number of tries)."""
    for _ in range(100):
        response = await http.post(url, json=INITIALIZE, headers=MCP_HEADERS)
        if response.status_code == 200:
            return response.headers["mcp-session-id"]
        assert response.status_code == 503
        await anyio.sleep(0.05)
    raise AssertionError("the closed stream's session never became idle")


async def test_an_idle_session_expires() -> None:
    with Running(Settings(sandbox=True, transport="http", session_idle_timeout=0.3)) as running:
        async with httpx2.AsyncClient() as http:
            session = await open_session(http, running.url)
            fresh = await ping(http, running.url, session)
            await anyio.sleep(1.0)
            expired = await ping(http, running.url, session)
    assert (fresh, expired) == (200, 404)


async def test_an_in_use_session_does_not_expire() -> None:
    with Running(Settings(sandbox=True, transport="http", session_idle_timeout=1.0)) as running:
        async with httpx2.AsyncClient() as http:
            session = await open_session(http, running.url)
            statuses = []
            for _ in range(6):
                await anyio.sleep(0.25)
                statuses.append(await ping(http, running.url, session))
    assert statuses == [200] * 6
