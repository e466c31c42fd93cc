"""Asking over Streamable HTTP, stateful and ``--stateless``, with both protocol generations and a real MCP client.

A 2026-07-28 client answers the form even on a stateless server; a 2025-era client that declared elicitation
cannot get a mid-call question from a stateless server (no back channel), so it gets an approval link on this
server and nothing is sent until the person approves there and the call is repeated with its token.
"""

from __future__ import annotations

from typing import Any

import httpx2
import mcp_types as types
import pytest
from http_support import Running
from mcp import Client
from server_support import call_error, call_ok, consent_token
from workflow import MONGO

from polytomic_mcp.server.app import consent_store
from polytomic_mcp.settings import Settings

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

KINDS = {"stateful": False, "stateless": True}


def person(answer: bool, asked: list[str]):
    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": answer})

    return callback


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("answer", [True, False])
async def test_a_2026_client_answers_the_form_on_every_http_kind(kind: str, answer: bool) -> None:
    asked: list[str] = []
    with Running(Settings(sandbox=True, transport="http", stateless=KINDS[kind])) as running:
        async with Client(running.url, mode="auto", elicitation_callback=person(answer, asked)) as client:
            created = await call_ok(client, "create_connection", {**MONGO, "name": f"Mongo {kind} {answer}"})
            result = await client.call_tool("delete", {"kind": "connection", "id": created["id"]})
            listed = await call_ok(client, "list_connections", {"search": f"Mongo {kind} {answer}"})
    assert len(asked) == 1 and f"Mongo {kind} {answer}" in asked[0]
    assert result.is_error is not answer and listed["total"] == (0 if answer else 1)


async def test_a_2025_client_on_a_stateless_server_gets_an_approval_link_and_nothing_is_sent_before_it() -> None:
    asked: list[str] = []
    with Running(Settings(sandbox=True, transport="http", stateless=True)) as running:
        assert running.mcp_server is not None
        store = consent_store(running.mcp_server)
        async with Client(running.url, mode="legacy", elicitation_callback=person(True, asked)) as client:
            created = await call_ok(client, "create_connection", {**MONGO, "name": "Mongo stateless 2025"})
            delete = {"kind": "connection", "id": created["id"]}
            text = await call_error(client, "delete", delete)
            link = text.split("approval_url: ")[1].split(" ")[0]
            token = consent_token(text)
            assert link.startswith(f"http://127.0.0.1:{running.port}/consent/") and token not in link
            still = await call_ok(client, "list_connections", {"search": "Mongo stateless 2025"})
            early = await call_error(client, "delete", {**delete, "consent_token": token})
            async with httpx2.AsyncClient() as browser:
                page = await browser.get(link)
                assert page.status_code == 200 and "Mongo stateless 2025" in page.text
            pending = await store.by_link(link.rsplit("/", 1)[1])
            assert pending is not None and pending.state == "pending"
            await store.decide(link.rsplit("/", 1)[1], approve=True)  # the page's own form is driven in test_approval_page
            done = await call_ok(client, "delete", {**delete, "consent_token": token})
            listed = await call_ok(client, "list_connections", {"search": "Mongo stateless 2025"})
    assert asked == [] and still["total"] == 1 and "not approved it" in early
    assert done["deleted"] and done["consent"] == "approved by link" and listed["total"] == 0
