"""The workspace view in headless Chromium, inside the minimal MCP Apps host, fed a real list_syncs result from the
demo workspace: the failing sync named first, every sync drawn from its source (connection, model) under its destination, a sync name holding a script
shown as text, 1,200 syncs capped at 500 and drawn within a second, light and dark, 400 px wide."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from apps_support import demo_session, wire
from server_support import BASE_URL
from view_host import ViewHost, view_host

from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox
from polytomic_mcp.server.apps import VIEWS

pytestmark = pytest.mark.slow

WORKSPACE_VIEW = next(view for view in VIEWS if view.file == "workspace.html")
FAILING = "Customers to Salesforce Contacts"
HOSTILE = '<script>parent.postMessage({jsonrpc:"2.0",method:"pwned"},"*")</script><img src=x onerror="window.pwned=1">'


def listed(sandbox: Sandbox | None = None, **arguments: Any) -> dict[str, Any]:
    """A real list_syncs result, wire form, from an Apps client on the demo workspace."""

    async def call() -> dict[str, Any]:
        async with demo_session(apps=True, sandbox=sandbox) as client:
            return wire(await client.call_tool("list_syncs", {"limit": 50, **arguments}))

    return anyio.run(call)


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return listed()


@pytest.fixture(scope="module")
def host() -> Iterator[ViewHost]:
    with view_host() as opened:
        yield opened


def test_the_failing_sync_is_named_first_and_every_sync_is_drawn_under_its_destination(
    host: ViewHost, demo: dict[str, Any],
) -> None:
    syncs = demo["structuredContent"]["syncs"]
    host.show(WORKSPACE_VIEW.html, {"limit": 50}, demo, width=400)
    assert host.texts("[data-role=failing] li strong") == [FAILING]
    assert host.texts("[data-role=sync] .name")[0] == FAILING
    assert host.count("[data-role=sync]") == len(syncs) == 6
    assert host.count("[data-role=sync][data-state=failed]") == 1
    assert host.count("[data-role=destination]") == len({s["target_connection_id"] for s in syncs})
    assert "its selected schemas" in host.texts("[data-role=object]")
    assert {s["target_object"] for s in syncs if s.get("target_object")} <= set(host.texts("[data-role=object]"))
    graph = demo["structuredContent"]["graph"]
    failing_row = host.texts(".row")[0]
    assert failing_row.startswith(f"Product DB · postgresql\nCRM contacts\n→\n{FAILING}\n")
    assert sorted(host.texts("[data-role=model]")) == sorted(graph["models"][s["model_ids"][0]]["name"] for s in syncs if s.get("model_ids"))
    sources = {graph["connections"][model["connection_id"]]["name"] for model in graph["models"].values()}
    assert sources | {"Salesforce"} == set(host.texts("[data-role=source] .conn")) == {"Product DB", "App events", "Salesforce"}
    assert {text.split(" · ")[0] for text in host.texts(".dest-head")} == {"Destination Salesforce", "Destination HubSpot", "Destination Snowflake"}
    assert host.driver.execute_script("return document.body.scrollWidth") <= 400
    host.screenshot("view-workspace")


def test_with_failing_only_it_says_why_each_fails(host: ViewHost) -> None:
    failing = listed(failing=True)
    [sync] = failing["structuredContent"]["syncs"]
    host.show(WORKSPACE_VIEW.html, {"failing": True}, failing, width=400)
    assert host.count("[data-role=sync]") == 1
    assert host.texts("[data-role=failing] li") == [f"{FAILING} — {sync['failing']}"]
    assert "5 rejected" in sync["failing"]


def test_the_dark_theme_from_the_host_context_is_applied(host: ViewHost, demo: dict[str, Any]) -> None:
    host.show(WORKSPACE_VIEW.html, {"limit": 50}, demo, theme="dark", width=400)
    assert host.driver.execute_script("return document.documentElement.dataset.theme") == "dark"
    background = host.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    host.screenshot("view-workspace-dark")


def test_a_script_in_a_sync_model_or_connection_name_is_shown_as_text_and_never_run(host: ViewHost) -> None:
    sandbox = Sandbox.with_demo_workspace(base_url=BASE_URL)
    trial = next(s for s in sandbox.workspace(DEMO_API_KEY).syncs.values() if s.name == "Trial users to Salesforce Leads")
    trial.name = HOSTILE
    workspace = sandbox.workspace(DEMO_API_KEY)
    next(m for m in workspace.models.values() if m.name == "CRM contacts").name = HOSTILE
    next(c for c in workspace.connections.values() if c.name == "Product DB").name = HOSTILE
    record = host.show(WORKSPACE_VIEW.html, {"limit": 50}, listed(sandbox), width=400)
    assert HOSTILE in host.texts("[data-role=sync] .name")
    assert HOSTILE in host.texts("[data-role=model]") and HOSTILE in host.texts("[data-role=source] .conn")
    assert host.count("script") == 1 and host.count("img") == 0
    assert host.driver.execute_script("return window.pwned") is None
    assert all(message.get("method") != "pwned" for message in record["messages"])


def test_a_thousand_syncs_are_capped_and_drawn_within_a_second(host: ViewHost, demo: dict[str, Any]) -> None:
    many = copy.deepcopy(demo)
    originals = many["structuredContent"]["syncs"]
    many["structuredContent"]["syncs"] = [
        {**original, "id": f"{original['id']}-{n}", "name": f"{original['name']} #{n}"}
        for n in range(200) for original in originals
    ]
    many["structuredContent"]["total"] = 1200
    record = host.show(WORKSPACE_VIEW.html, {"limit": 50}, many, width=400)
    assert host.count("[data-role=sync]") == 500
    assert "Drawing the first 500 of 1200 syncs (failing first)." in host.texts(".note")
    assert host.texts("[data-role=sync] .name")[:200] == [f"{FAILING} #{n}" for n in range(200)]
    assert int(host.driver.execute_script("return document.body.dataset.renderMs")) < 1000
    assert record["rendered"] < 1000
