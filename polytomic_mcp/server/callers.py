"""Who is calling: the client address of the HTTP request being handled, for per-caller quotas.

``RememberCaller`` (around the whole app) puts it in ``caller``. Behind a proxy, uvicorn's
``--forwarded-allow-ips`` (``FORWARDED_ALLOW_IPS``) makes it the forwarded address.
"""

from __future__ import annotations

from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

caller: ContextVar[str] = ContextVar("polytomic_caller", default="unknown")
"""The address of the client whose request is being handled."""


class RememberCaller:
    """ASGI wrapper: each HTTP request runs with ``caller`` set to its client address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = caller.set(str(client[0]) if client else "unknown")
        try:
            await self.app(scope, receive, send)
        finally:
            caller.reset(token)
