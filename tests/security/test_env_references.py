"""``{"$env": ...}`` is accepted exactly where it is resolved, and only in secret fields: list items included."""

from __future__ import annotations

from typing import Any

import mcp_types as types
import pytest
from api_support import ApiDouble, api_session
from server_support import call_error

from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.tools.core.secrets import Reference, resolve_env_references

pytestmark = pytest.mark.anyio

SECRET = "env-secret-value-31415926"


async def yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    """The person agrees to whatever is asked: only the placement check may stop the request."""
    return types.ElicitResult(action="accept", content={"confirm": True})


@pytest.mark.parametrize("body", [
    {"queries": [{"$env": "POLYTOMIC_SECRET_X"}]},
    {"queries": ["find users", [{"$env": "POLYTOMIC_SECRET_X"}]]},
], ids=["list-item", "nested-list-item"])
async def test_a_reference_as_a_list_item_of_an_ordinary_field_is_refused_unsent(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, body: dict[str, Any],
) -> None:
    monkeypatch.setenv("POLYTOMIC_SECRET_X", SECRET)
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double, elicitation_callback=yes) as client:
        text = await call_error(client, "call_api", {"operation": "operations.search", "body": body})
    assert "'queries[]" in text and "refused" in text and "Nothing was sent" in text and SECRET not in text
    assert double.sent == []


async def test_a_reference_in_a_connect_whitelist_is_refused_unsent(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYTOMIC_SECRET_X", SECRET)
    double = ApiDouble(sandbox)
    async with api_session(sandbox, double, elicitation_callback=yes) as client:
        text = await call_error(client, "call_api", {"operation": "connections.connect", "body": {
            "name": "c", "redirect_url": "https://example.com/done", "whitelist": [{"$env": "POLYTOMIC_SECRET_X"}]}})
    assert "'whitelist[]'" in text and "Nothing was sent" in text
    assert double.sent == []


def test_the_check_sees_exactly_the_references_that_are_resolved() -> None:
    value = {"password": {"$env": "POLYTOMIC_SECRET_A"}, "hosts": [{"$env": "POLYTOMIC_SECRET_B"}, {"x": [[{"$env": "POLYTOMIC_SECRET_C"}]]}],
             "headers": [{"name": "h", "value": {"$env": "POLYTOMIC_SECRET_D"}}], "not": {"$env": "POLYTOMIC_SECRET_E", "other": 1}}
    environ = {f"POLYTOMIC_SECRET_{n}": f"value-{n}" for n in "ABCDE"}
    checked: list[Reference] = []
    read: list[str] = []
    resolved = resolve_env_references(value, placed=checked.extend, registry=read.append, environ=environ)
    assert [r.path for r in checked] == ["password", "hosts[]", "hosts[].x[][]", "headers[].value"]
    assert [r.key for r in checked] == ["password", "hosts", "x", "value"]
    assert read == ["value-A", "value-B", "value-C", "value-D"]
    assert resolved["hosts"] == ["value-B", {"x": [["value-C"]]}] and resolved["not"] == value["not"]
