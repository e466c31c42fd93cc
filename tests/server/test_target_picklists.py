"""list_target_objects names the values a picklist field takes, so an agent can fix a rejected value before the run."""

from __future__ import annotations

import pytest
from server_support import call_ok, mcp_session

from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox

pytestmark = pytest.mark.anyio


async def test_a_restricted_picklist_lists_its_values_and_plain_fields_do_not() -> None:
    sandbox = Sandbox.with_demo_workspace()
    salesforce = next(c for c in sandbox.workspace(DEMO_API_KEY).connections.values() if c.type["id"] == "salesforce")
    async with mcp_session(sandbox, api_key=DEMO_API_KEY) as client:
        described = await call_ok(client, "list_target_objects", {"connection_id": salesforce.id, "target_object": "Contact"})
    fields = {f["id"]: f for f in described["fields"]}
    assert fields["Customer_Tier__c"]["values"] == ["Free", "Pro", "Enterprise"]
    assert "values" not in fields["Email"]
