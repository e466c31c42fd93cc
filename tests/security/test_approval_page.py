"""The approval page: a person decides one pending change by its link, on this server, and nothing else can.

The page shows the question escaped, needs its own CSRF token (form and cookie) and origin for the POST,
records one decision that later POSTs cannot flip, is served in every HTTP mode without a Bearer key, and
its link id never reaches the access log. A real Chromium opens a link and approves it.
"""

from __future__ import annotations

import io
import json
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import httpx2
import pytest
from browser_support import chromium, png_size, screenshot
from http_support import Running
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from starlette.applications import Starlette

from polytomic_mcp.server import build_server
from polytomic_mcp.server.app import consent_store
from polytomic_mcp.server.approval_page import CONSENT_PATH, ApprovalPage, consent_link
from polytomic_mcp.server.http import http_app
from polytomic_mcp.settings import Settings
from polytomic_mcp.shared_state import MemoryState
from polytomic_mcp.tools.core.approvals import ConsentStore, PendingConsent, digest

pytestmark = pytest.mark.anyio

QUESTION = "Delete the sync <script>alert('x')</script> & its schedule?\n  sync id: 42\n  runs: nightly"
TITLE = "Delete sync <b>Nightly</b>"
PUBLIC = "https://approve.example.com"
MODES = {
    "stateful": Settings(sandbox=True, transport="http"),
    "stateless": Settings(sandbox=True, transport="http", stateless=True),
    "key-from-request": Settings(sandbox=True, transport="http", key_from_request=True),
    "oauth": Settings(sandbox=True, transport="http", auth="oauth", key_from_request=True,
                      oauth_secret=secrets.token_hex(32), public_url=PUBLIC),
    "public-url": Settings(sandbox=True, transport="http", public_url=PUBLIC, allowed_hosts=("approve.example.com",)),
}


@dataclass
class Page:
    """An in-process client of the full HTTP app, the store behind it, and one pending link."""

    http: httpx2.AsyncClient
    store: ConsentStore
    pending: PendingConsent
    origin: str

    @property
    def path(self) -> str:
        return f"{CONSENT_PATH}/{self.pending.link_id}"

    async def state(self) -> str | None:
        """Where the link stands in the store now."""
        current = await self.store.by_link(self.pending.link_id)
        return current.state if current is not None else None


async def issue(store: ConsentStore) -> PendingConsent:
    """One change waiting for a yes on the page."""
    return await store.issue(tenant="tenant-a", tool="delete_sync", request=digest({"id": 42}), facts=digest({"name": "n"}),
                       title=TITLE, question=QUESTION, by_link=True)


async def page_for(settings: Settings) -> AsyncIterator[Page]:
    server = build_server(settings)
    store = consent_store(server)
    base = settings.approval_base
    assert base is not None
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=http_app(server, settings)), base_url=base) as http:
        yield Page(http, store, await issue(store), base)


@pytest.fixture
async def approval() -> AsyncIterator[Page]:
    async for opened in page_for(MODES["stateful"]):
        yield opened



async def open_form(page: Page) -> str:
    """GET the link; the CSRF token of its form (also set as the link's cookie)."""
    shown = await page.http.get(page.path)
    assert shown.status_code == 200, shown.text
    token = re.search(r"name=csrf value='([^']+)'", shown.text)
    assert token is not None and token.group(1) in page.http.cookies.values()
    return token.group(1)


async def decide(page: Page, decision: str, headers: dict[str, str] | None = None) -> httpx2.Response:
    """POST the link's form as the page's own browser would."""
    token = await open_form(page)
    return await page.http.post(page.path, data={"csrf": token, "decision": decision},
                                headers={"Origin": page.origin, "Sec-Fetch-Site": "same-origin", **(headers or {})})


async def test_the_page_shows_the_exact_question_escaped_with_two_buttons(approval: Page) -> None:
    shown = await approval.http.get(approval.path)
    assert shown.status_code == 200
    assert "<script>" not in shown.text and "<b>Nightly" not in shown.text
    assert "<pre>Delete the sync &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; its schedule?\n  sync id: 42" in shown.text
    assert "<title>Delete sync &lt;b&gt;Nightly&lt;/b&gt;</title>" in shown.text
    assert re.search(r"expires in about (9|10) minutes", shown.text)
    assert shown.text.count("<form") == 1 and "value=approve" in shown.text and "value=decline" in shown.text
    assert approval.pending.token not in shown.text
    cookie = shown.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/consent" in cookie


async def test_security_headers_on_every_answer(approval: Page) -> None:
    answers = [await approval.http.get(approval.path), await approval.http.get(f"{CONSENT_PATH}/made-up"),
               await approval.http.post(approval.path, data={"decision": "approve"})]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store"
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script" not in csp
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("tamper", ["no-form-token", "no-cookie", "wrong-token", "cross-origin", "null-origin",
                                    "other-loopback-origin", "cross-site-fetch", "huge-body"])
async def test_forged_posts_are_refused_and_change_nothing(approval: Page, tamper: str) -> None:
    token = await open_form(approval)
    data = {"csrf": token, "decision": "approve"}
    headers: dict[str, str] = {}
    if tamper == "no-form-token":
        del data["csrf"]
    elif tamper == "no-cookie":
        approval.http.cookies.clear()
    elif tamper == "wrong-token":
        data["csrf"] = secrets.token_urlsafe(32)
    elif tamper == "cross-origin":
        headers["Origin"] = "https://evil.example"
    elif tamper == "null-origin":
        headers["Origin"] = "null"
    elif tamper == "other-loopback-origin":  # passes the server's loopback allow-list; the page wants its own origin
        headers["Origin"] = "http://127.0.0.1:9999"
    elif tamper == "cross-site-fetch":
        headers["Sec-Fetch-Site"] = "cross-site"
    else:
        data["padding"] = "x" * 10_000
    answer = await approval.http.post(approval.path, data=data, headers=headers)
    assert answer.status_code == 403, answer.text
    assert await approval.state() == "pending"


async def test_a_token_of_another_link_does_not_decide_this_one(approval: Page) -> None:
    other = Page(approval.http, approval.store, await issue(approval.store), approval.origin)
    other_token = await open_form(other)
    await open_form(approval)
    answer = await approval.http.post(approval.path, data={"csrf": other_token, "decision": "approve"})
    assert answer.status_code == 403
    assert await approval.state() == "pending"


async def test_approve_records_approved_and_says_what_to_do_next(approval: Page) -> None:
    answer = await decide(approval, "approve")
    assert answer.status_code == 200
    assert "Approved: go back to your assistant and tell it to go ahead" in answer.text and "consent_token" in answer.text
    assert await approval.state() == "approved"
    again = await approval.http.get(approval.path)
    assert again.status_code == 200 and "Approved" in again.text and "<form" not in again.text


async def test_decline_records_declined(approval: Page) -> None:
    answer = await decide(approval, "decline")
    assert answer.status_code == 200 and "Declined: nothing will be changed" in answer.text
    assert await approval.state() == "declined"


async def test_a_second_post_does_not_flip_the_decision(approval: Page) -> None:
    token = await open_form(approval)
    first = await approval.http.post(approval.path, data={"csrf": token, "decision": "decline"})
    second = await approval.http.post(approval.path, data={"csrf": token, "decision": "approve"})
    assert first.status_code == 200
    assert second.status_code == 409 and "Declined" in second.text and "already decided" in second.text
    assert await approval.state() == "declined"


async def test_a_used_approval_is_shown_not_changed(approval: Page) -> None:
    await decide(approval, "approve")
    approved = await approval.store.by_link(approval.pending.link_id)
    assert approved is not None and await approval.store.claim(approved)
    shown = await approval.http.get(approval.path)
    assert shown.status_code == 200 and "used up" in shown.text and "<form" not in shown.text
    assert await approval.state() == "used"


async def test_an_unknown_or_expired_link_is_404() -> None:
    now = [0.0]
    store = ConsentStore(MemoryState(clock=lambda: now[0]), clock=lambda: now[0])
    pending = await issue(store)
    app = Starlette(routes=ApprovalPage(store, "http://127.0.0.1:8000").routes())
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as http:
        unknown = await http.get(f"{CONSENT_PATH}/made-up")
        posted = await http.post(f"{CONSENT_PATH}/made-up", data={"decision": "approve"})
        live = await http.get(f"{CONSENT_PATH}/{pending.link_id}")
        now[0] = store.ttl + 1
        expired = await http.get(f"{CONSENT_PATH}/{pending.link_id}")
    assert live.status_code == 200
    for answer in (unknown, posted, expired):
        assert answer.status_code == 404
        assert ("This approval link is unknown or expired; nothing was changed. Ask your assistant to try again."
                in answer.text)


async def test_a_choice_other_than_approve_or_decline_changes_nothing(approval: Page) -> None:
    answer = await decide(approval, "maybe")
    assert answer.status_code == 400
    assert await approval.state() == "pending"


@pytest.mark.parametrize("mode", list(MODES))
async def test_every_http_mode_serves_the_page_without_a_bearer_key(mode: str) -> None:
    async for page in page_for(MODES[mode]):
        answer = await decide(page, "approve")
        assert answer.status_code == 200, (mode, answer.status_code, answer.text)
        assert await page.state() == "approved"
        assert consent_link(page.origin, page.pending.link_id) == f"{page.origin}/consent/{page.pending.link_id}"


async def test_the_pages_own_origin_does_not_open_mcp() -> None:
    async for page in page_for(MODES["public-url"]):
        mcp = await page.http.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                   headers={"Origin": PUBLIC})
        foreign = await page.http.post(page.path, data={"decision": "approve"}, headers={"Origin": "https://evil.example"})
        assert mcp.status_code == 403 and mcp.text == "Invalid Origin header"
        assert foreign.status_code == 403
        assert await page.state() == "pending"


async def test_the_access_log_never_holds_the_link_id(approval: Page, access_lines: io.StringIO) -> None:
    await decide(approval, "approve")
    await approval.http.get(approval.path)
    raw = access_lines.getvalue()
    logged = [json.loads(line) for line in raw.splitlines()]
    assert [(line["method"], line["path"]) for line in logged] == [
        ("GET", "/consent/…"), ("POST", "/consent/…"), ("GET", "/consent/…")]
    assert approval.pending.link_id not in raw and approval.pending.token not in raw


def approve_in_browser(driver: webdriver.Chrome, url: str) -> dict[str, object]:
    """What the person does: open the link, read the change, click Approve."""
    wait = WebDriverWait(driver, 20)
    driver.get(url)
    wait.until(expected_conditions.title_is(TITLE))
    seen: dict[str, object] = {"question": driver.find_element(By.TAG_NAME, "pre").text,
                               "shot": screenshot(driver, "approval-page")}
    driver.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
    wait.until(expected_conditions.title_is("Approved"))
    seen["done"] = driver.find_element(By.TAG_NAME, "body").text
    seen["done_shot"] = screenshot(driver, "approval-page-approved")
    return seen


@pytest.mark.slow
def test_a_person_approves_in_chromium() -> None:
    with Running(MODES["stateful"]) as running, chromium() as driver:
        assert running.mcp_server is not None
        store = consent_store(running.mcp_server)
        pending = anyio.run(issue, store)
        seen = approve_in_browser(driver, consent_link(f"http://127.0.0.1:{running.port}", pending.link_id))
    assert seen["question"] == QUESTION
    assert "Approved: go back to your assistant" in str(seen["done"])
    decided = anyio.run(store.by_link, pending.link_id)
    assert decided is not None and decided.state == "approved"
    for shot in ("shot", "done_shot"):
        path = seen[shot]
        assert isinstance(path, Path)
        width, height = png_size(path)
        assert width >= 600 and height >= 600 and path.stat().st_size > 5_000, (path, width, height)


@pytest.mark.parametrize(("host", "base"), [
    ("127.0.0.1", "http://127.0.0.1:8000"), ("0.0.0.0", "http://localhost:8000"), ("::", "http://localhost:8000"),
    ("::1", "http://[::1]:8000"), ("mcp.internal", "http://mcp.internal:8000"),
])
def test_approval_links_point_at_the_bound_address_as_a_valid_origin(host: str, base: str) -> None:
    from polytomic_mcp.server.http import approval_pages

    settings = Settings(sandbox=True, transport="http", host=host)
    assert settings.approval_base == base and approval_pages(settings) is not None
