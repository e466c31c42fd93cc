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


def demo_results() -> dict[str, dict[str, Any]]:
    """Real tool results, wire form, from an Apps client on the demo workspace."""

    async def collect() -> dict[str, dict[str, Any]]:
        async with demo_session(apps=True) as client:
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
            return {
                "status": {"args": {"sync_id": failing}, "result": wire(await client.call_tool("get_sync_status", {"sync_id": failing}))},
                "runs": {"args": {"sync_id": failing}, "result": runs},
                "run": {"args": {"sync_id": failing, "execution_id": last_failed},
                        "result": wire(await client.call_tool("get_sync_runs", {"sync_id": failing, "execution_id": last_failed}))},
                "bulk_runs": {"args": {"sync_id": bulk}, "result": bulk_runs},
                "bulk_run": {"args": {"sync_id": bulk, "execution_id": bulk_run_id}, "result": bulk_run},
                "running": {"args": {"sync_id": bulk}, "result": running},
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
    assert record["bridge"] == "AppBridge" and record["initialized"] and record["messages"][0]["method"] == "ui/initialize"
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


def test_a_failed_run_lists_each_rejected_record_with_its_reason(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    errors = results["run"]["result"]["structuredContent"]["record_errors"]
    show(host, results["run"])
    rows = host.texts("#rejected-table tbody tr")
    assert len(rows) == len(errors) == 5
    for row, error in zip(rows, errors, strict=True):
        assert error["identity"]["email"] in row and error["code"] in row and error["field"] in row
    assert host.texts("#rejected h2") == ["Rejected records (5)"]
    host.screenshot("view-sync-rejected")


def test_a_bulk_sync_shows_its_schemas(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    runs = results["bulk_runs"]["result"]["structuredContent"]["runs"]
    show(host, results["bulk_runs"])
    assert host.count("#runs svg g.run") == len(runs)
    assert host.count("#runs svg g.run rect[fill='var(--oth)']") == len(runs), "bulk runs give a total only: drawn as such"
    schemas = host.texts("#schema-table tbody td:first-child")
    assert schemas == [s["schema"] for s in runs[0]["schemas"]]
    host.screenshot("view-sync-bulk-runs")
    show(host, results["bulk_run"])
    assert host.count("#schema-table tbody tr") == len(results["bulk_run"]["result"]["structuredContent"]["run"]["schemas"])
    assert host.count("#console pre") == 1


def test_the_run_in_progress_with_its_progress(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    current = results["running"]["result"]["structuredContent"]["current_run"]
    assert current["status"] == "running"
    show(host, results["running"])
    assert host.texts("#sync-name") == [BULK]
    card = host.texts("#in-progress")[0]
    assert "Run in progress" in card and f"0 of {len(current['schemas'])} schemas done" in card
    assert host.find("#in-progress [role=progressbar]")[0].get_attribute("aria-valuenow") == "0"
    assert host.count("#schema-table tbody tr") == len(current["schemas"])
    host.screenshot("view-sync-in-progress")


HOSTILE = '<script>parent.postMessage({pwned: 1}, "*"); document.title = "pwned"</script><img src=x onerror="document.title=\'pwned\'">'


def test_workspace_data_is_shown_as_text_never_run(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    case = copy.deepcopy(results["status"])
    data = case["result"]["structuredContent"]
    data["name"] = HOSTILE
    data["last_run"]["errors"][0] = HOSTILE
    case["result"]["content"] = [{"type": "text", "text": json.dumps(data)}]
    record = show(host, case)
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
    record = show(host, case)
    assert host.count("#runs svg g.run") == 60
    assert host.texts("#runs-capped") == ["Showing the latest 60 of 5,000 runs."]
    assert host.count("#run-table tbody tr") == 15
    assert record["rendered"] < 1000, f"drawn in {record['rendered']:.0f} ms"
    print(f"5,000 runs: drawn in {record['rendered']:.0f} ms")


def background(host: ViewHost) -> tuple[int, ...]:
    color = host.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    return tuple(int(part) for part in color[color.index("(") + 1:color.index(")")].split(",")[:3])


def test_dark_and_400_px_wide(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    show(host, results["runs"], theme="dark", width=400)
    assert sum(background(host)) < 150, "the host's dark theme is followed"
    assert host.driver.execute_script("return document.documentElement.scrollWidth") <= 400, "no sideways scrolling at 400 px"
    assert host.count("#runs svg g.run") == 3
    host.screenshot("view-sync-runs-dark-400")
    show(host, results["runs"], theme="light", width=400)
    assert sum(background(host)) > 600
    host.screenshot("view-sync-runs-400")


def test_the_system_dark_preference_without_a_host_theme(host: ViewHost, results: dict[str, dict[str, Any]]) -> None:
    host.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        show(host, results["status"], theme="")
        assert sum(background(host)) < 150
    finally:
        host.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
