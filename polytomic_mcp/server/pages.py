"""What this server's own HTML pages share (the OAuth key page, the approval page): one self-contained page
shape with strict security headers, and the same-origin check their form POSTs must pass."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse

from polytomic_mcp.origins import parse_origin

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    # same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" with the form's POST, which
    # the origin check rightly refuses; the request id never leaves the origin either way.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}

STYLE = ("*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;"
         "line-height:1.45}h1{font-size:1.7rem;line-height:1.25}"
         "label{display:block;margin:1rem 0 .3rem}input[type=password],input[type=text]{width:100%;padding:.5rem}"
         "button{margin-top:1.5rem;padding:.6rem 1.2rem}.error{color:#a00;border:1px solid #a00;padding:.6rem}"
         "fieldset{margin-top:1rem}small{color:#555}"
         "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f7f9;border:1px solid #d8dbe0;"
         "border-radius:6px;padding:.8rem 1rem;font-size:.9rem;line-height:1.5}"
         ".actions{display:flex;gap:.8rem}.actions button{font-size:1rem;border-radius:6px;cursor:pointer}"
         ".approve{background:#1a7f37;border:1px solid #1a7f37;color:#fff}"
         ".decline{background:#fff;border:1px solid #a00;color:#a00}"
         ".notice{border-left:4px solid #888;padding:.4rem .8rem}.ok{border-color:#1a7f37}.no{border-color:#a00}")


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    """A self-contained HTML page (no external assets) with strict security headers."""
    text = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<meta name=viewport content='width=device-width,initial-scale=1'><style>{STYLE}</style></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>")
    return HTMLResponse(text, status_code=status, headers=SECURITY_HEADERS)


def origin_of(url: str) -> str:
    """The ``scheme://host[:port]`` of a URL (a public URL may carry a path; an Origin header never does)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def same_origin(request: Request, base_url: str) -> bool:
    """Refuse a POST the browser marks as coming from elsewhere (an Origin other than ``base_url``'s, or a
    cross-site Sec-Fetch-Site); browsers that send neither rely on the CSRF token."""
    sent = request.headers.get("origin")
    if sent is not None:
        expected = parse_origin(origin_of(base_url))
        if expected is None or parse_origin(sent) != expected:
            return False
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
