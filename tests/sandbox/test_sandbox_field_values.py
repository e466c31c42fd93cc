"""A run writes each value as its target field takes it: converted to the field's type, or the record rejected in the
destination's words (type, restricted picklist, length, lookup id), and the target's picklists are listed like the API."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import EMPTY_API_KEY, POSTGRES_CONFIG, contact_sync_body, create, log_lines, salesforce_connection

from polytomic_mcp.sandbox.domain.field_values import write
from polytomic_mcp.sandbox.world import salesforce_id, system_for

pytestmark = pytest.mark.anyio

LONG_TITLE = "Principal Engineer, " * 8


def _field(vendor: str, obj: str, field_id: str) -> Any:
    return system_for(vendor).targets[obj].by_id[field_id]


@pytest.mark.parametrize(("obj", "field_id", "value", "written"), [
    ("Account", "NumberOfEmployees", "42", 42),
    ("Account", "NumberOfEmployees", "42.0", 42),
    ("Account", "NumberOfEmployees", 240.0, 240),
    ("Account", "AnnualRevenue", "12.5", 12.5),
    ("Account", "AnnualRevenue", "3", 3),
    ("Campaign", "IsActive", "yes", True),
    ("Campaign", "IsActive", "TRUE", True),
    ("Campaign", "IsActive", "0", False),
    ("Campaign", "StartDate", "2025-09-01T23:22:13Z", "2025-09-01"),
    ("Campaign", "StartDate", "2025-09-01", "2025-09-01"),
    ("Contact", "Title", 42, "42"),
    ("Contact", "Title", True, "true"),
    ("Contact", "LeadSource", "Webinar", "Webinar"),
    ("Contact", "Customer_Tier__c", "Pro", "Pro"),
    ("Contact", "AccountId", salesforce_id("001", 3), salesforce_id("001", 3)),
])
def test_a_value_that_reads_as_the_field_type_is_converted(obj: str, field_id: str, value: Any, written: Any) -> None:
    converted, problem = write(_field("salesforce", obj, field_id), value, vendor="salesforce", ids=lambda o: {salesforce_id("001", 3)})
    assert problem is None and converted == written and type(converted) is type(written)


def test_a_datetime_is_written_in_utc() -> None:
    closes = _field("hubspot", "deals", "closedate")
    assert write(closes, "2025-09-01T12:22:13+02:00", vendor="hubspot", ids=lambda o: set()) == ("2025-09-01T10:22:13Z", None)
    assert write(closes, "2025-09-01", vendor="hubspot", ids=lambda o: set()) == ("2025-09-01T00:00:00Z", None)


@pytest.mark.parametrize(("obj", "field_id", "value", "code", "says"), [
    ("Account", "NumberOfEmployees", "1,200", "INVALID_TYPE", "is not a valid integer"),
    ("Account", "NumberOfEmployees", 42.5, "INVALID_TYPE", "is not a valid integer"),
    ("Account", "NumberOfEmployees", True, "INVALID_TYPE", "is not a valid integer"),
    ("Account", "AnnualRevenue", "n/a", "INVALID_TYPE", "is not a valid number"),
    ("Campaign", "IsActive", "maybe", "INVALID_TYPE", "is not a valid boolean"),
    ("Campaign", "StartDate", "yesterday", "INVALID_TYPE", "is not a valid date"),
    ("Contact", "Customer_Tier__c", "Gold", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
     "bad value for restricted picklist field: Gold (valid: Free, Pro, Enterprise)"),
    ("Contact", "Customer_Tier__c", "pro", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value for restricted picklist field: pro"),
    ("Contact", "Title", LONG_TITLE, "STRING_TOO_LONG", "data value too large: Principal Engineer"),
    ("Contact", "AccountId", "Orbital Math", "MALFORMED_ID", "id value of incorrect type: Orbital Math (expected the id of a record of Account)"),
    ("Contact", "AccountId", salesforce_id("001", 999), "INVALID_CROSS_REFERENCE_KEY", "no Account has this id"),
    ("Contact", "AccountId", salesforce_id("003", 1), "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"),
])
def test_a_value_that_does_not_fit_is_rejected_in_salesforce_words(obj: str, field_id: str, value: Any, code: str, says: str) -> None:
    accounts = {str(r["Id"]) for r in system_for("salesforce").tables["Account"].records}
    written, problem = write(_field("salesforce", obj, field_id), value, vendor="salesforce", ids=lambda o: accounts if o == "Account" else set())
    assert problem is not None and written == value
    assert (problem.code, problem.field) == (code, field_id) and problem.message.startswith(f"{field_id}: ") and says in problem.message


def test_hubspot_names_an_option_outside_its_enumeration_its_own_way() -> None:
    stage = _field("hubspot", "contacts", "lifecyclestage")
    _, problem = write(stage, "Customer", vendor="hubspot", ids=lambda o: set())
    assert problem is not None and problem.code == "INVALID_OPTION"
    assert problem.message.startswith("lifecyclestage: Customer was not one of the allowed options: [subscriber, lead,")
    assert write(stage, "customer", vendor="hubspot", ids=lambda o: set()) == ("customer", None)


def test_an_unrestricted_picklist_and_empty_values_pass() -> None:
    assert write(_field("salesforce", "Contact", "LeadSource"), "Webinar", vendor="salesforce", ids=lambda o: set())[1] is None
    for value in (None, "", "  "):
        assert write(_field("salesforce", "Contact", "AccountId"), value, vendor="salesforce", ids=lambda o: set()) == (value, None)


async def test_target_fields_list_picklist_values_and_only_for_picklists(sandbox, client) -> None:
    sf = await salesforce_connection(client, sandbox)
    fields = (await client.get(f"/api/connections/{sf['id']}/modelsync/target/fields", params={"target": "Contact"})).json()["data"]["fields"]
    by_id = {f["id"]: f for f in fields}
    assert by_id["Customer_Tier__c"]["values"] == [{"value": v, "label": v} for v in ("Free", "Pro", "Enterprise")]
    assert [v["value"] for v in by_id["LeadSource"]["values"]][:2] == ["Web", "Phone Inquiry"]
    assert "values" not in by_id["Title"] and "values" not in by_id["AccountId"]


BAD_ROWS = f"""
SELECT email, first_name, last_name,
  CASE email WHEN 'alan@bletchley.io' THEN '{LONG_TITLE}' ELSE 'Engineer' END AS title,
  CASE email WHEN 'grace.hopper@cobolworks.com' THEN 'Gold' ELSE 'Pro' END AS tier,
  CASE email WHEN 'kjohnson@orbitalmath.org' THEN 'Orbital Math'
             WHEN 'linus@kernelcraft.dev' THEN '{salesforce_id("001", 999)}'
             ELSE '{salesforce_id("001", 0)}' END AS account,
  CASE email WHEN 'margaret@apolloguidance.com' THEN 'n/a' ELSE '1200.50' END AS ltv
FROM public.users
"""


async def test_a_run_rejects_each_misfit_with_its_code_and_writes_the_rest_converted(sandbox, client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    model = await create(client, "/api/models", {"name": "Contacts", "connection_id": pg["id"], "configuration": {"query": BAD_ROWS}})
    sf = await salesforce_connection(client, sandbox)
    mid = model["id"]
    sync = await create(client, "/api/syncs", contact_sync_body(mid, sf["id"], mode="create", identities={"mappings": []}, fields=[
        {"source": {"model_id": mid, "field": name}, "target": target}
        for name, target in [("email", "Email"), ("last_name", "LastName"), ("title", "Title"), ("tier", "Customer_Tier__c"),
                             ("account", "AccountId"), ("ltv", "Lifetime_Value__c")]]))
    started = (await client.post(f"/api/syncs/{sync['id']}/executions", json={})).json()["data"]
    path = f"/api/syncs/{sync['id']}/executions/{started['id']}"
    for _ in range(3):
        done = (await client.get(path)).json()["data"]
    assert done["status"] == "completed" and done["counts"]["total"] == 12 and done["counts"]["insert"] == 7 and done["counts"]["error"] == 5
    errors = {line["identity"]["email"]: (line["code"], line["field"]) for line in await log_lines(sandbox, client, path, "errors")}
    assert errors == {
        "alan@bletchley.io": ("STRING_TOO_LONG", "Title"),
        "grace.hopper@cobolworks.com": ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Customer_Tier__c"),
        "kjohnson@orbitalmath.org": ("MALFORMED_ID", "AccountId"),
        "linus@kernelcraft.dev": ("INVALID_CROSS_REFERENCE_KEY", "AccountId"),
        "margaret@apolloguidance.com": ("INVALID_TYPE", "Lifetime_Value__c"),
    }
    inserted = {line["identity"]["email"]: line["fields"] for line in await log_lines(sandbox, client, path, "inserts")}
    assert inserted["ada@analyticalengines.com"]["Lifetime_Value__c"] == 1200.5
    assert any("STRING_TOO_LONG" in e for e in done["errors"]) is False, "a partly rejected run completes without run errors"


async def test_a_record_with_several_misfits_lists_them_all(sandbox, client) -> None:
    pg = await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})
    query = "SELECT email, last_name, 'Gold' AS tier, 'Acme Corp' AS account FROM public.users WHERE email = 'don@taocp.org'"
    model = await create(client, "/api/models", {"name": "One", "connection_id": pg["id"], "configuration": {"query": query}})
    sf = await salesforce_connection(client, sandbox)
    mid = model["id"]
    sync = await create(client, "/api/syncs", contact_sync_body(mid, sf["id"], fields=[
        {"source": {"model_id": mid, "field": name}, "target": target}
        for name, target in [("last_name", "LastName"), ("tier", "Customer_Tier__c"), ("account", "AccountId")]]))
    execution = sandbox.workspace(EMPTY_API_KEY).run_sync(sync["id"])
    path = f"/api/syncs/{sync['id']}/executions/{execution.id}"
    (line,) = await log_lines(sandbox, client, path, "errors")
    assert execution.status == "failed"
    assert (line["code"], line["fields"]) == ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ["Customer_Tier__c"])
    assert [(e["code"], e["field"]) for e in line["errors"]] == [
        ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Customer_Tier__c"), ("MALFORMED_ID", "AccountId")]
