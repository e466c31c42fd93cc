"""What replicas must agree on, with two "replicas" in one process: two Services (own clients, own consent stores)
over one Polytomic sandbox and one shared state, on each backend (in-process, and a real redis-server).

A yes given through one is used once through either; concurrent creates of one name make one; a model job
started by one refuses a create on the other until it ends; an unreachable state refuses the write, sending nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
import httpx2
import pytest
from core_support import Ctx
from mcp.server.mcpserver.exceptions import ToolError
from processes import free_port
from starlette.applications import Starlette

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.client.models import Job, ModelCreateRequest
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server.approval_page import ApprovalPage
from polytomic_mcp.shared_state import SharedState
from polytomic_mcp.shared_state.redis_state import RedisState
from polytomic_mcp.tools.core.approvals import ConsentStore
from polytomic_mcp.tools.core.consent import Outcome, Question
from polytomic_mcp.tools.core.effects import Effect
from polytomic_mcp.tools.core.services import Services, serving
from polytomic_mcp.tools.core.write import Change, UniqueName, apply
from polytomic_mcp.tools.models.tools import refuse_model_in_progress

pytestmark = pytest.mark.anyio
MONGO = {"hosts": "example.mongodb.net", "username": "user", "password": "secret"}


@dataclass
class Replicas:
    """Two Services as two replicas would hold them: one key, one API, one shared state, nothing else in common."""

    a: Services
    b: Services
    sandbox: Sandbox


@pytest.fixture
async def replicas(state: SharedState) -> AsyncIterator[Replicas]:
    sandbox = Sandbox.with_empty_workspace()
    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport(),
                               job_poll_interval=0.001) as one, \
            PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport(),
                            job_poll_interval=0.001) as other:
        yield Replicas(*(Services(client, state=state, consents=ConsentStore(state), approval_base="https://mcp.example.com")
                         for client in (one, other)), sandbox=sandbox)


class Sent:
    def __init__(self) -> None:
        self.count = 0

    async def send(self) -> str:
        await anyio.sleep(0.01)  # a second use of the yes would slip in here without the single-use check
        self.count += 1
        return "gone"

    async def result(self, value: str, _: Outcome) -> dict[str, str]:
        return {"sent": value}


QUESTION = Question("Delete thing 'x'", "Delete thing 'x'?", Effect.DESTRUCTIVE, {"id": "x"})


async def delete(svc: Services, sent: Sent, token: str | None = None) -> dict[str, str]:
    change: Change[str, dict[str, str]] = Change(
        tool="delete", not_done="Thing 'x' was not deleted", send=sent.send, result=sent.result, action="delete thing 'x'",
        consent=Outcome("to_ask", question=QUESTION), consent_token=token,
    )
    with serving(svc):
        return await apply(Ctx(), change)  # type: ignore[arg-type]


async def link_and_token(svc: Services, sent: Sent) -> tuple[str, str]:
    with pytest.raises(ToolError) as raised:
        await delete(svc, sent)
    text = str(raised.value)
    return text.split("/consent/")[1].split(" ")[0], text.split("consent_token='")[1].split("'")[0]


async def test_a_link_approved_through_one_replica_acts_once_through_either(replicas: Replicas) -> None:
    sent = Sent()
    link_id, token = await link_and_token(replicas.a, sent)
    with pytest.raises(ToolError, match="not approved it"):
        await delete(replicas.b, sent, token)
    decided = await replicas.b.consents.decide(link_id, approve=True)
    assert decided is not None and decided.state == "approved"
    outcomes: list[str] = []

    async def use(svc: Services) -> None:
        try:
            outcomes.append((await delete(svc, sent, token))["sent"])
        except ToolError as refused:
            outcomes.append(str(refused))

    async with anyio.create_task_group() as group:
        for svc in (replicas.a, replicas.b, replicas.a, replicas.b):
            group.start_soon(use, svc)
    assert sent.count == 1 and outcomes.count("gone") == 1
    assert all("already used" in outcome for outcome in outcomes if outcome != "gone"), outcomes
    shown = await replicas.a.consents.by_link(link_id)
    assert shown is not None and shown.state == "used"


async def test_the_state_holds_digests_not_the_token_or_the_link(replicas: Replicas, state: SharedState) -> None:
    link_id, token = await link_and_token(replicas.a, Sent())
    pending = await replicas.b.consents.by_link(link_id)
    assert pending is not None and pending.token == "" and pending.link_id == ""
    assert token not in pending.key and token not in pending.record() and link_id not in pending.record()
    assert await state.get(pending.key) == pending.record()


async def test_five_concurrent_creates_of_one_name_over_two_replicas_make_one(replicas: Replicas) -> None:
    made: list[str] = []

    async def listed() -> list[Any]:
        return [type("Named", (), {"id": made_id, "name": "x"})() for made_id in made]

    async def send() -> str:
        await anyio.sleep(0.02)  # the others would pass the name check here without the shared lock
        made.append(f"t{len(made)}")
        return "saved"

    async def result(value: str, _: Outcome) -> str:
        return value

    outcomes: list[str] = []

    async def create(svc: Services) -> None:
        change: Change[str, str] = Change(
            tool="create_thing", not_done="Thing 'x' was not created", send=send, result=result, action="create thing 'x'",
            unique=UniqueName("thing", "x", listed, "list_things(thing_id='{id}')", "update_thing"),
        )
        with serving(svc):
            try:
                outcomes.append(await apply(Ctx(), change))  # type: ignore[arg-type]
            except ToolError as refused:
                outcomes.append(str(refused))

    async with anyio.create_task_group() as group:
        for index in range(5):
            group.start_soon(create, replicas.a if index % 2 else replicas.b)
    assert made == ["t0"] and outcomes.count("saved") == 1
    assert sum("already exists (id t0)" in outcome for outcome in outcomes) == 4, outcomes


async def test_a_model_job_started_on_one_replica_refuses_a_create_on_the_other_until_it_ends(replicas: Replicas) -> None:
    mongo = await replicas.a.client.connections.create(name="mongo", type="mongodb", configuration=MONGO)
    request = ModelCreateRequest(name="users", connection_id=mongo.id, configuration={"database": "example", "collection": "users"})
    job = await replicas.a.client.models.create(request, wait=False, on_started=lambda job: replicas.a.creates.job_started("users", job))
    assert isinstance(job, Job) and not job.finished
    with pytest.raises(ToolError, match=f"still being created by an earlier call \\(Polytomic job {job.job_id}"):
        await refuse_model_in_progress(replicas.b, "users")  # B reads the job from the API: it runs
    assert await replicas.b.creates.running_job("users") is not None
    await refuse_model_in_progress(replicas.b, "users")  # the job is done now: B may go on, and forgets it
    assert await replicas.a.creates.running_job("users") is None
    assert [m.name async for m in replicas.b.client.models.list()] == ["users"]


class Unreachable:
    """A real Redis client pointed at a port nothing listens on."""

    def __init__(self) -> None:
        self.state = RedisState(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5)


@pytest.mark.slow
async def test_an_unreachable_state_refuses_writes_that_need_it_and_sends_nothing() -> None:
    unreachable = Unreachable()
    sandbox = Sandbox.with_empty_workspace()
    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport()) as client:
        svc = Services(client, state=unreachable.state, consents=ConsentStore(unreachable.state))
        sent = Sent()
        for token in (None, "some-token"):
            with pytest.raises(ToolError) as raised:
                await delete(svc, sent, token)
            assert str(raised.value).startswith("Thing 'x' was not deleted: could not reach the shared state")
            assert "nothing was done" in str(raised.value)

        async def listed() -> list[Any]:
            return []

        change: Change[str, dict[str, str]] = Change(
            tool="create_thing", not_done="Thing 'x' was not created", send=sent.send, result=sent.result,
            action="create thing 'x'", unique=UniqueName("thing", "x", listed, "list_things(thing_id='{id}')", "update_thing"),
        )
        with serving(svc), pytest.raises(ToolError, match="^Thing 'x' was not created: could not reach the shared state"):
            await apply(Ctx(), change)  # type: ignore[arg-type]
        assert sent.count == 0
        assert await client.connections.list() == []  # reads never touch the state
    app = Starlette(routes=ApprovalPage(ConsentStore(unreachable.state), "http://127.0.0.1:8000").routes())
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as http:
        for answered in (await http.get("/consent/some-link"), await http.post("/consent/some-link", data={"decision": "approve"})):
            assert answered.status_code == 503 and "could not reach its shared state; nothing was changed" in answered.text
    await unreachable.state.aclose()


async def test_a_create_waiting_longer_than_the_tool_timeout_for_the_other_replicas_lock_is_refused(
    state: SharedState,
) -> None:
    sandbox = Sandbox.with_empty_workspace()
    release, made = anyio.Event(), []

    async def listed() -> list[Any]:
        return []

    async def send() -> str:
        made.append("x")
        await release.wait()
        return "saved"

    async def result(value: str, _: Outcome) -> str:
        return value

    def change() -> Change[str, str]:
        return Change(tool="create_thing", not_done="Thing 'x' was not created", send=send, result=result,
                      action="create thing 'x'", unique=UniqueName("thing", "x", listed, "list_things(thing_id='{id}')", "update_thing"))

    async with PolytomicClient(EMPTY_API_KEY, base_url="http://sandbox.test", transport=sandbox.transport()) as client:
        slow, impatient = Services(client, state=state), Services(client, state=state, tool_timeout=0.2)

        async def hold() -> None:
            with serving(slow):
                await apply(Ctx(), change())  # type: ignore[arg-type]

        async with anyio.create_task_group() as group:
            group.start_soon(hold)
            while not made:
                await anyio.sleep(0.005)
            with serving(impatient), pytest.raises(ToolError) as raised:
                await apply(Ctx(), change())  # type: ignore[arg-type]
            release.set()
    assert str(raised.value) == ("Thing 'x' was not created: another request is still changing the thing 'x' after 0.2s; "
                                 "call it again shortly (it then sees what that request made).")
    assert made == ["x"]
