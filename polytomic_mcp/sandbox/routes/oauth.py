"""``GET /oauth/authorize``: the simulated browser consent page behind every ``auth_url`` (no API key needed)."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..domain.connections import complete_consent

_PAGE = "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"


async def authorize(request: Request) -> Response:
    """Complete the consent for the state's connection, then redirect to its ``redirect_url`` or show a page."""
    sandbox = request.app.state.sandbox
    entry = sandbox.oauth.states.pop(request.query_params.get("state", ""), None)
    if entry is None or entry[1] not in entry[0].connections:
        text = "This authorization link is invalid, expired or has already been used."
        return HTMLResponse(_PAGE.format(title="Authorization failed", text=text), status_code=404)
    workspace, connection_id = entry
    conn = complete_consent(workspace, connection_id)
    if conn.redirect_url:
        return RedirectResponse(conn.redirect_url, status_code=302)
    text = f"Connection {html.escape(conn.name)} is connected. You can close this window."
    return HTMLResponse(_PAGE.format(title="Connected", text=text))


ROUTES = [Route("/oauth/authorize", authorize, methods=["GET"])]
