"""The yes a client without elicitation relays: nothing is sent without it, and it binds tenant, call and facts.

Drives ``write.apply`` directly with a question (no tool in between): a token is refused when reused,
expired, from another tenant, for another request, or after the facts changed; strict mode refuses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import mcp_types as types
import pytest
from core_support import Ctx
from mcp.server.mcpserver.exceptions import ToolError

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.shared_state import MemoryState
from polytomic_mcp.tools.core.approvals import ConsentStore
from polytomic_mcp.tools.core.consent import Outcome, Question
from polytomic_mcp.tools.core.effects import Effect
from polytomic_mcp.tools.core.services import Services, serving
from polytomic_mcp.tools.core.write import Change, apply

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def sandbox_client() -> AsyncIterator[PolytomicClient]:
    sandbox = Sandbox.with_empty_workspace()
    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport()) as client:
        yield client


def question(text: str = "Delete thing 'x'?", request: dict[str, Any] | None = None) -> Question:
    return Question("Delete thing 'x'", text, Effect.DESTRUCTIVE, request or {"id": "x"})


class Sent:
    def __init__(self) -> None:
        self.count = 0

    async def send(self) -> str:
        self.count += 1
        return "gone"

    async def result(self, value: str, _: Outcome) -> dict[str, str]:
        return {"sent": value}


async def attempt(svc: Services, sent: Sent, asked: Question, token: str | None = None) -> dict[str, str]:
    change: Change[str, dict[str, str]] = Change(
        tool="delete", not_done="Thing 'x' was not deleted", send=sent.send, result=sent.result, action="delete thing 'x'",
        consent=Outcome("to_ask", question=asked), consent_token=token,
    )
    with serving(svc):
        return await apply(Ctx(), change)  # type: ignore[arg-type]


def token_in(error: pytest.ExceptionInfo[ToolError]) -> str:
    return str(error.value).split("consent_token='")[1].split("'")[0]


async def asked_for_token(svc: Services, sent: Sent, asked: Question) -> str:
    with pytest.raises(ToolError) as raised:
        await attempt(svc, sent, asked)
    text = str(raised.value)
    assert "Nothing was sent" in text and asked.text in text and sent.count == 0
    return token_in(raised)


async def test_the_relayed_token_acts_once(sandbox_client: PolytomicClient, clock: Clock) -> None:
    svc, sent = Services(sandbox_client, consents=ConsentStore(MemoryState(clock=clock), clock=clock)), Sent()
    token = await asked_for_token(svc, sent, question())
    assert await attempt(svc, sent, question(), token) == {"sent": "gone"} and sent.count == 1
    with pytest.raises(ToolError, match="already used"):
        await attempt(svc, sent, question(), token)
    assert sent.count == 1


async def test_an_expired_token_is_refused(sandbox_client: PolytomicClient, clock: Clock) -> None:
    svc, sent = Services(sandbox_client, consents=ConsentStore(MemoryState(clock=clock), clock=clock)), Sent()
    token = await asked_for_token(svc, sent, question())
    clock.now += 601
    with pytest.raises(ToolError, match="unknown or expired"):
        await attempt(svc, sent, question(), token)
    assert sent.count == 0


async def test_a_token_for_another_request_is_refused(sandbox_client: PolytomicClient, clock: Clock) -> None:
    svc, sent = Services(sandbox_client, consents=ConsentStore(MemoryState(clock=clock), clock=clock)), Sent()
    token = await asked_for_token(svc, sent, question())
    with pytest.raises(ToolError, match="different request"):
        await attempt(svc, sent, question(request={"id": "y"}), token)
    assert sent.count == 0


async def test_a_token_of_another_tenant_is_refused(clock: Clock) -> None:
    store, sent = ConsentStore(MemoryState(clock=clock), clock=clock), Sent()
    sandbox = Sandbox.with_empty_workspace()
    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport()) as mine, \
            PolytomicClient("another-tenants-key", base_url="http://sandbox.test", transport=sandbox.transport()) as theirs:
        token = await asked_for_token(Services(mine, consents=store), sent, question())
        with pytest.raises(ToolError, match="unknown or expired"):
            await attempt(Services(theirs, consents=store), sent, question(), token)
    assert sent.count == 0


async def test_changed_facts_need_a_new_yes(sandbox_client: PolytomicClient, clock: Clock) -> None:
    svc, sent = Services(sandbox_client, consents=ConsentStore(MemoryState(clock=clock), clock=clock)), Sent()
    token = await asked_for_token(svc, sent, question())
    changed = question("Delete thing 'x'? This also deletes: model 'added meanwhile'.")
    with pytest.raises(ToolError) as raised:
        await attempt(svc, sent, changed, token)
    assert "has changed since" in str(raised.value) and "added meanwhile" in str(raised.value) and sent.count == 0
    assert await attempt(svc, sent, changed, token_in(raised)) == {"sent": "gone"}


async def test_strict_mode_refuses_instead_of_issuing_a_token(sandbox_client: PolytomicClient) -> None:
    svc, sent = Services(sandbox_client, consent_mode="strict"), Sent()
    with pytest.raises(ToolError) as raised:
        await attempt(svc, sent, question())
    assert "POLYTOMIC_CONSENT=strict" in str(raised.value) and "consent_token" not in str(raised.value) and sent.count == 0


async def test_over_http_an_approval_link_is_offered_and_acts_only_once_approved(sandbox_client: PolytomicClient) -> None:
    store = ConsentStore()
    svc, sent = Services(sandbox_client, consents=store, approval_base="https://mcp.example.com"), Sent()
    with pytest.raises(ToolError) as raised:
        await attempt(svc, sent, question())
    text, token = str(raised.value), token_in(raised)
    link_id = text.split("https://mcp.example.com/consent/")[1].split(" ")[0]
    assert token not in link_id and sent.count == 0
    with pytest.raises(ToolError, match="not approved it"):
        await attempt(svc, sent, question(), token)
    await store.decide(link_id, approve=True)
    assert await attempt(svc, sent, question(), token) == {"sent": "gone"} and sent.count == 1


async def test_a_declined_link_sends_nothing(sandbox_client: PolytomicClient) -> None:
    store = ConsentStore()
    svc, sent = Services(sandbox_client, consents=store, approval_base="https://mcp.example.com"), Sent()
    with pytest.raises(ToolError) as raised:
        await attempt(svc, sent, question())
    await store.decide(str(raised.value).split("/consent/")[1].split(" ")[0], approve=False)
    with pytest.raises(ToolError, match="declined"):
        await attempt(svc, sent, question(), token_in(raised))
    assert sent.count == 0


class UrlOnlyCtx(Ctx):
    """A 2025-era client that declared only URL-mode elicitation, on a connection with a back channel."""

    client_capabilities = types.ClientCapabilities(elicitation=types.ElicitationCapability(url=types.UrlElicitationCapability()))

    def __init__(self, store: ConsentStore, approve: bool | None) -> None:
        self.store, self.approve, self.opened = store, approve, []
        self.session = SimpleNamespace(can_send_request=True)

    async def elicit_url(self, message: str, url: str, elicitation_id: str) -> Any:
        self.opened.append(url)
        if self.approve is None:
            return SimpleNamespace(action="decline")
        await self.store.decide(elicitation_id, approve=self.approve)  # the person answers on the page
        return SimpleNamespace(action="accept")


@pytest.mark.parametrize(("approve", "sends"), [(True, 1), (False, 0), (None, 0)])
async def test_a_url_mode_client_is_sent_the_link_and_the_call_waits_for_the_answer(
    sandbox_client: PolytomicClient, approve: bool | None, sends: int,
) -> None:
    store = ConsentStore()
    svc, sent = Services(sandbox_client, consents=store, approval_base="https://mcp.example.com"), Sent()
    ctx = UrlOnlyCtx(store, approve)
    change: Change[str, dict[str, str]] = Change(
        tool="delete", not_done="Thing 'x' was not deleted", send=sent.send, result=sent.result, action="delete thing 'x'",
        consent=Outcome("to_ask", question=question()),
    )
    with serving(svc):
        if sends:
            assert await apply(ctx, change) == {"sent": "gone"}  # type: ignore[arg-type]
        else:
            with pytest.raises(ToolError, match="did not confirm"):
                await apply(ctx, change)  # type: ignore[arg-type]
    assert sent.count == sends and len(ctx.opened) == 1 and ctx.opened[0].startswith("https://mcp.example.com/consent/")
