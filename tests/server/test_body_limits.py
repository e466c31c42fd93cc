"""Every request body is refused before it is parsed when too large, and timed as a whole (``BodyLimits``).

Before: a 900 MiB POST to /oauth/key was parsed in full before the CSRF check, and past the first 4 MiB
of read-ahead the body timeout no longer applied (a trickle held a POST for as long as it liked).
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from polytomic_mcp.server.timeouts import SMALL_BODY, BodyLimits

pytestmark = pytest.mark.anyio
MIB = 1024 * 1024


class Recorder:
    """The app behind the limits: records the body it was handed."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def post(path: str, chunks: list[bytes], *, declared: int | None = None, pause: float = 0.0,
               seconds: float = 5.0) -> tuple[int, int, Recorder]:
    """POST ``chunks`` through ``BodyLimits``: (status, chunks the client got to send, the app)."""
    app = Recorder()
    sent = 0

    async def receive() -> Message:
        nonlocal sent
        if pause:
            await anyio.sleep(pause)
        sent += 1
        return {"type": "http.request", "body": chunks[sent - 1], "more_body": sent < len(chunks)}

    answered: list[dict[str, Any]] = []

    async def send(message: Message) -> None:
        answered.append(dict(message))

    headers = [(b"content-length", str(declared).encode())] if declared is not None else []
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    await BodyLimits(app, seconds, large_paths=("/mcp",))(scope, receive, send)
    return answered[0]["status"], sent, app


async def test_a_declared_length_over_the_limit_is_refused_before_one_byte_is_read() -> None:
    status, sent, app = await post("/oauth/key", [b"x" * 100], declared=900 * MIB)
    assert (status, sent, app.bodies) == (413, 0, [])


async def test_an_undeclared_body_is_refused_as_soon_as_it_passes_the_limit_and_the_rest_is_never_read() -> None:
    chunks = [b"x" * 16 * 1024] * 1000
    status, sent, app = await post("/register", chunks)
    assert status == 413 and app.bodies == []
    assert sent == SMALL_BODY // (16 * 1024) + 1, "reading stops at the first chunk past the limit"


async def test_mcp_takes_the_sdks_larger_limit_and_nothing_past_it() -> None:
    status, _, app = await post("/mcp", [b"x" * MIB])
    assert status == 200 and app.bodies == [b"x" * MIB]
    status, sent, app = await post("/mcp", [b"x" * MIB] * 10)
    assert status == 413 and app.bodies == [] and sent == 5


async def test_the_deadline_covers_the_whole_body_past_any_read_ahead() -> None:
    chunks = [b"x" * MIB] * 3 + [b"y"] * 50
    status, sent, app = await post("/mcp", chunks, pause=0.01, seconds=0.2)
    assert status == 408 and app.bodies == [] and sent < len(chunks)


async def test_a_small_form_goes_through_untouched() -> None:
    status, _, app = await post("/oauth/key", [b"request=r&csrf=c&", b"key=k"], declared=22)
    assert status == 200 and app.bodies == [b"request=r&csrf=c&key=k"]
