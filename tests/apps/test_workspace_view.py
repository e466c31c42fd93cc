"""The workspace view as a client meets it: list_syncs points an Apps host at it and gives it the page's sources
and names while other clients get today's result, and the document's CSP admits its one inline script by hash."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

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


async def test_list_syncs_gives_other_clients_exactly_todays_result() -> None:
    """Without the extension: no graph, no sources; with it: the same result plus those (and their untrusted marks)."""
    sandbox = Sandbox.with_demo_workspace(base_url=BASE_URL)
    seen = {}
    for apps in (False, True):
        async with demo_session(apps=apps, sandbox=sandbox) as client:
            seen[apps] = [wire(await client.call_tool("list_syncs", arguments)) for arguments in ({}, {"failing": True})]
    for plain, rich in zip(seen[False], seen[True], strict=True):
        assert not {"graph", "model_ids", "source_connection_id"} & set(re.findall(r'"(\w+)":', plain["content"][0]["text"]))
        assert "graph" in rich["structuredContent"]
        assert plain["structuredContent"] == _without_graph(rich["structuredContent"])
    assert "Customers to Salesforce Contacts" in seen[False][1]["content"][0]["text"]


def _without_graph(listed: dict[str, Any]) -> dict[str, Any]:
    """An Apps client's list_syncs result with what only it gets taken out."""
    syncs = [{k: v for k, v in sync.items() if k not in ("model_ids", "source_connection_id")} for sync in listed["syncs"]]
    untrusted = [path for path in listed["untrusted"] if not path.startswith("graph.")]
    return {**{k: v for k, v in listed.items() if k != "graph"}, "syncs": syncs, "untrusted": untrusted}


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


async def test_an_apps_client_gets_each_syncs_source_and_destination_names() -> None:
    """The failing demo sync reads a model over the Postgres product database and writes to Salesforce; only the
    connections and models the page uses are named, and the names are marked as workspace data."""
    async with demo_session(apps=True) as client:
        result = wire(await client.call_tool("list_syncs", {"failing": True}))
    listed = result["structuredContent"]
    [sync] = listed["syncs"]
    graph = listed["graph"]
    assert sync["name"] == "Customers to Salesforce Contacts" and len(sync["model_ids"]) == 1
    model = graph["models"][sync["model_ids"][0]]
    assert model["name"] == "CRM contacts"
    source, destination = graph["connections"][model["connection_id"]], graph["connections"][sync["target_connection_id"]]
    assert source == {"name": "Product DB", "type": "postgresql"}
    assert destination == {"name": "Salesforce", "type": "salesforce"}
    assert set(graph["connections"]) == {model["connection_id"], sync["target_connection_id"]}
    assert {"graph.connections", "graph.models"} <= set(listed["untrusted"])
    assert "unread" not in graph
