"""The sync view in headless Chromium, inside a minimal MCP Apps host, fed real results from the demo workspace:
what it draws (runs, rejected records, the failing sync named, bulk schemas), escaped workspace data, a bounded
5,000-run history drawn within a second, light and dark, 400 px wide. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from apps_support import demo_session, demo_syncs, wire
from view_host import ViewHost, view_host

from polytomic_mcp.server.apps import VIEWS

pytestmark = pytest.mark.slow

SYNC_VIEW = next(view for view in VIEWS if view.file == "sync.html")
FAILING = "Customers to Salesforce Contacts"
BULK = "Salesforce replica"


def demo_results() -> dict[str, dict[str, Any]]:
    """Real tool results, wire form, from an Apps client on the demo workspace."""

    async def collect() -> dict[str, dict[str, Any]]:
        async with demo_session(apps=True) as client:
            syncs = await demo_syncs(client)
            failing, bulk = syncs[FAILING]["id"], syncs[BULK]["id"]
            runs = wire(await client.call_tool("get_sync_runs", {"sync_id": failing}))
            last_failed = runs["structuredContent"]["runs"][0]["id"]
            bulk_runs = wire(await client.call_tool("get_sync_runs", {"sync_id": bulk}))
            return {
                "status": {"args": {"sync_id": failing}, "result": wire(await client.call_tool("get_sync_status", {"sync_id": failing}))},
                "runs": {"args": {"sync_id": failing}, "result": runs},
                "run": {"args": {"sync_id": failing, "execution_id": last_failed},
                        "result": wire(await client.call_tool("get_sync_runs", {"sync_id": failing, "execution_id": last_failed}))},
                "bulk_runs": {"args": {"sync_id": bulk}, "result": bulk_runs},
                "bulk_run": {"args": {"sync_id": bulk, "execution_id": bulk_runs["structuredContent"]["runs"][0]["id"]},
                             "result": wire(await client.call_tool("get_sync_runs", {
                                 "sync_id": bulk, "execution_id": bulk_runs["structuredContent"]["runs"][0]["id"]}))},
            }

    return anyio.run(collect)


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    return demo_results()


@pytest.fixture(scope="module")
def host() -> Iterator[ViewHost]:
    with view_host() as opened:
        yield opened


def show(host: ViewHost, case: dict[str, Any], **options: Any) -> dict[str, Any]:
    return host.show(SYNC_VIEW.html, case["args"], case["result"], **options)


def test_the_failing_sync_status_names_it_and_its_rejections(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    record = show(host, results["status"])
    assert record["initialized"] and record["messages"][0]["method"] == "ui/initialize"
    assert host.texts("#sync-name") == [FAILING]
    assert "failed" in host.texts("#last-run .badge")
    reasons = host.texts("#errors tbody tr")
    assert len(reasons) == 5 and any("STRING_TOO_LONG" in reason for reason in reasons)
    host.screenshot("view-sync-status")


def test_the_runs_of_the_failing_sync_as_a_chart(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    runs = results["runs"]["result"]["structuredContent"]["runs"]
    show(host, results["runs"])
    assert host.count("#runs svg g.run") == len(runs) == 3
    assert [g.get_attribute("data-status") for g in host.find("#runs svg g.run")] == [r["status"] for r in reversed(runs)]
    assert host.count("#run-table tbody tr") == 3
    assert host.count("#errors tbody tr") == 5
    host.screenshot("view-sync-runs")
