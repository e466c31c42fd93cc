"""get_sync_runs reads a run's error log through the API's redirect: a redirect to a non-public or plain-http target is
not followed, and the result says the log could not be fetched and why, without the URL's signature."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from mcp import Client
from server_support import BASE_URL, call_ok

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio

SIGNATURE = "X-Amz-Signature=s3cr3t-signature"
STOLEN = "ASIA-STOLEN-KEY"


class RedirectingLogs(httpx2.AsyncBaseTransport):
    """The sandbox, except that log files redirect to ``location``, where a host that is not the API answers."""

    def __init__(self, sandbox: Sandbox, location: str) -> None:
        self.inner = sandbox.transport()
        self.location = location
        self.fetched: list[str] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not str(request.url).startswith(BASE_URL):
            self.fetched.append(str(request.url))
            row = {"code": "REQUIRED_FIELD_MISSING", "field": "LastName", "message": STOLEN}
            return httpx2.Response(200, json=row)
        if request.url.path.endswith("/errors/errors-00000.jsonl"):
            return httpx2.Response(302, headers={"location": self.location})
        return await self.inner.handle_async_request(request)


async def public_dns(host: str, port: int) -> list[str]:
    return {"storage.example.com": ["93.184.216.34"], "metadata.example.com": ["169.254.169.254"]}.get(host, [])


async def runs_read_through(sandbox: Sandbox, location: str) -> tuple[dict[str, Any], list[str]]:
    seeded = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=1)
    transport = RedirectingLogs(sandbox, location)
    api = PolytomicClient(EMPTY_API_KEY, base_url=BASE_URL, transport=transport, retry_backoff=0.001, resolver=public_dns)
    async with api, Client(build_server(Settings(sandbox=True), client=api)) as client:
        runs = await call_ok(client, "get_sync_runs", {"sync_id": seeded["sync"].id, "execution_id": seeded["executions"][0].id})
    return runs, transport.fetched


@pytest.mark.parametrize(("location", "why"), [
    (f"http://127.0.0.1:8080/latest/meta-data/iam/security-credentials/admin?{SIGNATURE}", "not https"),
    (f"https://127.0.0.1/latest/meta-data/iam/security-credentials/admin?{SIGNATURE}", "public addresses only"),
    (f"http://storage.example.com/logs/errors-00000.jsonl?{SIGNATURE}", "not https"),
    (f"https://10.1.2.3/logs/errors-00000.jsonl?{SIGNATURE}", "public addresses only"),
    (f"https://[::ffff:169.254.169.254]/latest/meta-data/?{SIGNATURE}", "public addresses only"),
    (f"https://metadata.example.com/latest/meta-data/?{SIGNATURE}", "public addresses only"),
])
async def test_a_log_redirect_to_a_non_public_or_http_target_is_refused_and_said(sandbox: Sandbox, location: str, why: str) -> None:
    runs, fetched = await runs_read_through(sandbox, location)
    shown = str(runs)
    assert fetched == [] and STOLEN not in shown and "record_errors" not in runs
    unread = runs["record_errors_unread"]
    assert unread.startswith("The record error log could not be fetched") and why in unread
    assert location.split("?")[0] in unread and "s3cr3t" not in shown
    assert "record_errors_unread" in runs["untrusted"]
    assert runs["record_logs"]["errors"] == 12, "the rest of the run's detail is still there"


async def test_a_log_redirect_to_https_on_a_public_host_is_followed(sandbox: Sandbox) -> None:
    location = f"https://storage.example.com/logs/errors-00000.jsonl?{SIGNATURE}"
    runs, fetched = await runs_read_through(sandbox, location)
    assert fetched == [location] and "record_errors_unread" not in runs
    assert runs["record_errors"] == [{"code": "REQUIRED_FIELD_MISSING", "field": "LastName", "message": STOLEN}]
