"""The client's run diagnostics: cancel one execution, console log, record-log index, signed URLs and bounded file reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from polytomic_mcp.client import (
    BadRequestError,
    InvalidRequestError,
    PermissionDeniedError,
    PolytomicClient,
    ResponseParseError,
    UnprocessableEntityError,
)
from polytomic_mcp.client.models import UsedBy
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox

pytestmark = pytest.mark.anyio

BASE = "http://sandbox.polytomic.test"


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox.with_empty_workspace(base_url=BASE)


@pytest.fixture
def seeded(sandbox: Sandbox) -> dict[str, Any]:
    return sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=2)


def connect(sandbox: Sandbox, version: str = "2025-09-18") -> PolytomicClient:
    return PolytomicClient(EMPTY_API_KEY, base_url=BASE, api_version=version, transport=sandbox.transport(), retry_backoff=0.001)


@pytest.fixture
async def api(sandbox: Sandbox) -> AsyncIterator[PolytomicClient]:
    async with connect(sandbox) as client:
        yield client


async def test_the_error_log_names_each_rejected_record(api: PolytomicClient, seeded: dict[str, Any]) -> None:
    sync_id, execution_id = seeded["sync"].id, seeded["executions"][0].id
    index = await api.syncs.log_index(sync_id, execution_id)
    assert index.counts() == {"records": 12, "errors": 12, "warnings": 0, "inserts": 0, "updates": 0, "deletes": 0}
    urls = await api.syncs.log_urls(sync_id, execution_id, "errors")
    assert urls.filenames == ["errors-00000.jsonl"] and urls.expires
    log = await api.syncs.read_log(sync_id, execution_id, "errors", urls.filenames[0])
    lines = log.lines()
    assert len(lines) == 12 and not log.truncated
    assert {(line["code"], line["field"]) for line in lines} == {("REQUIRED_FIELD_MISSING", "LastName")}
    assert lines[-1]["identity"] == {"email": "frances.allen@optimizing.dev"}


async def test_the_signed_url_is_fetched_without_the_api_key(sandbox: Sandbox, api: PolytomicClient, seeded: dict[str, Any]) -> None:
    sync_id, execution_id = seeded["sync"].id, seeded["executions"][0].id
    await api.syncs.read_log(sync_id, execution_id, "errors", "errors-00000.jsonl")
    api_call, download = sandbox.requests[-2:]
    assert api_call.path.endswith("/errors/errors-00000.jsonl") and api_call.headers["authorization"] == f"Bearer {EMPTY_API_KEY}"
    assert download.path.startswith("/sandbox-logs/") and download.status == 200
    assert "authorization" not in download.headers and "x-polytomic-version" not in download.headers
    assert EMPTY_API_KEY not in str(download.headers)


async def test_a_large_log_is_cut_at_max_bytes(api: PolytomicClient, seeded: dict[str, Any]) -> None:
    sync_id, execution_id = seeded["sync"].id, seeded["executions"][0].id
    whole = await api.syncs.read_log(sync_id, execution_id, "records", "records-00000.jsonl")
    cut = await api.syncs.read_log(sync_id, execution_id, "records", "records-00000.jsonl", max_bytes=300)
    assert cut.truncated and len(cut.text) == 300 and whole.text.startswith(cut.text)
    assert 0 < len(cut.lines()) < len(whole.lines()) and cut.lines() == whole.lines()[: len(cut.lines())]
    with pytest.raises(InvalidRequestError):
        await api.syncs.read_log(sync_id, execution_id, "records", "records-00000.jsonl", max_bytes=0)


async def test_console_log_pages_forward(api: PolytomicClient, seeded: dict[str, Any]) -> None:
    sync_id, execution_id = seeded["sync"].id, seeded["executions"][0].id
    first = await api.syncs.console_log(sync_id, execution_id, limit=2)
    assert [e.message for e in first.entries][-1].startswith("Run failed: 12 of 12 records rejected")
    everything = await api.syncs.console_log(sync_id, execution_id)
    following = await api.syncs.console_log(sync_id, execution_id, after=everything.entries[0].id, limit=50)
    assert [e.id for e in following.entries] == [e.id for e in everything.entries[1:]]
    assert following.next_cursor == everything.entries[-1].id
    with pytest.raises(BadRequestError):
        await api.syncs.console_log(sync_id, execution_id, after="nope")


async def test_cancel_one_execution(api: PolytomicClient, seeded: dict[str, Any]) -> None:
    sync_id = seeded["sync"].id
    started = await api.syncs.start(sync_id)
    await api.syncs.get_execution(sync_id, started.id)
    assert await api.syncs.cancel_execution(sync_id, started.id) == f"execution {started.id} is canceling"
    assert (await api.syncs.get_execution(sync_id, started.id)).status == "canceled"
    with pytest.raises(BadRequestError, match="already ended"):
        await api.syncs.cancel_execution(sync_id, seeded["executions"][0].id)


async def test_2025_only_calls_are_refused_on_2024_without_sending(sandbox: Sandbox, seeded: dict[str, Any]) -> None:
    sync_id, execution_id = seeded["sync"].id, seeded["executions"][0].id
    async with connect(sandbox, "2024-02-08") as legacy:
        before = len(sandbox.requests)
        with pytest.raises(InvalidRequestError, match=r"syncs.cancel\("):
            await legacy.syncs.cancel_execution(sync_id, execution_id)
        with pytest.raises(InvalidRequestError):
            await legacy.syncs.console_log(sync_id, execution_id)
        with pytest.raises(InvalidRequestError):
            await legacy.syncs.log_index(sync_id, execution_id)
        assert len(sandbox.requests) == before
        assert len((await legacy.syncs.read_log(sync_id, execution_id, "errors", "errors-00000.jsonl")).lines()) == 12


async def test_used_by_is_typed_on_a_connection_in_use(api: PolytomicClient, seeded: dict[str, Any]) -> None:
    with pytest.raises(UnprocessableEntityError) as raised:
        await api.connections.delete(seeded["destination"].id)
    assert raised.value.used_by == [UsedBy(type="sync", id=seeded["sync"].id, name="Signups to Salesforce Contacts")]
    await api.connections.delete(seeded["destination"].id, force=True)
    assert [s.id async for s in api.syncs.list()] == []


def test_used_by_skips_entries_it_cannot_read() -> None:
    metadata = {"used_by": [{"type": "model", "id": "m1", "name": "M"}, {"name": "no type or id"}, "sync s1", {"type": "bulk_sync", "id": "b1"}]}
    error = UnprocessableEntityError("connection in use", status=422, metadata=metadata)
    assert [(u.type, u.id) for u in error.used_by] == [("model", "m1"), ("bulk_sync", "b1")]
    assert UnprocessableEntityError("invalid", status=422, metadata=None).used_by == []


def scripted(answers: dict[str, httpx2.Response]) -> tuple[PolytomicClient, list[httpx2.Request]]:
    """A client whose transport answers by URL, recording what it was asked."""
    seen: list[httpx2.Request] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        for prefix, response in answers.items():
            if str(request.url).startswith(prefix):
                return response
        return httpx2.Response(404, json={"status": 404, "message": "no route"})

    async def public(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    client = PolytomicClient("pk_test_123456", base_url="http://api.test", transport=httpx2.MockTransport(handle), max_retries=0,
                             resolver=public)
    return client, seen


LOG_PATH = "http://api.test/api/syncs/s/executions/e/errors/errors-00000.jsonl"


async def test_a_relative_redirect_is_resolved_against_the_api_host() -> None:
    client, seen = scripted({
        LOG_PATH: httpx2.Response(302, headers={"location": "/files/errors.jsonl"}),
        "http://api.test/files/": httpx2.Response(200, content=b'{"code": "X"}\n'),
    })
    async with client:
        log = await client.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert log.lines() == [{"code": "X"}] and str(seen[-1].url) == "http://api.test/files/errors.jsonl"
    assert "authorization" not in seen[-1].headers


async def test_an_answer_without_a_redirect_or_with_a_non_http_target_is_refused() -> None:
    client, seen = scripted({LOG_PATH: httpx2.Response(200, json={"data": None})})
    async with client:
        with pytest.raises(ResponseParseError, match="without a redirect"):
            await client.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    client, seen = scripted({LOG_PATH: httpx2.Response(302, headers={"location": "file:///etc/passwd"})})
    async with client:
        with pytest.raises(ResponseParseError, match="refusing a file URL"):
            await client.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert len(seen) == 1


async def test_a_refused_signed_url_is_a_status_error_that_hides_the_url() -> None:
    signed = "https://storage.test/logs/errors.jsonl?X-Signature=s3cr3t-token"
    client, _ = scripted({
        LOG_PATH: httpx2.Response(302, headers={"location": signed}),
        "https://storage.test/": httpx2.Response(403, text="<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"),
    })
    async with client:
        with pytest.raises(PermissionDeniedError) as raised:
            await client.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert raised.value.status == 403 and "Request has expired" in raised.value.message
    assert "s3cr3t-token" not in str(raised.value) and raised.value.path == "<signed log URL>"
