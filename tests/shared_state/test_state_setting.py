"""POLYTOMIC_STATE_URL: only Redis URLs, never echoed; a server that cannot reach it does not start; /readyz names it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
import processes
import pytest
import redis

from polytomic_mcp.cli import main
from polytomic_mcp.server import build_server
from polytomic_mcp.server.app import shared_state_of
from polytomic_mcp.server.http import http_app
from polytomic_mcp.settings import Settings, SettingsError, parse_state_url

PASSWORD = "s3cret-redis-password"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in [n for n in os.environ if n.startswith("POLYTOMIC_")]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize("raw", [
    f"http://:{PASSWORD}@cache:6379", f"redis://:{PASSWORD}@:6379/0", f"redis://:{PASSWORD}@cache:port/0",
    f"redis://:{PASSWORD}@cache:6379/zero", f"cache:6379?password={PASSWORD}", f"memcached://u:{PASSWORD}@cache",
])
def test_only_redis_urls_are_accepted_and_the_value_is_never_repeated(raw: str) -> None:
    with pytest.raises(SettingsError, match="POLYTOMIC_STATE_URL") as raised:
        parse_state_url("POLYTOMIC_STATE_URL", raw)
    assert PASSWORD not in str(raised.value)


@pytest.mark.parametrize("raw", ["redis://localhost", "redis://:pw@redis:6379/0", "rediss://user:pw@cache.example.com:6380/2"])
def test_redis_and_tls_redis_urls_are_accepted(raw: str) -> None:
    assert parse_state_url("POLYTOMIC_STATE_URL", raw) == raw


def test_the_url_is_not_in_the_settings_repr() -> None:
    assert PASSWORD not in repr(Settings(state_url=f"redis://:{PASSWORD}@cache:6379/0"))


def test_a_server_whose_redis_does_not_answer_refuses_to_start(env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("POLYTOMIC_STATE_URL", f"redis://:{PASSWORD}@127.0.0.1:1/0")
    assert main(["--sandbox", "--transport", "http"]) == 2
    err = capsys.readouterr().err
    assert "POLYTOMIC_STATE_URL" in err and "127.0.0.1:1" in err and "did not answer" in err
    assert PASSWORD not in err


@asynccontextmanager
async def asgi(settings: Settings) -> AsyncIterator[httpx2.AsyncClient]:
    """The full HTTP app in process; its shared state is closed after (ASGITransport runs no lifespan to do it)."""
    server = build_server(settings)
    try:
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=http_app(server, settings)), base_url="http://10.1.2.3:8000") as http:
            yield http
    finally:
        await shared_state_of(server).aclose()


@pytest.mark.anyio
async def test_readyz_fails_when_redis_cannot_be_reached_and_names_no_address() -> None:
    settings = Settings(sandbox=True, transport="http", state_url=f"redis://:{PASSWORD}@127.0.0.1:1/0")
    async with asgi(settings) as http:
        ready = await http.get("/readyz")
        health = await http.get("/healthz")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable", "reason": "shared state (redis) unreachable", "state": "redis"})
    assert health.status_code == 200, "the process is alive; only readiness depends on Redis"
    assert PASSWORD not in ready.text and "127.0.0.1" not in ready.text


@pytest.mark.anyio
@pytest.mark.slow
async def test_readyz_names_redis_when_it_answers(redis_url: str) -> None:
    settings = Settings(sandbox=True, transport="http", state_url=redis_url)
    async with asgi(settings) as http:
        ready = await http.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "state": "redis"})


@pytest.mark.slow
def test_a_served_replica_reaches_redis_and_says_so(redis_url: str) -> None:
    with processes.http_server("--sandbox", stateless=True, env={**os.environ, "POLYTOMIC_STATE_URL": redis_url}) as url:
        ready = httpx2.get(url.removesuffix("/mcp") + "/readyz")
        with redis.Redis.from_url(redis_url) as direct:
            clients = [c.get("name") for c in direct.client_list()]
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "state": "redis"})
    assert "polytomic-mcp" in clients, "the replica's probe pinged this Redis"
