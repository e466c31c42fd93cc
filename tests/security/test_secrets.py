"""Secrets never reach the model, the logs or error text; credential references stay server-side."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client, MCPError
from processes import stdio_exchange
from server_support import BASE_URL, MODES, call_error, call_relayed, consent_token
from workflow import SALESFORCE, authorize, model_args, sync_args

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio

CANARY_KEY = "pk_canary_APIKEY_7f3a9c21e4b8"
CANARY_PASSWORD = "canary-mongo-password-55aa77"
CANARY_ENV = "canary-env-secret-0xdeadbeef"
CANARY_SHORT = "hunter2"
CANARIES = (CANARY_KEY, CANARY_PASSWORD, CANARY_ENV, CANARY_SHORT)


@pytest.fixture
def leaky_sandbox() -> Sandbox:
    """A sandbox whose API answers with secrets unmasked, as a misbehaving API might."""
    sandbox = Sandbox(base_url=BASE_URL)
    sandbox.add_workspace(CANARY_KEY).leak_secrets = True
    return sandbox


@pytest.fixture
def captured_logs() -> Iterator[list[str]]:
    """Every log record at DEBUG, formatted with tracebacks, from every logger."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


class Recorder:
    """Collects everything the model or the user could see."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def add(self, value: Any) -> None:
        self.seen.append(value if isinstance(value, str) else json.dumps(value, default=str))

    async def call(self, client: Client, name: str, arguments: dict[str, Any]) -> Any:
        result = await client.call_tool(name, arguments)
        self.add([c.model_dump(mode="json") for c in result.content])
        self.add(result.structured_content)
        return result

    def leaks(self, extra: list[str]) -> dict[str, int]:
        text = "\n".join(self.seen + extra)
        for canary in CANARIES:
            at = text.find(canary)
            if at >= 0:
                print("LEAK:", text[max(0, at - 300): at + 100])
        return {canary: text.count(canary) for canary in CANARIES if canary in text}


@pytest.mark.parametrize("mode", MODES)
async def test_canaries_never_appear_anywhere(
    leaky_sandbox: Sandbox, captured_logs: list[str], mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLYTOMIC_SECRET_MONGO", CANARY_ENV)
    seen = Recorder()
    notifications: list[Any] = []

    async def on_log(params: Any) -> None:
        notifications.append(params.model_dump(mode="json"))

    async with PolytomicClient(CANARY_KEY, base_url=BASE_URL, transport=leaky_sandbox.transport(), max_retries=0,
                                job_poll_interval=0.001) as api:
        server = build_server(Settings(sandbox=True), client=api)
        async with Client(server, mode=mode, logging_callback=on_log, log_level="debug") as client:
            mongo_config = {"hosts": f"mongodb://user:{CANARY_PASSWORD}@example.mongodb.net", "username": "user",
                            "password": {"$env": "POLYTOMIC_SECRET_MONGO"}}
            mongo_args = {"name": "M", "type": "mongodb", "configuration": mongo_config}
            question = await seen.call(client, "create_connection", mongo_args)  # a $env secret goes out: the person is asked
            created = await seen.call(client, "create_connection", {**mongo_args, "consent_token": consent_token(question.content[0].text)})
            assert not created.is_error, created.content[0].text
            mongo = created.structured_content
            rejected = {"hosts": "nowhere.invalid", "password": CANARY_SHORT, "username": CANARY_PASSWORD}
            await seen.call(client, "create_connection", {"name": "N", "type": "mongodb", "configuration": rejected})
            await seen.call(client, "create_connection", {"name": "P", "type": "mongodb", "configuration": {"hosts": CANARY_PASSWORD}})
            sf = (await seen.call(client, "create_connection", SALESFORCE)).structured_content
            await authorize(leaky_sandbox, sf["auth_url"])
            model = (await seen.call(client, "create_model", model_args(mongo["id"]))).structured_content
            await seen.call(client, "create_sync", sync_args(model["id"], sf["id"]))
            for name, arguments in [
                ("list_connections", {"connection_id": mongo["id"]}),
                ("list_connections", {}),
                ("list_models", {"model_id": model["id"], "sample": True}),
                ("list_connections", {"connection_id": "missing"}),
                ("create_model", model_args("missing")),
                ("create_connection", {"name": "Q", "type": "mongodb", "configuration": {"hosts": "h", "password": {"$env": "POLYTOMIC_API_KEY"}}}),
                ("create_connection", {"name": "R", "type": "mongodb", "configuration": {"hosts": "h", "password": {"$env": "POLYTOMIC_SECRET_UNSET"}}}),
                ("create_sync", {**sync_args(model["id"], sf["id"]), "name": CANARY_PASSWORD, "mode": "nope"}),
            ]:
                await seen.call(client, name, arguments)
            for uri in ("polytomic://connections", f"polytomic://connections/{mongo['id']}", "polytomic://models",
                        f"polytomic://models/{model['id']}"):
                seen.add([c.model_dump(mode="json") for c in (await client.read_resource(uri)).contents])
            try:
                await client.read_resource(f"polytomic://connections/{CANARY_PASSWORD}")
            except MCPError as error:
                seen.add(str(error))
            prompt = await client.get_prompt("set_up_model_sync", {"source": "Mongo", "destination": "Salesforce"})
            seen.add(prompt.model_dump(mode="json"))

    stored = next(iter(leaky_sandbox.workspaces.values())).connections[mongo["id"]].configuration
    assert stored["password"] == CANARY_ENV and CANARY_PASSWORD in stored["hosts"], "the real values reached the API"
    assert leaky_sandbox.requests[-1].headers["authorization"] == f"Bearer {CANARY_KEY}"
    assert seen.leaks(captured_logs + [json.dumps(notifications)]) == {}
    assert any("******" in s for s in seen.seen)


async def test_env_reference_rules(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    from server_support import mcp_session

    monkeypatch.setenv("POLYTOMIC_SECRET_PG", "pg-password-from-env-1234")
    monkeypatch.setenv("POLYTOMIC_API_KEY", "pk_must_never_be_readable_9876")
    base = {"hostname": "db.example.com", "username": "u", "database": "acme", "port": 5432}
    async with mcp_session(sandbox) as client:
        refused = await call_error(client, "create_connection", {
            "name": "pg", "type": "postgresql", "configuration": {**base, "password": {"$env": "POLYTOMIC_API_KEY"}}})
        assert "refused" in refused and "POLYTOMIC_SECRET_" in refused and "pk_must_never" not in refused
        webhook = await call_error(client, "create_connection", {
            "name": "w", "type": "webhook", "configuration": {"url": {"$env": "HOME"}}})
        assert "refused" in webhook
        unset = await call_error(client, "create_connection", {
            "name": "pg", "type": "postgresql", "configuration": {**base, "password": {"$env": "POLYTOMIC_SECRET_NOPE"}}})
        assert "POLYTOMIC_SECRET_NOPE is not set" in unset
        created = await call_relayed(client, "create_connection", {
            "name": "pg", "type": "postgresql", "configuration": {**base, "password": {"$env": "POLYTOMIC_SECRET_PG"}}})
        assert created["configuration"]["password"] == "******"
    stored = sandbox.workspace(next(iter(sandbox.workspaces))).connections[created["id"]].configuration
    assert stored["password"] == "pg-password-from-env-1234"


@pytest.mark.slow
def test_stderr_of_a_stdio_server_never_carries_secrets() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_")}
    env["POLYTOMIC_SECRET_X"] = CANARY_ENV
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "create_connection", "arguments": {
            "name": "M", "type": "mongodb",
            "configuration": {"hosts": "nowhere.invalid", "password": CANARY_PASSWORD, "username": {"$env": "POLYTOMIC_SECRET_X"}}}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "create_connection", "arguments": {
            "name": "M", "type": "mongodb", "configuration": {"hosts": "example.mongodb.net", "password": CANARY_PASSWORD}}}},
    ]
    stdout, stderr = stdio_exchange(messages, 3, "--log-level", "DEBUG", env=env)
    assert '"id":3' in stdout.replace(" ", "")
    assert "HTTP Request" in stderr or "DEBUG" in stderr, "debug logging was on"
    for canary in (CANARY_PASSWORD, CANARY_ENV):
        assert canary not in stderr
        assert canary not in stdout
