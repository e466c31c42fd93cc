"""An operation the Polytomic API has but the sandbox does not simulate answers 501 naming it, never a bare 404.

Before: webhooks, events, users and roles answered "not found: no route", so an agent could not tell an
operation this deployment lacks from a wrong path (and a person had confirmed an invite before the 404).
"""

from __future__ import annotations

import httpx2
import pytest
from sandbox_support import make_client

from polytomic_mcp.client import PolytomicClient, ServerError
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("version", ["2025-09-18", "2024-02-08"])
@pytest.mark.parametrize(("method", "path", "operation"), [
    ("GET", "/api/events", "events.list"),
    ("GET", "/api/webhooks", "webhooks.list"),
    ("DELETE", "/api/harbors/h-1/keys/k-9", "harbors.delete_key"),
])
async def test_a_known_operation_the_sandbox_does_not_simulate_is_a_501_naming_it(
    sandbox: Sandbox, version: str, method: str, path: str, operation: str,
) -> None:
    async with make_client(sandbox, version=version) as http:
        answer = await http.request(method, path)
    assert answer.status_code == 501, answer.text
    assert operation in answer.text and "Nothing was changed" in answer.text


async def test_a_path_the_api_does_not_have_is_still_a_404(client: httpx2.AsyncClient) -> None:
    answer = await client.get("/api/no-such-thing")
    assert answer.status_code == 404 and "no route" in answer.text


async def test_a_501_is_not_retried(sandbox: Sandbox) -> None:
    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport(),
                               retry_backoff=0.001) as api:
        sandbox.requests.clear()
        with pytest.raises(ServerError):
            await api.call("GET", "/api/events")
    assert len([r for r in sandbox.requests if r.path == "/api/events"]) == 1
