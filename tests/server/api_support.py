"""A recording API double for call_api tests: the sandbox where it has the route, SDK-shaped answers where it does not.

The sandbox implements the pipeline paths; webhooks, notifications, organization users and keys are
answered here with bodies shaped like the official SDK's types (``polytomic.types``), so the tests check
what call_api sends on the wire, byte for byte, whatever serves it.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
from mcp import Client
from server_support import BASE_URL

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

Answer = Callable[[httpx2.Request], tuple[int, Any]]
HOOK_SECRET = "whsec-9f8e7d6c5b4a39281706"
MINTED_KEY = "pk_live_0123456789abcdefMINTED"


@dataclass(frozen=True)
class Sent:
    """One request as it reached the wire."""

    method: str
    path: str
    query: str
    body: Any
    idempotency_key: str | None
    version: str | None


def webhook(hook_id: str = "wh_1", secret: str = HOOK_SECRET) -> dict[str, Any]:
    """A webhook as the SDK's ``Webhook`` type has it."""
    return {"id": hook_id, "endpoint": "https://hooks.example.com/polytomic", "secret": secret, "disabled": False,
            "organization_id": "org_1", "created_at": "2026-11-01T10:00:00Z"}


def default_answers() -> dict[str, Answer]:
    """``METHOD /path`` regex -> answer, for operations the sandbox does not implement."""
    subscribers = {"emails": ["data@example.com"]}

    def set_subscribers(request: httpx2.Request) -> tuple[int, Any]:
        subscribers["emails"] = json.loads(request.content)["emails"]
        return 200, dict(subscribers)

    return {
        r"GET /api/webhooks": lambda r: (200, {"data": [webhook()]}),
        r"POST /api/webhooks": lambda r: (200, {"data": {**webhook("wh_2"), **json.loads(r.content)}}),
        r"PUT /api/webhooks/[^/]+": lambda r: (200, {"data": {**webhook(), **json.loads(r.content)}}),
        r"DELETE /api/webhooks/[^/]+": lambda r: (204, None),
        r"GET /api/webhooks/[^/]+/deliveries": lambda r: (
            200, {"data": [{"id": "d1", "success": True}], "pagination": {"next_page_token": "dGhlLW5leHQtcGFnZQ"}}),
        r"GET /api/notifications/global-error-subscribers": lambda r: (200, dict(subscribers)),
        r"PUT /api/notifications/global-error-subscribers": set_subscribers,
        r"GET /api/organization/users": lambda r: (200, {"data": [
            {"id": "u1", "email": "ana@example.com", "role": "admin", "organization_id": "org_1"},
            {"id": "u2", "email": "ben@example.com", "role": "user", "organization_id": "org_1"},
        ]}),
        r"POST /api/organizations/[^/]+/users/[^/]+/keys": lambda r: (200, {"data": {"value": MINTED_KEY}}),
    }


class ApiDouble(httpx2.AsyncBaseTransport):
    """Records every request; answers from ``answers`` when one matches, else from the sandbox."""

    def __init__(self, sandbox: Sandbox, answers: dict[str, Answer] | None = None) -> None:
        self.inner = sandbox.transport()
        self.answers = {re.compile(p): a for p, a in (answers if answers is not None else default_answers()).items()}
        self.sent: list[Sent] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content) if request.content else None
        query = request.url.query
        self.sent.append(Sent(request.method, request.url.path, query.decode() if isinstance(query, bytes) else str(query),
                              body, request.headers.get("idempotency-key"), request.headers.get("x-polytomic-version")))
        key = f"{request.method} {request.url.path}"
        for pattern, answer in self.answers.items():
            if pattern.fullmatch(key):
                status, payload = answer(request)
                content = b"" if payload is None else json.dumps(payload).encode()
                return httpx2.Response(status, content=content, headers={"content-type": "application/json"}, request=request)
        return await self.inner.handle_async_request(request)

    def to(self, method: str, path_pattern: str) -> list[Sent]:
        """The requests sent with this method to a path matching ``path_pattern``."""
        return [s for s in self.sent if s.method == method and re.fullmatch(path_pattern, s.path)]


@asynccontextmanager
async def api_session(
    sandbox: Sandbox, double: ApiDouble, *, mode: str = "auto", settings: Settings | None = None, **client_kwargs: Any,
) -> AsyncIterator[Client]:
    """An in-memory MCP session whose Polytomic client sends through ``double``."""
    api = PolytomicClient(EMPTY_API_KEY, base_url=BASE_URL, transport=double, retry_backoff=0.001, max_retry_delay=0.01,
                          job_poll_interval=0.001)
    async with api, Client(build_server(settings or Settings(sandbox=True), client=api), mode=mode, **client_kwargs) as client:
        yield client


class Counted:
    """An MCP client whose tool calls are counted (the agent checks allow at most three)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.calls: list[str] = []

    async def ok(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(name)
        result = await self.client.call_tool(name, arguments)
        assert not result.is_error, result.content[0].text
        assert result.structured_content is not None
        return result.structured_content
