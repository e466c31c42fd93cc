"""Caller input that used to break things: a newline in a client id forged a log line; a non-ASCII key or Bearer
gave a 500 and a 40-line traceback per request."""

from __future__ import annotations

import io
import logging
import secrets

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from polytomic_mcp.redaction import install_log_scrubbing
from polytomic_mcp.server.http import RequireBearer
from polytomic_mcp.server.oauth.provider import SealedTokenProvider
from polytomic_mcp.server.oauth.routes import require_token
from polytomic_mcp.server.oauth.sealing import Sealer

pytestmark = pytest.mark.anyio
NON_ASCII = "Bearer pk_\u00e9t\u00e9\u00a0key".encode("latin-1")


def test_a_newline_from_a_caller_never_starts_a_log_line_of_its_own() -> None:
    install_log_scrubbing()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("polytomic_mcp.test_hygiene")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        log.warning("client metadata document %s refused", 'https://x.example/c\n{"event": "forged", "status": 200}\r\x1b[2K')
    finally:
        log.removeHandler(handler)
    written = stream.getvalue()
    assert written.count("\n") == 1 and written.endswith("\n")
    assert '\\n{"event": "forged"' in written and "\\x1b" in written


async def ok(request: Request) -> PlainTextResponse:
    return PlainTextResponse("reached")


@pytest.mark.parametrize("guard", ["key-from-request", "oauth"])
async def test_a_non_ascii_bearer_is_a_401_not_a_500(guard: str) -> None:
    inner = Starlette(routes=[Route("/mcp", ok, methods=["POST"])])
    if guard == "oauth":
        provider = SealedTokenProvider(Sealer(secrets.token_bytes(32)), "http://127.0.0.1:8000/oauth/key")
        app = require_token(inner, provider, "http://127.0.0.1:8000/mcp")
    else:
        app = RequireBearer(inner)
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as http:
        answer = await http.post("/mcp", headers=[(b"authorization", NON_ASCII)])
    assert answer.status_code == 401 and "reached" not in answer.text
