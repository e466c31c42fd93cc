"""The ASGI pipeline in front of the routes: record, inject faults, check version and auth, apply idempotency."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

from . import versions
from .auth import Unauthorized, authenticate, unauthorized_body
from .errors import ApiError, error_body
from .faults import DROP_HEADER, fault_response
from .idempotency import IN_FLIGHT, IN_FLIGHT_BODY, METHODS, StoredResponse, valid_key
from .recording import RecordedRequest
from .web import CONTEXT_KEY, RequestContext

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from .state import SandboxState


@dataclass
class Buffered:
    """A complete response held in memory so headers can be added and it can be stored for replay."""

    status: int
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: Any, extra_headers: list[tuple[str, str]] | None = None) -> Buffered:
        """Build a JSON response."""
        body = json.dumps(payload).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        headers += [(k.encode(), v.encode()) for k, v in extra_headers or []]
        return cls(status, headers, body)

    def set_header(self, name: str, value: str) -> None:
        """Replace header ``name`` (lower-case) with ``value``."""
        key = name.encode()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != key] + [(key, value.encode())]

    async def send(self, send: Send) -> None:
        """Write the response to the ASGI ``send`` channel."""
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


def _header(scope: Scope, name: str) -> str | None:
    key = name.encode()
    return next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == key), None)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


class Gateway:
    """Pure ASGI middleware: every request is logged; /api/ requests pass faults → version → auth → idempotency."""

    def __init__(self, app: ASGIApp, sandbox: SandboxState) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = await _read_body(receive)
        record = RecordedRequest.from_scope(scope, raw)
        self.sandbox.requests.append(record)
        response, version = await self._handle(scope, raw, record)
        response.set_header(versions.HEADER, version)
        record.status = response.status
        await response.send(send)

    async def _handle(self, scope: Scope, raw: bytes, record: RecordedRequest) -> tuple[Buffered, str]:
        if not scope["path"].startswith("/api/"):
            return await self._call_app(scope, raw), versions.LATEST
        version_error: ApiError | None = None
        try:
            version = versions.resolve(_header(scope, versions.HEADER))
        except ApiError as exc:
            version, version_error = versions.LATEST, exc
        drop = False
        kind = self.sandbox.fault_injector.decide(scope["method"], scope["path"])
        if kind is not None:
            record.fault = kind
            config = self.sandbox.fault_injector.config
            if kind in ("429", "500", "503"):
                status, body, headers = fault_response(kind, config)
                return Buffered.json(status, body, headers), version
            if kind == "slow":
                await anyio.sleep(config.slow_seconds)
            drop = kind == "drop"
        if version_error is not None:
            return Buffered.json(version_error.status, version_error.body()), version
        try:
            workspace, method = authenticate(self.sandbox.workspaces, _header(scope, "authorization"))
        except Unauthorized as exc:
            body = unauthorized_body(str(exc), versions.is_legacy(version))
            return Buffered.json(401, body, [("www-authenticate", 'Bearer realm="polytomic"')]), version
        scope[CONTEXT_KEY] = RequestContext(self.sandbox, workspace, version, method, raw)
        response = await self._idempotent(scope, raw, record, workspace.api_key)
        if drop:
            response.set_header(DROP_HEADER, "drop")
        return response, version

    async def _idempotent(self, scope: Scope, raw: bytes, record: RecordedRequest, workspace_key: str) -> Buffered:
        key = _header(scope, "idempotency-key")
        if key is None or scope["method"] not in METHODS:
            return await self._run(scope, raw, record)
        if not valid_key(key):
            return Buffered.json(400, error_body(400, "invalid Idempotency-Key: use 8 to 255 characters from [A-Za-z0-9_-]"))
        store = self.sandbox.idempotency
        stored = store.lookup(workspace_key, key)
        if stored is IN_FLIGHT:
            return Buffered.json(409, IN_FLIGHT_BODY)
        if isinstance(stored, StoredResponse):
            record.replayed = True
            replay = Buffered(stored.status, list(stored.headers), stored.body)
            replay.set_header("idempotent-replayed", "true")
            return replay
        store.begin(workspace_key, key)
        try:
            response = await self._run(scope, raw, record)
        except BaseException:
            store.release(workspace_key, key)
            raise
        store.finish(workspace_key, key, StoredResponse(response.status, tuple(response.headers), response.body))
        return response

    async def _run(self, scope: Scope, raw: bytes, record: RecordedRequest) -> Buffered:
        hook = self.sandbox.before_handle
        if hook is not None:
            await hook(record)
        return await self._call_app(scope, raw)

    async def _call_app(self, scope: Scope, raw: bytes) -> Buffered:
        """Run the routed app with the buffered body and capture its response."""
        sent = False

        async def receive() -> Message:
            """Hand the buffered body over once, then report a disconnect."""
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        captured = Buffered(500)
        chunks: list[bytes] = []

        async def send(message: Message) -> None:
            """Capture the response instead of writing it."""
            if message["type"] == "http.response.start":
                captured.status = message["status"]
                captured.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            return Buffered.json(500, error_body(500, f"internal sandbox error: {type(exc).__name__}: {exc}"))
        captured.body = b"".join(chunks)
        return captured
