"""What a pending consent stores in the shared state: the question as shown (masked), digests, never a secret the
call carries or the token itself, so a shared Redis holds nothing a reader could use to act or to learn a secret."""

from __future__ import annotations

import json

import pytest
from api_support import ApiDouble
from mcp import Client
from server_support import BASE_URL, call_error, consent_token

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.server.app import shared_state_of
from polytomic_mcp.settings import Settings
from polytomic_mcp.shared_state import digest, namespaced
from polytomic_mcp.tools.core.services import Services

pytestmark = pytest.mark.anyio
LITERAL = "whsec-literal-9f8e7d6c5b"
CALL = {"operation": "PUT /api/webhooks/{id}", "path_params": {"id": "wh_1"},
        "body": {"endpoint": "https://hooks.example.com/new", "secret": LITERAL}}


async def test_a_pending_consent_stores_the_masked_question_and_digests_only() -> None:
    sandbox = Sandbox.with_empty_workspace()
    double = ApiDouble(sandbox)
    api = PolytomicClient(EMPTY_API_KEY, base_url=BASE_URL, transport=double, retry_backoff=0.001)
    server = build_server(Settings(sandbox=True), client=api)
    async with api, Client(server, mode="auto") as client:  # no elicitation: the question comes back with a token
        text = await call_error(client, "call_api", CALL)
        token = consent_token(text)
        stored = await shared_state_of(server).get(namespaced("t", Services(api).tenant, "consent", digest(token)))
    assert stored is not None, "the record is keyed by the token's digest under the tenant's namespace"
    record = json.loads(stored)
    assert record["state"] == "pending" and record["tool"] == "call_api" and "******" in record["question"]
    assert LITERAL not in stored and token not in stored and EMPTY_API_KEY not in stored
    assert double.to("PUT", "/api/webhooks/wh_1") == []
