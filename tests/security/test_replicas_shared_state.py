"""Two replica processes sharing a real redis-server (POLYTOMIC_STATE_URL) agree on what must happen once.

The measured failures before shared state: an approval decided on one replica was unknown to the other, two
same-name creates on two replicas made 2 connections, and a create_model retried on another replica while the
first job ran made 2 models. Here: the yes given through A is used by B once, five concurrent same-name creates
over both make one, a create_model on B while A's job runs is refused, and with Redis stopped writes that need
it fail closed with a clear error (reads keep working) until Redis is back.
"""

from __future__ import annotations

import re
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from redis_server import RedisServer
from replica_support import replicas_behind_proxy
from server_support import call_error, call_ok, consent_token
from workflow import MONGO

from polytomic_mcp.sandbox import EMPTY_API_KEY

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
TOOL_TIMEOUT = "8"
"""The replicas' POLYTOMIC_TOOL_TIMEOUT: also how long a create waits for another's lock of the same name."""


@asynccontextmanager
async def connected(url: str) -> AsyncIterator[Client]:
    """An MCP client (2026-07-28, no elicitation) of ``url`` with the sandbox's key as its bearer."""
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {EMPTY_API_KEY}"}, timeout=60) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="auto") as client:
            yield client


async def answer(client: Client, name: str, arguments: dict[str, Any]) -> tuple[bool, str]:
    """(succeeded, the text) of one tool call."""
    result = await client.call_tool(name, arguments)
    return not result.is_error, result.content[0].text if result.content else ""


async def sandbox_names(base_url: str, kind: str) -> list[str]:
    """The names of the sandbox's connections or models, read from the API itself."""
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {EMPTY_API_KEY}"}) as api:
        return [item["name"] for item in (await api.get(f"{base_url}/api/{kind}")).json()["data"]]


def shared(redis_url: str) -> dict[str, str]:
    return {"POLYTOMIC_STATE_URL": redis_url, "POLYTOMIC_TOOL_TIMEOUT": TOOL_TIMEOUT}


async def test_an_approval_given_through_one_replica_is_honoured_by_the_other_once(redis_url: str) -> None:
    with replicas_behind_proxy(2, env=shared(redis_url)) as (_, servers, _proxy, _url):
        a, b = servers
        async with connected(f"{a.url}/mcp") as on_a, connected(f"{b.url}/mcp") as on_b:
            created = await call_ok(on_a, "create_connection", {**MONGO, "name": "Mongo shared yes"})
            delete = {"kind": "connection", "id": created["id"]}
            text = await call_error(on_a, "delete", delete)
            path, token = urlsplit(text.split("approval_url: ")[1].split(" ")[0]).path, consent_token(text)
            early = await call_error(on_b, "delete", {**delete, "consent_token": token})
            async with httpx2.AsyncClient() as browser:  # the person opens the link on A; the form posts to B
                shown = await browser.get(a.url + path)
                csrf = re.search(r"name=csrf value='([^']+)'", shown.text)
                assert shown.status_code == 200 and csrf is not None and "Mongo shared yes" in shown.text
                posted = await browser.post(b.url + path, data={"csrf": csrf.group(1), "decision": "approve"})
            assert posted.status_code == 200 and "Approved" in posted.text, posted.text
            outcomes: list[tuple[bool, str]] = []

            async def use(client: Client) -> None:
                outcomes.append(await answer(client, "delete", {**delete, "consent_token": token}))

            async with anyio.create_task_group() as group:
                group.start_soon(use, on_b)
                group.start_soon(use, on_a)
            again = await call_error(on_b, "delete", {**delete, "consent_token": token})
            listed = await call_ok(on_a, "list_connections", {"search": "Mongo shared yes"})
    assert "not approved it" in early
    assert [ok for ok, _ in outcomes].count(True) == 1, outcomes
    assert all("Nothing was sent" in said or "not found" in said.lower() for ok, said in outcomes if not ok), outcomes
    assert "Nothing was sent" in again or "not found" in again.lower()
    assert listed["total"] == 0


async def test_five_concurrent_same_name_creates_over_two_replicas_make_one(redis_url: str) -> None:
    with replicas_behind_proxy(2, env=shared(redis_url)) as (sandbox, servers, proxy, url):
        outcomes: list[tuple[bool, str]] = []

        async def create() -> None:
            async with connected(url) as client:
                outcomes.append(await answer(client, "create_connection", {**MONGO, "name": "Mongo once"}))

        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(create)
        names = await sandbox_names(sandbox.base_url, "connections")
        served = {s.replica for s in proxy.served if s.method == "POST"}
        logs = [server.log() for server in servers]
    assert names.count("Mongo once") == 1, (names, outcomes)
    assert [ok for ok, _ in outcomes].count(True) == 1, outcomes
    assert all("A connection named 'Mongo once' already exists" in said for ok, said in outcomes if not ok), outcomes
    assert served == {0, 1} and all('"create_connection"' in log for log in logs)


def model_job_keys(redis: RedisServer) -> int:
    """How many model-job records Redis holds (a record's key names its kind, never the model's name)."""
    return int(redis.command("KEYS", "*model-job*").lstrip("*"))


async def test_a_create_model_retried_on_b_while_as_job_runs_is_refused_until_it_ends(
    redis_url: str, redis_server: RedisServer,
) -> None:
    with replicas_behind_proxy(2, env=shared(redis_url)) as (sandbox, servers, _proxy, _url):
        a, b = servers
        async with connected(f"{a.url}/mcp") as on_a, connected(f"{b.url}/mcp") as on_b:
            mongo = await call_ok(on_a, "create_connection", {**MONGO, "name": "Mongo for models"})
            model = {"name": "users", "connection_id": mongo["id"],
                     "configuration": {"database": "example", "collection": "users"}}
            first: list[tuple[bool, str]] = []

            async def create_on_a() -> None:
                first.append(await answer(on_a, "create_model", model))

            async with anyio.create_task_group() as group:
                group.start_soon(create_on_a)
                with anyio.fail_after(10):
                    while model_job_keys(redis_server) == 0:
                        await anyio.sleep(0.002)
                a.process.send_signal(signal.SIGSTOP)  # A hangs mid-job (as a replica being restarted would)
                try:
                    retried = await answer(on_b, "create_model", model)
                    during = await sandbox_names(sandbox.base_url, "models")
                finally:
                    a.process.send_signal(signal.SIGCONT)
            after = await answer(on_b, "create_model", model)
        models = await sandbox_names(sandbox.base_url, "models")
    assert not retried[0] and "'users'" in retried[1], retried
    assert ("is still being created by an earlier call" in retried[1]  # B read the job: it runs
            or "another request is still changing the model" in retried[1]), retried  # A polled first: its lock holds
    assert during.count("users") <= 1
    assert first[0][0], first
    assert not after[0] and "A model named 'users' already exists" in after[1], after
    assert models.count("users") == 1


async def test_with_redis_stopped_writes_fail_closed_reads_work_and_service_resumes(
    redis_url: str, redis_server: RedisServer,
) -> None:
    with replicas_behind_proxy(2, env=shared(redis_url)) as (sandbox, _servers, _proxy, url):
        async with connected(url) as client:
            await call_ok(client, "create_connection", {**MONGO, "name": "Mongo before"})
            redis_server.stop()
            try:
                refused = [await answer(client, "create_connection", {**MONGO, "name": "Mongo during"}) for _ in range(2)]
                reads = [await call_ok(client, "list_connections", {}) for _ in range(2)]
            finally:
                redis_server.start()
            resumed = await call_ok(client, "create_connection", {**MONGO, "name": "Mongo after"})
        names = await sandbox_names(sandbox.base_url, "connections")
    for ok, said in refused:
        assert not ok and "Connection 'Mongo during' was not created: could not reach the shared state" in said, said
        assert "nothing was done" in said
    assert all(read["total"] == 1 for read in reads)
    assert resumed["name"] == "Mongo after"
    assert sorted(names) == ["Mongo after", "Mongo before"]
