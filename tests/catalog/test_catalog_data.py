"""The committed catalog: what the SDK generates today, every operation of ALL_PATHS in it, typed tools that exist."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from polytomic_mcp.catalog import Operation, find, load, lookup
from polytomic_mcp.tools import ToolName

ALL_PATHS = "ALL_PATHS_2025-09-18.txt"
LINE = re.compile(r"^(?P<method>[A-Z]+)\s+(?P<path>/\S*)\s+\((?P<sdk>[^)]+)\)\s*$")
CATALOG_TEXT = resources.files("polytomic_mcp.catalog").joinpath("operations.json").read_text(encoding="utf-8")


def all_paths(shared_api: Path) -> list[re.Match[str]]:
    """The operation lines of ALL_PATHS (comments skipped); every other line must parse."""
    lines = [line for line in (shared_api / ALL_PATHS).read_text().splitlines() if line.strip() and not line.startswith("#")]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), [line for line, match in zip(lines, matches, strict=True) if match is None]
    return [match for match in matches if match is not None]


def test_every_operation_of_all_paths_is_found_by_its_method_and_path(shared_api: Path) -> None:
    lines = all_paths(shared_api)
    assert len(lines) == 198
    for line in lines:
        raw = line.group(0).split("(")[0]
        operation = find(raw)
        assert (operation.method, operation.path) == (line["method"], line["path"]), raw
        assert operation.id == line["sdk"].replace("/", "."), raw
        assert find(line["sdk"]) is operation, "ALL_PATHS' own spelling of the SDK method finds it too"
    assert {(op.method, op.path) for op in load()} == {(line["method"], line["path"]) for line in lines}


def test_the_catalog_holds_198_distinct_operations_sorted_by_path_and_method() -> None:
    operations = load()
    assert len(operations) == 198
    assert len({op.id for op in operations}) == len({op.key for op in operations}) == 198
    assert list(operations) == sorted(operations, key=lambda op: (op.path, op.method))


def test_the_file_is_compact_and_canonical() -> None:
    size = len(CATALOG_TEXT.encode())
    assert size < 200_000, f"operations.json is {size} bytes"
    entries = json.loads(CATALOG_TEXT)
    for entry in entries:
        assert json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")) in CATALOG_TEXT
        Operation.model_validate(entry)


def test_each_path_parameter_appears_in_its_path_and_no_other_placeholder_does() -> None:
    for op in load():
        assert re.findall(r"\{([^}]+)\}", op.path) == list(op.path_params), op.key


def test_summaries_are_one_short_clean_line() -> None:
    for op in load():
        assert 0 < len(op.summary) <= 120, op.id
        assert not re.search(r"[\n`\[\]]|\]\(", op.summary), (op.id, op.summary)


def test_body_shapes_record_required_fields_and_nested_types() -> None:
    schedule = find("POST /api/bulk/syncs/{sync_id}/schedules")
    assert schedule.required_body_fields == ("schedule",)
    assert schedule.body is not None
    assert schedule.body["schedule*"]["frequency*"].startswith("manual|continuous|hourly|daily")
    create = find("POST /api/connections")
    assert set(create.required_body_fields) == {"configuration", "name", "type"}
    assert find("GET /api/webhooks").body is None
    assert find("POST /api/connections/{connection_id}/query").body == {}, "the SDK sends {} and the query as a parameter"
    assert find("POST /api/connections/{connection_id}/query").query_names == ("query",)


def test_typed_tools_name_real_tools_and_cover_the_typed_operations() -> None:
    tools = {tool.value for tool in ToolName}
    named = {op.typed_tool for op in load() if op.typed_tool}
    assert named <= tools, named - tools
    expected = {
        "GET /api/connections": "list_connections",
        "POST /api/connections": "create_connection",
        "PUT /api/connections/{id}": "update_connection",
        "DELETE /api/connections/{id}": "delete",
        "GET /api/connection_types": "list_connection_types",
        "GET /api/connection_types/{id}": "list_connection_types",
        "POST /api/syncs": "create_sync",
        "GET /api/syncs/{id}/status": "get_sync_status",
        "POST /api/syncs/{sync_id}/executions/{id}/cancel": "cancel_sync_run",
        "POST /api/bulk/syncs": "create_bulk_sync",
        "POST /api/bulk/syncs/{id}/executions": "start_sync",
        "GET /api/connections/{id}/modelsync/targetobjects": "list_target_objects",
        "GET /api/connections/{id}/bulksync/source": "list_source_objects",
        "POST /api/connections/{id}/schemas/refresh": None,  # list_source_objects refreshes sources only: call_api for all
        "DELETE /api/models/{id}": "delete",
    }
    assert {key: find(key).typed_tool for key in expected} == expected
    assert find("GET /api/webhooks").typed_tool is None


def test_lookup_is_tolerant_of_spacing_and_case_of_the_method_only() -> None:
    op = find("GET /api/bulk/syncs/{sync_id}/schedules/{schedule_id}")
    assert find("  get    /api/bulk/syncs/{sync_id}/schedules/{schedule_id}  ") is op
    assert find("bulk_sync.schedules.get") is op
    assert lookup("GET /API/BULK/SYNCS") is None, "paths are case-sensitive"
