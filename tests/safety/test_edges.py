"""Bad input at the edges: raw stdio lines and raw Streamable HTTP requests (unknown names in-memory: test_unknown_names.py).

Each case asserts exactly what the server answers (observed with mcp 2.3.0 and written down next to
the case), then that the same connection or server still serves a valid request.

Observed protocol behaviour, in short:

* stdio: a line that is not a valid JSON-RPC message (bad JSON, ``[1,2]``, ``"x"``, ``{}``, jsonrpc
  "1.0", a request whose id or params have the wrong type, a lone-surrogate escape) is dropped
  without an answer (the SDK logs it at DEBUG). A well-formed request to an unknown method gets -32601,
  bad tools/call params get -32602. The strict xfails at the end pin the two places where that
  silence departs from JSON-RPC 2.0.
* Streamable HTTP, handshake era (2025-11-25): bad JSON gives 400 with -32700. A body that is JSON but
  not a message gives 400 with -32602 "Validation error" (JSON-RPC says -32600 here; the 2026 path does
  use -32600). An unknown method gives 200 and an SSE event carrying -32601. A body over 4 MiB gives
  413 as text/plain. A wrong Content-Type gives 400 as text/plain. No Accept header, or one without
  text/event-stream, gives 406 with -32600.
* Streamable HTTP, 2026-07-28: bad JSON, too-deep nesting and huge integers all give 400 with
  -32700. A non-message body gives 400 with -32600. An unknown method gives 404 with -32601. A missing
  or mismatched Mcp-Method header gives 400 with -32020. A bad Accept gives 406 with an empty body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from safety_support import (
    INITIALIZED,
    LEGACY_VERSION,
    MODES,
    StdioServer,
    http_server,
    initialize_request,
)

pytestmark = pytest.mark.slow

MODERN = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientInfo": {"name": "safety-raw", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}
FIVE_MB = 5 * 1024 * 1024
THREE_MB = 3 * 1024 * 1024


def rpc(request_id: Any, method: str, params: Any = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    return message


# ==================================================================================================
# stdio

# Lines the SDK's stdio transport cannot turn into a JSON-RPC message. Each is dropped: no reply at all.
UNPARSEABLE_LINES = {
    "malformed-json": b"{not json",
    "truncated-json": b'{"jsonrpc":"2.0","id":1,"method":"tools/li',
    "array": b"[1,2]",
    "batch": b'[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]',
    "string": b'"x"',
    "number": b"42",
    "null": b"null",
    "empty-object": b"{}",
    "blank-line": b"",
    "jsonrpc-1.0": b'{"jsonrpc":"1.0","id":1,"method":"tools/list"}',
    "id-without-method": b'{"jsonrpc":"2.0","id":5}',
    "null-id": b'{"jsonrpc":"2.0","id":null,"method":"tools/list"}',
    "object-id": b'{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}',
    "params-array": b'{"jsonrpc":"2.0","id":9,"method":"tools/list","params":[1]}',
    "lone-surrogate": b'{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"list_connections","arguments":{"search":"\\ud800"}}}',
    "unsolicited-response": b'{"jsonrpc":"2.0","id":12,"result":{}}',
    "unsolicited-error": b'{"jsonrpc":"2.0","id":13,"error":{"code":1,"message":"x"}}',
    "invalid-utf8-bytes": b"\xff\xfe\x00garbage",
}


@pytest.fixture
def stdio() -> Iterator[StdioServer]:
    server = StdioServer()
    try:
        yield server
    finally:
        server.close()


def probe(server: StdioServer, tag: str) -> list[dict[str, Any]]:
    """Send a request to an unknown method and return what arrived before its answer (checked here)."""
    server.send(rpc(f"probe-{tag}", "no/such/method"))
    before = []
    while True:
        message = server.receive()
        if message.get("id") == f"probe-{tag}":
            assert message["error"] == {"code": -32601, "message": "Method not found", "data": "no/such/method"}, message
            return before
        before.append(message)


def handshake(server: StdioServer) -> None:
    server.send(initialize_request(1))
    reply = server.reply_to(1)
    assert reply["result"]["protocolVersion"] == LEGACY_VERSION, reply
    assert reply["result"]["serverInfo"]["name"] == "polytomic"
    server.send(INITIALIZED)


def assert_stdio_serves(server: StdioServer, request_id: Any) -> None:
    """tools/list and a list_connections call both succeed."""
    server.send(rpc(request_id, "tools/list"))
    tools = server.reply_to(request_id)
    assert "result" in tools, tools
    assert "list_connections" in {t["name"] for t in tools["result"]["tools"]}
    server.send(rpc(f"{request_id}-call", "tools/call", {"name": "list_connections", "arguments": {}}))
    called = server.reply_to(f"{request_id}-call")
    assert called["result"]["isError"] is False, called
    assert "connections" in called["result"]["structuredContent"]


def test_stdio_unparseable_lines_are_dropped_and_the_handshake_still_works(stdio: StdioServer) -> None:
    """Pins the current SDK behaviour (silence); the strict xfails below state what JSON-RPC 2.0 asks for."""
    # Before the handshake: every line is dropped silently (nothing precedes the probe's -32601).
    for tag, line in UNPARSEABLE_LINES.items():
        stdio.send_raw(line + b"\n")
        assert probe(stdio, f"pre-{tag}") == [], f"{tag}: unexpected output"
    handshake(stdio)
    assert_stdio_serves(stdio, "after-pre")
    # The same garbage after the handshake: still dropped, the session survives.
    for tag, line in UNPARSEABLE_LINES.items():
        stdio.send_raw(line + b"\n")
        assert probe(stdio, f"post-{tag}") == [], f"{tag}: unexpected output"
    assert_stdio_serves(stdio, "after-post")
    assert stdio.process.poll() is None


# (message, expected JSON-RPC error) for well-formed requests the server must refuse.
STDIO_PROTOCOL_ERRORS = {
    "unknown-method": (rpc(20, "no/such"), {"code": -32601, "message": "Method not found", "data": "no/such"}),
    "tools-call-no-params": (rpc(21, "tools/call"), {"code": -32602, "message": "Invalid request parameters", "data": ""}),
    "tools-call-name-missing": (rpc(22, "tools/call", {}), {"code": -32602, "message": "Invalid request parameters", "data": ""}),
    "tools-call-name-not-string": (rpc(23, "tools/call", {"name": 5}), {"code": -32602, "message": "Invalid request parameters", "data": ""}),
    "tools-call-arguments-list": (
        rpc(24, "tools/call", {"name": "list_connections", "arguments": [1, 2]}),
        {"code": -32602, "message": "Invalid request parameters", "data": ""},
    ),
    "tools-call-arguments-string": (
        rpc(25, "tools/call", {"name": "list_connections", "arguments": "x"}),
        {"code": -32602, "message": "Invalid request parameters", "data": ""},
    ),
    "resources-read-no-uri": (rpc(26, "resources/read", {}), {"code": -32602, "message": "Invalid request parameters", "data": ""}),
    "resources-read-unknown-uri": (
        rpc(27, "resources/read", {"uri": "polytomic://nope"}),
        {"code": -32602, "message": "Unknown resource: polytomic://nope", "data": {"uri": "polytomic://nope"}},
    ),
    # A 2026-07-28 envelope on a connection that did the 2025 handshake.
    "modern-envelope-on-legacy-session": (
        rpc(28, "tools/call", {"name": "list_connections", "arguments": {}, "_meta": META}),
        {
            "code": -32600,
            "message": "this connection serves the handshake protocol era; requests carrying the 2026-07-28 envelope are not accepted on it",
        },
    ),
    # The SDK answers an unknown prompt with error code 0 (not a JSON-RPC code); pinned as observed.
    "prompts-get-unknown": (rpc(29, "prompts/get", {"name": "nope"}), {"code": 0, "message": "Unknown prompt: nope"}),
}


@pytest.fixture(scope="module")
def session_after_handshake() -> Iterator[StdioServer]:
    """One server past the handshake, shared by the refused-request cases: each checks it still serves afterwards,
    so a case that broke the session fails there. (Unknown methods before the handshake: see ``probe`` above.)"""
    server = StdioServer()
    try:
        handshake(server)
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("case", sorted(STDIO_PROTOCOL_ERRORS))
def test_stdio_protocol_errors_then_still_serving(session_after_handshake: StdioServer, case: str) -> None:
    stdio = session_after_handshake
    message, expected = STDIO_PROTOCOL_ERRORS[case]
    stdio.send(message)
    reply = stdio.reply_to(message["id"])
    assert reply == {"jsonrpc": "2.0", "id": message["id"], "error": expected}
    assert_stdio_serves(stdio, f"after-{case}")


def test_stdio_unknown_tool_is_an_error_result(session_after_handshake: StdioServer) -> None:
    stdio = session_after_handshake
    stdio.send(rpc(30, "tools/call", {"name": "no_such_tool", "arguments": {}}))
    reply = stdio.reply_to(30)
    assert reply["result"]["isError"] is True
    assert reply["result"]["content"][0]["text"] == "Unknown tool: no_such_tool"
    assert_stdio_serves(stdio, "after-unknown-tool")


def test_stdio_very_large_lines(stdio: StdioServer) -> None:
    handshake(stdio)
    # A 5 MB string argument on one line is read and handled like any other.
    stdio.send(rpc(40, "tools/call", {"name": "list_connections", "arguments": {"search": "x" * FIVE_MB}}))
    reply = stdio.reply_to(40, timeout=60)
    assert reply["result"]["isError"] is False, str(reply)[:500]
    assert reply["result"]["structuredContent"] == {"connections": [], "total": 0}
    # Over a maxLength: an error result naming the argument, not a crash.
    stdio.send(rpc(41, "tools/call", {"name": "create_connection", "arguments": {"name": "n" * FIVE_MB, "type": "mongodb", "configuration": {}}}))
    reply = stdio.reply_to(41, timeout=60)
    assert reply["result"]["isError"] is True
    text = reply["result"]["content"][0]["text"]
    assert text.startswith("Error executing tool create_connection: 1 validation error") and "name" in text
    assert len(text) < 10_000, "the error text should not echo the 5 MB value"
    # A 5 MB line of garbage is dropped like a short one.
    stdio.send_raw(b"{" + b"x" * FIVE_MB + b"\n")
    assert probe(stdio, "big-garbage") == []
    assert_stdio_serves(stdio, "after")


@pytest.mark.xfail(
    strict=True,
    reason="mcp 2.3 stdio transport drops a line that is not valid JSON (logged at DEBUG) instead of "
    "answering JSON-RPC 2.0 -32700 Parse error with id null",
)
def test_stdio_parse_error_gets_a_json_rpc_error(stdio: StdioServer) -> None:
    stdio.send_raw(b"{not json\n")
    replies = probe(stdio, "parse-error")  # lines are read in order: an answer to the bad one comes first
    assert replies and replies[0].get("id") is None and replies[0]["error"]["code"] == -32700, replies


@pytest.mark.xfail(
    strict=True,
    reason="mcp 2.3 stdio transport silently drops a request that carries a valid id but fails envelope "
    "validation (params not an object; a \\ud800 lone-surrogate escape, which is valid JSON syntax), so the "
    "caller waits for an answer forever; over HTTP the same bodies get 400 -32700/-32602",
)
@pytest.mark.parametrize("tag", ["params-array", "lone-surrogate"])
def test_stdio_request_with_an_id_is_always_answered(stdio: StdioServer, tag: str) -> None:
    handshake(stdio)
    line = UNPARSEABLE_LINES[tag]
    request_id = json.loads(line.replace(b"\\ud800", b"?"))["id"]
    stdio.send_raw(line + b"\n")
    replies = [m for m in probe(stdio, tag) if m.get("id") == request_id]
    assert replies and "error" in replies[0], replies


# ==================================================================================================
# Streamable HTTP

ACCEPT_BOTH = "application/json, text/event-stream"


@pytest.fixture(scope="module", params=[False, True], ids=["stateful", "stateless"])
def http_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with http_server(stateless=request.param) as url:
        yield url


def decode(response: httpx2.Response) -> dict[str, Any]:
    """The one JSON-RPC message in a JSON or SSE response body."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        events = [line[len("data: "):] for line in response.text.splitlines() if line.startswith("data: ")]
        messages = [json.loads(e) for e in events]
        replies = [m for m in messages if "result" in m or "error" in m]
        assert len(replies) == 1, messages
        return replies[0]
    return response.json()


class LegacyHTTP:
    """A raw 2025-11-25 session: initialize, notifications/initialized, then requests with its headers."""

    def __init__(self, http: httpx2.Client, url: str) -> None:
        self.http, self.url = http, url
        init = http.post(url, json=initialize_request(1), headers={"Accept": ACCEPT_BOTH, "Content-Type": "application/json"})
        assert init.status_code == 200, init.text
        assert decode(init)["result"]["protocolVersion"] == LEGACY_VERSION
        self.session_id = init.headers.get("mcp-session-id")
        self.headers = {"Accept": ACCEPT_BOTH, "Content-Type": "application/json", "MCP-Protocol-Version": LEGACY_VERSION}
        if self.session_id:
            self.headers["Mcp-Session-Id"] = self.session_id
        assert self.post(json.dumps(INITIALIZED).encode()).status_code == 202

    def post(self, body: bytes, **header_changes: str | None) -> httpx2.Response:
        headers = {**self.headers, **header_changes}
        return self.http.post(self.url, content=body, headers={k: v for k, v in headers.items() if v is not None})

    def assert_serves(self) -> None:
        listed = self.post(json.dumps(rpc(900, "tools/list")).encode())
        assert listed.status_code == 200, listed.text[:500]
        assert "list_connections" in {t["name"] for t in decode(listed)["result"]["tools"]}
        called = self.post(json.dumps(rpc(901, "tools/call", {"name": "list_connections", "arguments": {}})).encode())
        assert called.status_code == 200, called.text[:500]
        assert decode(called)["result"]["isError"] is False


class ModernHTTP:
    """Raw 2026-07-28 requests: no session; each carries the _meta envelope and routing headers."""

    def __init__(self, http: httpx2.Client, url: str) -> None:
        self.http, self.url = http, url
        self.headers = {"Accept": ACCEPT_BOTH, "Content-Type": "application/json", "MCP-Protocol-Version": MODERN}

    def post(self, body: bytes, *, method: str | None = None, name: str | None = None, **header_changes: str | None) -> httpx2.Response:
        headers: dict[str, str | None] = {**self.headers}
        if method:
            headers["Mcp-Method"] = method
        if name:
            headers["Mcp-Name"] = name
        headers.update(header_changes)
        return self.http.post(self.url, content=body, headers={k: v for k, v in headers.items() if v is not None})

    def call(self, request_id: Any, tool: str, arguments: dict[str, Any]) -> httpx2.Response:
        body = json.dumps(rpc(request_id, "tools/call", {"name": tool, "arguments": arguments, "_meta": META})).encode()
        return self.post(body, method="tools/call", name=tool)

    def assert_serves(self) -> None:
        listed = self.post(json.dumps(rpc(900, "tools/list", {"_meta": META})).encode(), method="tools/list")
        assert listed.status_code == 200, listed.text[:500]
        assert "list_connections" in {t["name"] for t in decode(listed)["result"]["tools"]}
        called = self.call(901, "list_connections", {})
        assert called.status_code == 200, called.text[:500]
        assert decode(called)["result"]["isError"] is False


def assert_clients_work(url: str) -> None:
    """A real mcp.Client session (both eras) lists tools and calls list_connections."""

    async def run() -> None:
        for mode in MODES:
            with anyio.fail_after(30):
                async with Client(url, mode=mode) as client:
                    names = {t.name for t in (await client.list_tools()).tools}
                    assert "list_connections" in names
                    result = await client.call_tool("list_connections", {})
                    assert not result.is_error, result.content[0].text
                    assert isinstance(result.structured_content, dict)

    anyio.run(run)


@pytest.fixture
def http() -> Iterator[httpx2.Client]:
    with httpx2.Client(timeout=60) as client:
        yield client


# (body, HTTP status, JSON-RPC error code, text the error message starts with, reply id)
LEGACY_BAD_BODIES = {
    "malformed-json": (b"{not json", 400, -32700, "Parse error", None),
    "empty-body": (b"", 400, -32700, "Parse error", None),
    "too-deep": (b"[" * 100_000 + b"]" * 100_000, 400, -32700, "Parse error: recursion limit exceeded", None),
    "huge-integer-id": (b'{"jsonrpc":"2.0","id":' + b"9" * 5000 + b',"method":"tools/list"}', 400, -32700, "Parse error: number out of range", None),
    # JSON that is not a JSON-RPC message: -32602 "Validation error" here (JSON-RPC 2.0 would say -32600).
    "array": (b"[1,2]", 400, -32602, "Validation error", None),
    "batch": (json.dumps([rpc(1, "tools/list")]).encode(), 400, -32602, "Validation error", None),
    "string": (b'"x"', 400, -32602, "Validation error", None),
    "empty-object": (b"{}", 400, -32602, "Validation error", None),
    "jsonrpc-1.0": (b'{"jsonrpc":"1.0","id":3,"method":"tools/list"}', 400, -32602, "Validation error", None),
    # Well-formed requests: answered on the SSE stream with the request's id.
    "unknown-method": (json.dumps(rpc(5, "no/such")).encode(), 200, -32601, "Method not found", 5),
    "tools-call-name-missing": (json.dumps(rpc(6, "tools/call", {})).encode(), 200, -32602, "Invalid request parameters", 6),
    "tools-call-arguments-list": (
        json.dumps(rpc(7, "tools/call", {"name": "list_connections", "arguments": [1]})).encode(), 200, -32602, "Invalid request parameters", 7,
    ),
    "resources-read-unknown": (
        json.dumps(rpc(8, "resources/read", {"uri": "polytomic://nope"})).encode(), 200, -32602, "Unknown resource: polytomic://nope", 8,
    ),
}


def test_http_legacy_bad_bodies(http_url: str, http: httpx2.Client) -> None:
    session = LegacyHTTP(http, http_url)
    for case, (body, status, code, message, reply_id) in LEGACY_BAD_BODIES.items():
        response = session.post(body)
        assert response.status_code == status, (case, response.status_code, response.text[:300])
        error = decode(response)
        assert error["jsonrpc"] == "2.0" and error["id"] == reply_id, (case, error)
        assert error["error"]["code"] == code and error["error"]["message"].startswith(message), (case, error)
        session.assert_serves()
        assert_clients_work(http_url)


MODERN_BAD_BODIES = {
    # (body, Mcp-Method header, HTTP status, JSON-RPC error code, message start, reply id)
    "malformed-json": (b"{not json", None, 400, -32700, "Parse error", None),
    "too-deep": (b"[" * 100_000 + b"]" * 100_000, None, 400, -32700, "Parse error", None),
    "huge-integer-id": (b'{"jsonrpc":"2.0","id":' + b"9" * 5000 + b',"method":"tools/list"}', None, 400, -32700, "Parse error", None),
    "array": (b"[1,2]", None, 400, -32600, "Body must be a single JSON-RPC request or notification object", None),
    "string": (b'"x"', None, 400, -32600, "Body must be a single JSON-RPC request or notification object", None),
    "unknown-method": (json.dumps(rpc(5, "no/such", {"_meta": META})).encode(), "no/such", 404, -32601, "Method not found", 5),
    "method-header-missing": (json.dumps(rpc(6, "no/such", {"_meta": META})).encode(), None, 400, -32020, "mcp-method header does not match", 6),
    "method-header-mismatch": (json.dumps(rpc(7, "tools/list", {"_meta": META})).encode(), "tools/call", 400, -32020, "mcp-method header does not match", 7),
    "envelope-missing": (json.dumps(rpc(8, "tools/list", {})).encode(), "tools/list", 400, -32602, "params._meta must be an object", 8),
    "tools-call-name-missing": (json.dumps(rpc(9, "tools/call", {"_meta": META})).encode(), "tools/call", 400, -32602, "Invalid request parameters", 9),
}


def test_http_modern_bad_bodies(http_url: str, http: httpx2.Client) -> None:
    modern = ModernHTTP(http, http_url)
    modern.assert_serves()
    for case, (body, method, status, code, message, reply_id) in MODERN_BAD_BODIES.items():
        response = modern.post(body, method=method)
        assert response.status_code == status, (case, response.status_code, response.text[:300])
        error = decode(response)
        assert error["jsonrpc"] == "2.0" and error["id"] == reply_id, (case, error)
        assert error["error"]["code"] == code and error["error"]["message"].startswith(message), (case, error)
        modern.assert_serves()
        assert_clients_work(http_url)
    # Unknown tool and unknown resource: an error result and a -32602, as in-memory.
    unknown_tool = modern.call(10, "no_such_tool", {})
    assert unknown_tool.status_code == 200
    assert decode(unknown_tool)["result"]["isError"] is True
    assert decode(unknown_tool)["result"]["content"][0]["text"] == "Unknown tool: no_such_tool"
    unknown_resource = modern.post(
        json.dumps(rpc(11, "resources/read", {"uri": "polytomic://nope", "_meta": META})).encode(),
        method="resources/read", name="polytomic://nope",
    )
    assert decode(unknown_resource)["error"]["code"] == -32602
    modern.assert_serves()
    assert_clients_work(http_url)


@pytest.mark.parametrize("era", ["legacy", "modern"])
def test_http_body_size_content_type_and_accept(http_url: str, http: httpx2.Client, era: str) -> None:
    if era == "legacy":
        session: LegacyHTTP | ModernHTTP = LegacyHTTP(http, http_url)

        def call(request_id: int, arguments: dict[str, Any], **headers: str | None) -> httpx2.Response:
            return session.post(json.dumps(rpc(request_id, "tools/call", {"name": "list_connections", "arguments": arguments})).encode(), **headers)
    else:
        session = ModernHTTP(http, http_url)

        def call(request_id: int, arguments: dict[str, Any], **headers: str | None) -> httpx2.Response:
            body = json.dumps(rpc(request_id, "tools/call", {"name": "list_connections", "arguments": arguments, "_meta": META})).encode()
            return session.post(body, method="tools/call", name="list_connections", **headers)  # type: ignore[union-attr]

    # Over max_request_body_size (4 MiB): 413 with a plain-text body, before any JSON-RPC parsing.
    too_big = call(20, {"search": "x" * FIVE_MB})
    assert too_big.status_code == 413
    assert too_big.text == "Request body too large"
    session.assert_serves()
    assert_clients_work(http_url)

    # Just under it: served normally.
    big = call(21, {"search": "x" * THREE_MB})
    assert big.status_code == 200, big.text[:300]
    assert decode(big)["result"]["structuredContent"] == {"connections": [], "total": 0}

    # Wrong Content-Type: 400 with a plain-text body.
    wrong_type = call(22, {}, **{"Content-Type": "text/plain"})
    assert wrong_type.status_code == 400
    assert wrong_type.text == "Invalid Content-Type header"
    session.assert_serves()
    assert_clients_work(http_url)

    # No Accept header at all (httpx2 adds "*/*" unless told otherwise), and Accept without text/event-stream: 406.
    for accept in (None, "application/json"):
        refused = call(23, {}, Accept=accept) if accept else call_without_accept(http, http_url, session.headers, era)
        assert refused.status_code == 406, (accept, refused.status_code, refused.text[:300])
        if era == "legacy":
            error = refused.json()
            assert error["error"]["code"] == -32600 and error["error"]["message"].startswith("Not Acceptable"), error
        else:
            assert refused.content == b""
        session.assert_serves()
        assert_clients_work(http_url)


def call_without_accept(http: httpx2.Client, url: str, headers: dict[str, str], era: str) -> httpx2.Response:
    params: dict[str, Any] = {"name": "list_connections", "arguments": {}}
    extra = {}
    if era == "modern":
        params["_meta"] = META
        extra = {"Mcp-Method": "tools/call", "Mcp-Name": "list_connections"}
    request = http.build_request("POST", url, content=json.dumps(rpc(24, "tools/call", params)).encode(),
                                 headers={**{k: v for k, v in headers.items() if k != "Accept"}, **extra})
    del request.headers["Accept"]
    assert "accept" not in request.headers
    return http.send(request)


def test_http_session_ids(http_url: str, http: httpx2.Client) -> None:
    session = LegacyHTTP(http, http_url)
    stateless = session.session_id is None
    listing = json.dumps(rpc(30, "tools/list")).encode()
    if stateless:
        # Stateless: no session ids at all; requests without one (or with a made-up one) are served.
        assert session.post(listing, **{"Mcp-Session-Id": None}).status_code == 200
        assert session.post(listing, **{"Mcp-Session-Id": "bogus"}).status_code == 200
    else:
        # Stateful: a non-initialize request without a session id is refused (400, -32600)...
        missing = session.post(listing, **{"Mcp-Session-Id": None})
        assert missing.status_code == 400
        assert missing.json()["error"] == {"code": -32600, "message": "Bad Request: Missing session ID"}
        # ...and the session id that refusal carries in its headers was discarded, not kept open.
        minted = missing.headers.get("mcp-session-id")
        if minted:
            reuse = session.post(listing, **{"Mcp-Session-Id": minted})
            assert reuse.status_code == 404 and reuse.json()["error"]["message"] == "Session not found"
        # An unknown session id: 404, -32600.
        bogus = session.post(listing, **{"Mcp-Session-Id": "0" * 32})
        assert bogus.status_code == 404
        assert bogus.json()["error"] == {"code": -32600, "message": "Session not found"}
        session.assert_serves()
        # DELETE ends the session; it then answers 404.
        assert http.delete(http_url, headers=session.headers).status_code == 200
        after = session.post(listing)
        assert after.status_code == 404
        session = LegacyHTTP(http, http_url)
    session.assert_serves()
    assert_clients_work(http_url)
