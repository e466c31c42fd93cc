"""The sync view in headless Chromium, inside a minimal MCP Apps host, fed real results from the demo workspace:
what it draws (runs, rejected records, the failing sync named, bulk schemas), escaped workspace data, a bounded
5,000-run history drawn within a second, light and dark, 400 px wide. Screenshots go to test-artifacts/."""

from __future__ import annotations

import copy
import json
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
HOURLY = "Signups to HubSpot"


def demo_results() -> dict[str, dict[str, Any]]:
    """Real tool results, wire form, from an Apps client on the demo workspace; under "view", the document the
    tools' ``_meta.ui.resourceUri`` points at, read with resources/read as a host does."""

    async def collect() -> dict[str, dict[str, Any]]:
        async with demo_session(apps=True) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            uri = tools["get_sync_runs"].meta["ui"]["resourceUri"]
            assert tools["get_sync_status"].meta["ui"]["resourceUri"] == uri
            document = (await client.read_resource(uri)).contents[0]
            syncs = await demo_syncs(client)
            failing, bulk = syncs[FAILING]["id"], syncs[BULK]["id"]
            runs = wire(await client.call_tool("get_sync_runs", {"sync_id": failing}))
            last_failed = runs["structuredContent"]["runs"][0]["id"]
            bulk_runs = wire(await client.call_tool("get_sync_runs", {"sync_id": bulk}))
            bulk_run_id = bulk_runs["structuredContent"]["runs"][0]["id"]
            bulk_run = wire(await client.call_tool("get_sync_runs", {"sync_id": bulk, "execution_id": bulk_run_id}))
            started = await client.call_tool("start_sync", {"sync_id": bulk})
            assert not started.is_error, started.content
            running = wire(await client.call_tool("get_sync_status", {"sync_id": bulk}))
            hourly = syncs[HOURLY]["id"]
            started = await client.call_tool("start_sync", {"sync_id": hourly})
            assert not started.is_error, started.content
            model_running = wire(await client.call_tool("get_sync_status", {"sync_id": hourly}))
            return {
                "view": {"uri": uri, "mime_type": document.mime_type, "html": getattr(document, "text", "")},
                "status": {"args": {"sync_id": failing}, "result": wire(await client.call_tool("get_sync_status", {"sync_id": failing}))},
                "runs": {"args": {"sync_id": failing}, "result": runs},
                "run": {"args": {"sync_id": failing, "execution_id": last_failed},
                        "result": wire(await client.call_tool("get_sync_runs", {"sync_id": failing, "execution_id": last_failed}))},
                "bulk_runs": {"args": {"sync_id": bulk}, "result": bulk_runs},
                "bulk_run": {"args": {"sync_id": bulk, "execution_id": bulk_run_id}, "result": bulk_run},
                "running": {"args": {"sync_id": bulk}, "result": running},
                "model_running": {"args": {"sync_id": hourly}, "result": model_running},
            }

    return anyio.run(collect)


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    collected = demo_results()
    view = collected["view"]
    assert view["uri"] == SYNC_VIEW.uri and view["mime_type"] == "text/html;profile=mcp-app" and view["html"]
    return collected


@pytest.fixture(scope="module")
def host() -> Iterator[ViewHost]:
    with view_host() as opened:
        yield opened


def show(host: ViewHost, results: dict[str, dict[str, Any]], case: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Draw ``case`` in the view document the server served."""
    return host.show(results["view"]["html"], case["args"], case["result"], **options)


def test_the_failing_sync_status_names_it_and_its_rejections(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    record = show(host, results, results["status"])
    assert record["bridge"] == "AppBridge" and record["initialized"] and record["messages"][0]["method"] == "ui/initialize"
    assert host.texts("#sync-name") == [FAILING]
    assert "failed" in host.texts("#last-run .badge")
    reasons = host.texts("#errors tbody tr")
    assert len(reasons) == 5 and any("STRING_TOO_LONG" in reason for reason in reasons)
    host.screenshot("view-sync-status")


def test_the_runs_of_the_failing_sync_as_a_chart(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    runs = results["runs"]["result"]["structuredContent"]["runs"]
    show(host, results, results["runs"])
    assert host.count("#runs svg g.run") == len(runs) == 3
    assert [g.get_attribute("data-status") for g in host.find("#runs svg g.run")] == [r["status"] for r in reversed(runs)]
    assert host.count("#run-table tbody tr") == 3
    assert host.count("#errors tbody tr") == 5
    host.screenshot("view-sync-runs")


def test_a_failed_run_lists_each_rejected_record_with_its_reason(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    errors = results["run"]["result"]["structuredContent"]["record_errors"]
    show(host, results, results["run"])
    rows = host.texts("#rejected-table tbody tr")
    assert len(rows) == len(errors) == 5
    for row, error in zip(rows, errors, strict=True):
        assert error["identity"]["email"] in row and error["code"] in row and error["field"] in row
    assert host.texts("#rejected h2") == ["Rejected records (5)"]
    host.screenshot("view-sync-rejected")


def test_a_bulk_sync_shows_its_schemas(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    runs = results["bulk_runs"]["result"]["structuredContent"]["runs"]
    show(host, results, results["bulk_runs"])
    assert host.count("#runs svg g.run") == len(runs)
    assert host.count("#runs svg g.run rect[fill='var(--oth)']") == len(runs), "bulk runs give a total only: drawn as such"
    schemas = host.texts("#schema-table tbody td:first-child")
    assert schemas == [s["schema"] for s in runs[0]["schemas"]]
    host.screenshot("view-sync-bulk-runs")
    show(host, results, results["bulk_run"])
    assert host.count("#schema-table tbody tr") == len(results["bulk_run"]["result"]["structuredContent"]["run"]["schemas"])
    assert host.count("#console pre") == 1


def test_the_run_in_progress_with_its_progress(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    current = results["running"]["result"]["structuredContent"]["current_run"]
    assert current["status"] == "running"
    show(host, results, results["running"])
    assert host.texts("#sync-name") == [BULK]
    card = host.texts("#in-progress")[0]
    assert "Run in progress" in card and f"0 of {len(current['schemas'])} schemas done" in card
    assert host.find("#in-progress [role=progressbar]")[0].get_attribute("aria-valuenow") == "0"
    assert host.count("#schema-table tbody tr") == len(current["schemas"])
    assert host.texts("#last-run strong") == ["Last finished run"]
    host.screenshot("view-sync-in-progress")


def test_a_model_sync_run_in_progress_and_the_run_before_it(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    status = results["model_running"]["result"]["structuredContent"]
    assert status["current_run"]["status"] == "running" and status["last_run"]["status"] == "completed"
    show(host, results, results["model_running"])
    assert host.texts("#sync-name") == [HOURLY]
    assert host.count("#in-progress .bar.indeterminate") == 1, "a model run says no fraction done: no made-up percentage"
    assert "0 records so far" in host.texts("#in-progress")[0]
    assert host.texts("#last-run strong") == ["Last finished run"]
    assert "completed" in host.texts("#last-run .badge")


HOSTILE = '<script>parent.postMessage({pwned: 1}, "*"); document.title = "pwned"</script><img src=x onerror="document.title=\'pwned\'">'


def test_workspace_data_is_shown_as_text_never_run(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    case = copy.deepcopy(results["status"])
    data = case["result"]["structuredContent"]
    data["name"] = HOSTILE
    data["last_run"]["errors"][0] = HOSTILE
    case["result"]["content"] = [{"type": "text", "text": json.dumps(data)}]
    record = show(host, results, case)
    assert host.texts("#sync-name") == [HOSTILE]
    assert any(HOSTILE in row for row in host.texts("#errors tbody tr"))
    assert host.count("main script, main img") == 0
    assert host.driver.execute_script("return document.title") == "Polytomic sync"
    assert not [m for m in record["messages"] if isinstance(m, dict) and "pwned" in m]
    host.driver.switch_to.default_content()
    assert not host.driver.execute_script("return host.messages.filter(function (m) { return m && m.pwned; }).length")


def test_five_thousand_runs_are_drawn_within_a_second_and_capped(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    """get_sync_runs returns at most 50 runs; a host may still pass a longer history, so the view caps what it draws."""
    case = copy.deepcopy(results["runs"])
    real = case["result"]["structuredContent"]["runs"]
    history = []
    for i in range(5000):
        run = copy.deepcopy(real[i % len(real)])
        run["id"] = f"run-{i}"
        run["records"] = {"total": 10 + i % 90, "inserted": i % 50, "updated": 10 + i % 40 - i % 7, "errored": i % 7}
        history.append(run)
    case["result"]["structuredContent"]["runs"] = history
    record = show(host, results, case)
    assert host.count("#runs svg g.run") == 60
    assert host.texts("#runs-capped") == ["Showing the latest 60 of 5,000 runs."]
    assert host.count("#run-table tbody tr") == 15
    assert record["rendered"] < 1000, f"drawn in {record['rendered']:.0f} ms"
    print(f"5,000 runs: drawn in {record['rendered']:.0f} ms")


def background(host: ViewHost) -> tuple[int, ...]:
    color = host.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    return tuple(int(part) for part in color[color.index("(") + 1:color.index(")")].split(",")[:3])


def test_dark_and_400_px_wide(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    show(host, results, results["runs"], theme="dark", width=400)
    assert sum(background(host)) < 150, "the host's dark theme is followed"
    assert host.driver.execute_script("return document.documentElement.scrollWidth") <= 400, "no sideways scrolling at 400 px"
    assert host.count("#runs svg g.run") == 3
    host.screenshot("view-sync-runs-dark-400")
    show(host, results, results["runs"], theme="light", width=400)
    assert sum(background(host)) > 600
    host.screenshot("view-sync-runs-400")


def test_the_system_dark_preference_without_a_host_theme(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    host.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        show(host, results, results["status"], theme="")
        assert sum(background(host)) < 150
    finally:
        host.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_an_error_result_is_shown_as_such(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    error = {"content": [{"type": "text", "text": "No sync 'nope'. Call list_syncs to see valid ids."}], "isError": True}
    show(host, results, {"args": {"sync_id": "nope"}, "result": error})
    assert host.texts("h1") == ["The tool reported an error"]
    assert "Call list_syncs" in host.texts("main")[0]
