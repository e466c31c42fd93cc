"""call_api builds the right request for a sample of every API family, checked on the wire by a recording transport.

For each family (the first part of an operation id: webhooks, bulk_sync, harbors, ...) one read and
one write no typed tool covers are called with every path parameter, the required query parameters
plus one optional one, and the required body fields, each filled from its catalog type. The request
must carry exactly those: method, quoted path, encoded query, JSON body, version header, and an
Idempotency-Key on writes only.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx2
import mcp_types as types
import pytest
from mcp import Client
from server_support import BASE_URL, sample

from polytomic_mcp.catalog import Operation, field_name, is_required, load
from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

pytestmark = pytest.mark.anyio
WRITES_WITH_KEY = {"POST", "PUT", "PATCH"}


class Recorder(httpx2.AsyncBaseTransport):
    """Answers every request with an empty JSON object and keeps it."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(200, content=b'{"data":{}}', headers={"content-type": "application/json"}, request=request)


def encoded(query: dict[str, Any]) -> list[tuple[str, str]]:
    """The query pairs the API expects: deep objects as name[key], lists repeated, booleans lower-case."""
    def text(value: Any) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if isinstance(value, dict):
            pairs += [(f"{name}[{k}]", text(v)) for k, v in value.items()]
        elif isinstance(value, list):
            pairs += [(name, text(v)) for v in value]
        else:
            pairs.append((name, text(value)))
    return sorted(pairs)


def samples() -> list[Operation]:
    """Per family, its first read and its first write that call_api runs (no typed tool does it)."""
    chosen: dict[tuple[str, bool], Operation] = {}
    for op in load():
        family = op.id.split(".")[0]
        if op.reads or op.typed_tool is None:
            chosen.setdefault((family, op.reads), op)
    return sorted(chosen.values(), key=lambda op: op.id)


def arguments(op: Operation) -> dict[str, Any]:
    query = {field_name(k): sample(v) for k, v in op.query.items() if is_required(k)}
    optional = [k for k in op.query if not is_required(k)]
    if optional:
        query[optional[0]] = sample(op.query[optional[0]])
    call: dict[str, Any] = {"operation": op.id, "path_params": {name: f"{name}-7/x" for name in op.path_params}, "query": query}
    if op.body is not None:
        call["body"] = sample(op.body)
    return call


SAMPLES = samples()


def test_every_family_is_sampled_with_a_read_and_a_write() -> None:
    families = {op.id.split(".")[0] for op in load()}
    assert {op.id.split(".")[0] for op in SAMPLES} == families and len(families) >= 19
    assert sum(not op.reads for op in SAMPLES) >= 15


async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


async def test_call_api_sends_exactly_the_request_of_each_sampled_operation() -> None:
    recorder = Recorder()
    api = PolytomicClient(EMPTY_API_KEY, base_url=BASE_URL, transport=recorder, retry_backoff=0.001)
    settings = Settings(sandbox=True, allow_credential_minting=True)
    wrong: list[str] = []
    async with api, Client(build_server(settings, client=api), elicitation_callback=accept) as client:
        for op in SAMPLES:
            call = arguments(op)
            before = len(recorder.requests)
            result = await client.call_tool("call_api", call)
            if result.is_error:
                wrong.append(f"{op.key}: {result.content[0].text}")
                continue
            [request] = recorder.requests[before:]
            path = op.path
            for name in op.path_params:
                path = path.replace("{" + name + "}", quote(call["path_params"][name], safe=""))
            sent_body = json.loads(request.content) if request.content else None
            checks = {
                "method": (request.method, op.method),
                "path": (request.url.raw_path.decode().split("?")[0], path),
                "query": (sorted(parse_qsl(request.url.query.decode(), keep_blank_values=True)), encoded(call["query"])),
                "body": (sent_body, call.get("body") if op.body is not None else None),
                "key": ("idempotency-key" in request.headers, op.method in WRITES_WITH_KEY),
                "version": (request.headers.get("x-polytomic-version"), "2025-09-18"),
            }
            wrong += [f"{op.key} {what}: sent {got!r}, expected {want!r}" for what, (got, want) in checks.items() if got != want]
    assert wrong == []
