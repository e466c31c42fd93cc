"""The workspace view as a client meets it: list_syncs points an Apps host at it, every client gets the same
list_syncs result, and the document's CSP admits its one inline script by hash and nothing else."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from apps_support import demo_session, wire
from server_support import BASE_URL

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server.apps import VIEWS, view_of_tool

pytestmark = pytest.mark.anyio

WORKSPACE_VIEW = next(view for view in VIEWS if view.file == "workspace.html")


async def test_list_syncs_names_the_workspace_view_to_an_apps_host_only() -> None:
    assert view_of_tool()["list_syncs"] == WORKSPACE_VIEW.uri == "ui://polytomic/workspace.html"
    for apps in (True, False):
        async with demo_session(apps=apps) as client:
            tool = next(t for t in (await client.list_tools()).tools if t.name == "list_syncs")
            assert (tool.meta or {}).get("ui") == ({"resourceUri": WORKSPACE_VIEW.uri} if apps else None)


async def test_list_syncs_gives_the_same_result_with_or_without_the_extension() -> None:
    sandbox = Sandbox.with_demo_workspace(base_url=BASE_URL)
    seen = {}
    for apps in (False, True):
        async with demo_session(apps=apps, sandbox=sandbox) as client:
            seen[apps] = [wire(await client.call_tool("list_syncs", arguments)) for arguments in ({}, {"failing": True})]
    assert seen[True] == seen[False]
    assert "Customers to Salesforce Contacts" in seen[False][1]["content"][0]["text"]


def test_the_csp_admits_only_the_documents_own_script() -> None:
    html = WORKSPACE_VIEW.html
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 1 and "<script " not in html
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = {part.split()[0]: part.split()[1:] for part in csp.group(1).split(";") if part.strip()}
    assert policy["script-src"] == [f"'sha256-{digest}'"], "the script changed: put its new hash in the CSP"
    assert policy["default-src"] == policy["connect-src"] == policy["img-src"] == ["'none'"]
