"""One full-output snapshot per tool, a success and a typical error: a change in what the model reads is reviewed here.

After a deliberate change, update the snapshots with
``python -m pytest tests/server/test_tool_snapshots.py --inline-snapshot=fix`` and review the diff.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import mcp_types as types
import pytest
from inline_snapshot import snapshot
from server_support import BASE_URL, mcp_session
from snapshot_support import Workspace
from workflow import SNOWFLAKE, bulk_args

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def say_yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    """The person answers yes to every question (the snapshots show what follows a yes)."""
    return types.ElicitResult(action="accept", content={"confirm": True})


@pytest.fixture
async def ws() -> AsyncIterator[Workspace]:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox, mode="legacy", elicitation_callback=say_yes) as client:
        workspace = Workspace(client, sandbox)
        await workspace.build()
        yield workspace


async def test_list_connection_types(ws: Workspace) -> None:
    assert await ws.call("list_connection_types", {"search": "mongo"}) == snapshot(
        {
            "types": [{"id": "mongodb", "name": "MongoDB", "oauth": False, "source": True, "destination": False}],
            "total": 1,
            "next_step": "Call list_connection_types(type=...) to see the configuration it needs.",
        }
    )
    assert await ws.call("list_connection_types", {"capability": "both"}) == snapshot(
        {
            "error": """\
Error executing tool list_connection_types: 1 validation error for list_connection_typesArguments
capability
  Input should be 'source' or 'destination' [type=literal_error, input_value='both', input_type=str]
    For further information visit https://errors.pydantic.dev/<version>/v/literal_error\
"""
        }
    )


async def test_list_connection_types_one(ws: Workspace) -> None:
    assert await ws.call("list_connection_types", {"type": "mongodb"}) == snapshot(
        {
            "id": "mongodb",
            "name": "MongoDB",
            "oauth": False,
            "source": True,
            "destination": False,
            "required": [{"name": "hosts", "type": "string", "description": "Hostname(s)"}],
            "optional": [
                {"name": "username", "type": "string", "description": "Username"},
                {"name": "password", "type": "string", "secret": True, "description": "Password"},
                {"name": "database", "type": "string", "description": "Auth Database"},
                {"name": "ssl", "type": "boolean", "default": True, "description": "Use TLS/SSL"},
                {"name": "srv", "type": "boolean", "description": "Connect using SRV record?"},
                {"name": "params", "type": "string", "description": "Additional Parameters"},
                {"name": "change_detection", "type": "boolean", "default": False, "description": "Use change stream for bulk syncs"},
            ],
            "example_configuration": {"hosts": "<hosts>"},
            "next_step": "Call create_connection(name, type='mongodb', configuration).",
        }
    )
    assert await ws.call("list_connection_types", {"type": "mongo"}) == snapshot(
        {
            "error": "Error executing tool list_connection_types: Unknown connection type 'mongo' (did you mean 'mongodb'?). Call list_connection_types(search=...) to find the right id."
        }
    )


async def test_create_connection(ws: Workspace) -> None:
    postgres = {"hostname": "db.example.com", "username": "sync", "database": "acme", "password": "pw-for-snapshot"}
    assert await ws.call("create_connection", {"name": "Warehouse", "type": "postgresql", "configuration": postgres}) == snapshot(
        {"consent": "not needed", "id": "<id5>",
            "name": "Warehouse",
            "type": "postgresql",
            "status": "healthy",
            "configuration": {
                "hostname": "db.example.com",
                "username": "sync",
                "database": "acme",
                "password": "******",
                "port": 5432,
                "ssl": True,
                "ssh_user": "root",
                "ssh_port": 22,
                "client_certs": False,
                "change_detection": False,
            },
            "next_step": "Use the id in create_model or create_bulk_sync (source), or list_target_objects (destination).",
            "untrusted": ["name", "configuration"],
            "<marked as workspace data>": ["name", "configuration"],
        }
    )
    assert await ws.call("create_connection", {"name": "Broken", "type": "postgresql", "configuration": {"hostname": "h"}}) == snapshot(
        {
            "error": "Error executing tool create_connection: Connection 'Broken' was not created, 3 problem(s): missing required field 'username' (Username); missing required field 'password' (Password); missing required field 'database' (Database). Call list_connection_types(type='postgresql') to see every field."
        }
    )


async def test_list_connections(ws: Workspace) -> None:
    assert await ws.call("list_connections", {}) == snapshot(
        {
            "connections": [
                {"id": "<salesforce>", "name": "Salesforce Connection", "type": "salesforce", "status": "healthy"},
                {"id": "<mongo>", "name": "MongoDB Connection", "type": "mongodb", "status": "healthy"},
            ],
            "total": 2,
            "untrusted": ["connections[].name"],
            "<marked as workspace data>": ["connections"],
        }
    )
    assert await ws.call("list_connections", {"cursor": "not-a-cursor"}) == snapshot(
        {"error": "Error executing tool list_connections: Invalid cursor: pass the `next_cursor` value from the previous result unchanged."}
    )


async def test_list_connections_one(ws: Workspace) -> None:
    assert await ws.call("list_connections", {"connection_id": ws.ids["mongo"]}) == snapshot(
        {
            "id": "<mongo>",
            "name": "MongoDB Connection",
            "type": "mongodb",
            "status": "healthy",
            "configuration": {"hosts": "example.mongodb.net", "username": "user", "password": "******", "ssl": True, "change_detection": False},
            "untrusted": ["name", "configuration"],
            "<marked as workspace data>": ["name", "configuration"],
        }
    )
    assert await ws.call("list_connections", {"connection_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool list_connections: Could not get connection 'missing': not found <workspace-data>connection \"missing\" not found</workspace-data>. Call list_connections to see valid connection ids."
        }
    )


async def test_list_source_objects(ws: Workspace) -> None:
    assert await ws.call("list_source_objects", {"connection_id": ws.ids["mongo"], "params": {"database": "example"}}) == snapshot(
        {
            "connection_id": "<mongo>",
            "requires_one_of": ["collection"],
            "choices": {"database": ["acme", "analytics", "example"], "collection": ["accounts", "events", "orders", "users"]},
            "next_step": "Call again with params to drill down, or create_model(connection_id, configuration=params).",
            "untrusted": ["choices"],
            "<marked as workspace data>": ["choices"],
        }
    )
    assert await ws.call("list_source_objects", {"connection_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool list_source_objects: Could not get connection 'missing': not found <workspace-data>connection \"missing\" not found</workspace-data>. Call list_connections to see valid connection ids."
        }
    )


async def test_create_model(ws: Workspace) -> None:
    arguments = {"name": "Users again", "connection_id": ws.ids["mongo"], "configuration": {"database": "example", "collection": "users"}}
    assert await ws.call("create_model", arguments) == snapshot(
        {"consent": "not needed", "id": "<id5>",
            "name": "Users again",
            "connection_id": "<mongo>",
            "configuration": {"database": "example", "collection": "users"},
            "fields": [
                {"name": "_id", "type": "string"},
                {"name": "account_id", "type": "string"},
                {"name": "email", "type": "string"},
                {"name": "first_name", "type": "string"},
                {"name": "last_name", "type": "string"},
                {"name": "phone", "type": "string"},
                {"name": "company", "type": "string"},
                {"name": "plan", "type": "string"},
                {"name": "country", "type": "string"},
                {"name": "is_active", "type": "boolean"},
                {"name": "lifetime_value", "type": "number"},
                {"name": "created_at", "type": "datetime"},
                {"name": "updated_at", "type": "datetime"},
            ],
            "next_step": "Map these fields with create_sync; find the destination object with list_target_objects.",
            "untrusted": ["name", "configuration", "fields[].name"],
            "<marked as workspace data>": ["name", "configuration", "fields"],
        }
    )
    arguments = {**arguments, "name": "Typo", "configuration": {"database": "example", "collection": "userz"}}
    assert await ws.call("create_model", arguments) == snapshot(
        {
            "error": 'Error executing tool create_model: Could not create model \'Typo\': the Polytomic job failed: <workspace-data>collection "userz" does not exist in database "example"; available: accounts, events, orders, users</workspace-data>'
        }
    )


async def test_list_models(ws: Workspace) -> None:
    assert await ws.call("list_models", {"search": "mongo"}) == snapshot(
        {
            "models": [{"id": "<model>", "name": "MongoDB Model", "connection_id": "<mongo>"}],
            "total": 1,
            "untrusted": ["models[].name"],
            "<marked as workspace data>": ["models"],
        }
    )
    assert await ws.call("list_models", {"cursor": "not-a-cursor"}) == snapshot(
        {"error": "Error executing tool list_models: Invalid cursor: pass the `next_cursor` value from the previous result unchanged."}
    )


async def test_list_models_one(ws: Workspace) -> None:
    assert await ws.call("list_models", {"model_id": ws.ids["model"], "sample": True}) == snapshot(
        {
            "id": "<model>",
            "name": "MongoDB Model",
            "connection_id": "<mongo>",
            "configuration": {"database": "example", "collection": "users"},
            "fields": [
                {"name": "_id", "type": "string"},
                {"name": "account_id", "type": "string"},
                {"name": "email", "type": "string"},
                {"name": "first_name", "type": "string"},
                {"name": "last_name", "type": "string"},
                {"name": "phone", "type": "string"},
                {"name": "company", "type": "string"},
                {"name": "plan", "type": "string"},
                {"name": "country", "type": "string"},
                {"name": "is_active", "type": "boolean"},
                {"name": "lifetime_value", "type": "number"},
                {"name": "created_at", "type": "datetime"},
                {"name": "updated_at", "type": "datetime"},
            ],
            "sample": [
                {
                    "_id": "65a1f0c2e4b0a1b2c3d40000",
                    "account_id": "64f0a9b1c2d3e4f5a6b70000",
                    "email": "ada@analyticalengines.com",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "phone": "+44 20 7946 0101",
                    "company": "Analytical Engines",
                    "plan": "enterprise",
                    "country": "GB",
                    "is_active": True,
                    "lifetime_value": 48250.0,
                    "created_at": "<time>",
                    "updated_at": "<time>",
                },
                {
                    "_id": "65a1f0c2e4b0a1b2c3d40001",
                    "account_id": "64f0a9b1c2d3e4f5a6b70001",
                    "email": "alan@bletchley.io",
                    "first_name": "Alan",
                    "last_name": "Turing",
                    "phone": "+44 1908 640404",
                    "company": "Bletchley Labs",
                    "plan": "pro",
                    "country": "GB",
                    "is_active": True,
                    "lifetime_value": 12900.5,
                    "created_at": "<time>",
                    "updated_at": "<time>",
                },
                {
                    "_id": "65a1f0c2e4b0a1b2c3d40002",
                    "account_id": "64f0a9b1c2d3e4f5a6b70002",
                    "email": "grace.hopper@cobolworks.com",
                    "first_name": "Grace",
                    "last_name": "Hopper",
                    "phone": "+1 212 555 0147",
                    "company": "COBOL Works",
                    "plan": "enterprise",
                    "country": "US",
                    "is_active": True,
                    "lifetime_value": 73110.0,
                    "created_at": "<time>",
                    "updated_at": "<time>",
                },
                {
                    "_id": "65a1f0c2e4b0a1b2c3d40003",
                    "account_id": "64f0a9b1c2d3e4f5a6b70003",
                    "email": "kjohnson@orbitalmath.org",
                    "first_name": "Katherine",
                    "last_name": "Johnson",
                    "phone": "+1 757 555 0193",
                    "company": "Orbital Math",
                    "plan": "pro",
                    "country": "US",
                    "is_active": True,
                    "lifetime_value": 8820.0,
                    "created_at": "<time>",
                    "updated_at": "<time>",
                },
                {
                    "_id": "65a1f0c2e4b0a1b2c3d40004",
                    "account_id": "64f0a9b1c2d3e4f5a6b70004",
                    "email": "linus@kernelcraft.dev",
                    "first_name": "Linus",
                    "last_name": "Torvalds",
                    "phone": "+1 503 555 0112",
                    "company": "Kernelcraft",
                    "plan": "free",
                    "country": "US",
                    "is_active": False,
                    "lifetime_value": 0.0,
                    "created_at": "<time>",
                    "updated_at": "<time>",
                },
            ],
            "untrusted": ["name", "configuration", "fields[].name", "sample"],
            "<marked as workspace data>": ["name", "configuration", "fields", "sample"],
        }
    )
    assert await ws.call("list_models", {"model_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool list_models: Could not get model 'missing': not found <workspace-data>model \"missing\" not found</workspace-data>. Call list_models to see valid ids."
        }
    )


async def test_list_target_objects(ws: Workspace) -> None:
    assert await ws.call("list_target_objects", {"connection_id": ws.ids["salesforce"], "search": "contact"}) == snapshot(
        {
            "connection_id": "<salesforce>",
            "objects": [
                {
                    "id": "Contact",
                    "modes": [
                        {"mode": "create", "requires_identity": False},
                        {"mode": "update", "requires_identity": True},
                        {"mode": "updateOrCreate", "requires_identity": True},
                        {"mode": "remove", "requires_identity": True},
                    ],
                }
            ],
            "total": 1,
            "next_step": "Call list_target_objects(connection_id, target_object=...) to see the fields to map.",
            "untrusted": ["objects[].id"],
            "<marked as workspace data>": ["objects"],
        }
    )
    assert await ws.call("list_target_objects", {"connection_id": ws.ids["mongo"]}) == snapshot(
        {
            "error": "Error executing tool list_target_objects: Connection 'MongoDB Connection' (mongodb) cannot be a sync destination: list_connection_types(capability='destination') shows which types can."
        }
    )


async def test_list_target_objects_fields(ws: Workspace) -> None:
    assert await ws.call("list_target_objects", {"connection_id": ws.ids["salesforce"], "target_object": "Lead"}) == snapshot(
        {
            "connection_id": "<salesforce>",
            "object": "Lead",
            "modes": [{"mode": "create", "requires_identity": False}, {"mode": "updateOrCreate", "requires_identity": True}],
            "fields": [
                {"id": "Id", "type": "string", "createable": False, "updateable": False, "identity_functions": ["Equality"]},
                {"id": "Email", "type": "string", "identity_functions": ["Equality", "ISubstring"]},
                {"id": "FirstName", "type": "string"},
                {"id": "LastName", "type": "string", "required": True},
                {"id": "Company", "type": "string", "required": True},
                {"id": "Status", "type": "string", "values": ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]},
                {"id": "LeadSource", "type": "string", "values": ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]},
                {"id": "Phone", "type": "string"},
                {"id": "Website", "type": "string", "identity_functions": ["DomainMatch", "HostnameMatch"]},
                {"id": "Country", "type": "string"},
            ],
            "next_step": "Call create_sync with fields mapping model fields to these ids (dry_run=true to check first).",
            "untrusted": ["fields[].id", "fields[].values"],
            "<marked as workspace data>": ["fields"],
        }
    )
    assert await ws.call("list_target_objects", {"connection_id": ws.ids["salesforce"], "target_object": "Contac"}) == snapshot(
        {
            "error": "Error executing tool list_target_objects: Target object 'Contac' does not exist on connection <salesforce> (did you mean 'Contact'?). Call list_target_objects('<salesforce>', search=...) to find it."
        }
    )


async def test_create_sync(ws: Workspace) -> None:
    source = {"model_id": ws.ids["model"]}
    arguments = {
        "name": "Emails to Leads",
        "mode": "create",
        "schedule": {"frequency": "manual"},
        "target": {"connection_id": ws.ids["salesforce"], "object": "Lead"},
        "fields": [{"source": {**source, "field": "last_name"}, "target": "LastName"}, {"source": {**source, "field": "company"}, "target": "Company"}],
    }
    assert await ws.call("create_sync", {**arguments, "dry_run": True}) == snapshot(
        {
            "created": False,
            "name": "Emails to Leads",
            "mode": "create",
            "target_object": "Lead",
            "checks": [],
            "request": {
                "name": "Emails to Leads",
                "mode": "create",
                "target": {"connection_id": "<salesforce>", "object": "Lead"},
                "fields": [
                    {"target": "LastName", "source": {"model_id": "<model>", "field": "last_name"}},
                    {"target": "Company", "source": {"model_id": "<model>", "field": "company"}},
                ],
                "schedule": {"frequency": "manual"},
            },
            "next_step": "No problems found; call create_sync again without dry_run to create it.",
        }
    )
    assert await ws.call("create_sync", {**arguments, "mode": "upsert"}) == snapshot(
        {
            "error": "Error executing tool create_sync: Sync 'Emails to Leads' (mode 'upsert') was not created, 1 problem(s): mode: object 'Lead' does not support mode 'upsert'; valid modes: 'create', 'updateOrCreate' (did you mean 'updateOrCreate'?)."
        }
    )


async def test_list_syncs(ws: Workspace) -> None:
    assert await ws.call("list_syncs", {}) == snapshot(
        {
            "syncs": [
                {
                    "id": "<sync>",
                    "name": "Mongo to Salesforce Sync",
                    "mode": "create",
                    "active": False,
                    "kind": "model",
                    "target_connection_id": "<salesforce>",
                    "target_object": "Contact",
                    "schedule": "continuous",
                }
            ],
            "total": 1,
            "untrusted": ["syncs[].name", "syncs[].target_object"],
            "<marked as workspace data>": ["syncs"],
        }
    )
    assert await ws.call("list_syncs", {"cursor": "not-a-cursor"}) == snapshot(
        {"error": "Error executing tool list_syncs: Invalid cursor: pass the `next_cursor` value from the previous result unchanged."}
    )


async def test_list_syncs_one(ws: Workspace) -> None:
    assert await ws.call("list_syncs", {"sync_id": ws.ids["sync"]}) == snapshot(
        {
            "id": "<sync>",
            "kind": "model",
            "name": "Mongo to Salesforce Sync",
            "mode": "create",
            "active": False,
            "target": {"connection_id": "<salesforce>", "object": "Contact"},
            "schedule": {"frequency": "continuous"},
            "identities": {"mappings": [{"source": {"model_id": "<model>", "field": "email"}, "target": "Email", "function": "Equality"}]},
            "fields": [
                {"source": {"model_id": "<model>", "field": "first_name"}, "target": "FirstName"},
                {"source": {"model_id": "<model>", "field": "last_name"}, "target": "LastName"},
            ],
            "model_ids": ["<model>"],
            "untrusted": ["name", "target", "identities", "fields"],
            "<marked as workspace data>": ["name", "target", "identities", "fields"],
        }
    )
    assert await ws.call("list_syncs", {"sync_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool list_syncs: Could not get sync 'missing': not found (no model sync or bulk sync has this id). Call list_syncs to see valid ids."
        }
    )


async def test_start_sync(ws: Workspace) -> None:
    assert await ws.call("start_sync", {"sync_id": ws.ids["sync"]}) == snapshot(
        {"consent": "not needed", "sync_id": "<sync>", "execution_id": "<id5>", "status": "created", "next_step": "Call get_sync_status('<sync>') to follow the run."}
    )
    assert await ws.call("start_sync", {"sync_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool start_sync: Could not get sync 'missing': not found (no model sync or bulk sync has this id). Call list_syncs to see valid ids."
        }
    )


async def test_get_sync_status(ws: Workspace) -> None:
    assert await ws.call("get_sync_status", {"sync_id": ws.ids["sync"]}) == snapshot(
        {
            "sync_id": "<sync>",
            "name": "Mongo to Salesforce Sync",
            "active": False,
            "summary": "Never run. Paused: its continuous schedule is off until activate_sync('<sync>', active=true); it runs only when started.",
            "next_step": "Call start_sync('<sync>') to run it now.",
            "untrusted": ["name"],
            "<marked as workspace data>": ["name"],
        }
    )
    assert await ws.call("get_sync_status", {"sync_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool get_sync_status: Could not get sync 'missing': not found (no model sync or bulk sync has this id). Call list_syncs to see valid ids."
        }
    )


async def test_activate_sync(ws: Workspace) -> None:
    assert await ws.call("activate_sync", {"sync_id": ws.ids["sync"], "active": False}) == snapshot(
        {"consent": "not needed", "id": "<sync>",
            "active": False,
            "note": "Paused until someone turns it on again: there is no automatic resume, so 'pause until Monday' means calling activate_sync(active=true) on Monday (or changing its schedule now). Pausing does not stop a run in progress; cancel_sync_run does.",
        }
    )
    assert await ws.call("activate_sync", {"sync_id": "missing", "active": False}) == snapshot(
        {
            "error": "Error executing tool activate_sync: Could not get sync 'missing': not found (no model sync or bulk sync has this id). Call list_syncs to see valid ids."
        }
    )


def test_every_tool_has_a_snapshot_test() -> None:
    from polytomic_mcp.tools import ToolName

    assert {f"test_{t.value}" for t in ToolName} <= set(globals())


async def test_update_connection(ws: Workspace) -> None:
    assert await ws.call("update_connection", {"connection_id": ws.ids["mongo"], "configuration": {"hosts": "cluster0.example.mongodb.net"}}) == snapshot(
        {"consent": "asked", "updated": True,
            "kind": "connection",
            "id": "<mongo>",
            "name": "MongoDB Connection",
            "changes": ["configuration.hosts", "configuration.password: re-sends the value this server set at <time> (unchanged since)"],
            "result": {
                "id": "<mongo>",
                "name": "MongoDB Connection",
                "type": "mongodb",
                "status": "healthy",
                "configuration": {"hosts": "cluster0.example.mongodb.net", "username": "user", "password": "******", "ssl": True, "change_detection": False},
            },
            "used_by": [
                {"kind": "model", "id": "<model>", "name": "MongoDB Model"},
                {"kind": "sync", "id": "<sync>", "name": "Mongo to Salesforce Sync"},
            ],
            "next_step": "Done; what uses it (used_by) runs with the new settings from its next run.",
            "untrusted": ["name", "result.name", "result.configuration", "used_by"],
            "<marked as workspace data>": ["name", "result", "used_by"],
        }
    )
    assert await ws.call("update_connection", {"connection_id": ws.ids["mongo"], "configuration": {"password": "******"}}) == snapshot(
        {
            "error": "Error executing tool update_connection: Nothing was changed: 'password' of connection 'MongoDB Connection' (<mongo>) was given as the mask '******' copied from a result; Polytomic would store the mask itself. Give the real value or {\"$env\": \"POLYTOMIC_SECRET_...\"}, or leave the field out to keep it."
        }
    )


async def test_update_model(ws: Workspace) -> None:
    assert await ws.call("update_model", {"model_id": ws.ids["model"], "name": "Mongo users", "dry_run": True}) == snapshot(
        {
            "updated": False,
            "kind": "model",
            "id": "<model>",
            "name": "Mongo users",
            "changes": ["name"],
            "request": {
                "name": "Mongo users",
                "connection_id": "<mongo>",
                "configuration": {"database": "example", "collection": "users"},
                "fields": [
                    "_id",
                    "account_id",
                    "email",
                    "first_name",
                    "last_name",
                    "phone",
                    "company",
                    "plan",
                    "country",
                    "is_active",
                    "lifetime_value",
                    "created_at",
                    "updated_at",
                ],
            },
            "next_step": "No problems found; call update_model again without dry_run to save it.",
            "untrusted": ["name", "request"],
            "<marked as workspace data>": ["name", "request"],
        }
    )
    assert await ws.call("update_model", {"model_id": ws.ids["model"], "fields": ["_id", "email"]}) == snapshot(
        {
            "error": "Error executing tool update_model: Nothing was changed in model 'MongoDB Model' (<model>), 1 problem(s): sync 'Mongo to Salesforce Sync' (<sync>) uses 'first_name', 'last_name', which the changed model would not have; change or delete that sync first."
        }
    )


async def test_update_sync(ws: Workspace) -> None:
    assert await ws.call("update_sync", {"sync_id": ws.ids["sync"], "schedule": {"frequency": "daily", "hour": "5", "minute": "0"}}) == snapshot(
        {"consent": "not needed", "updated": True,
            "kind": "sync",
            "id": "<sync>",
            "name": "Mongo to Salesforce Sync",
            "changes": ["schedule"],
            "result": {
                "id": "<sync>",
                "kind": "model",
                "name": "Mongo to Salesforce Sync",
                "mode": "create",
                "active": False,
                "target": {"connection_id": "<salesforce>", "object": "Contact"},
                "schedule": {"frequency": "daily", "minute": "0", "hour": "5"},
                "identities": {"mappings": [{"source": {"model_id": "<model>", "field": "email"}, "target": "Email", "function": "Equality"}]},
                "fields": [
                    {"source": {"model_id": "<model>", "field": "first_name"}, "target": "FirstName"},
                    {"source": {"model_id": "<model>", "field": "last_name"}, "target": "LastName"},
                ],
                "model_ids": ["<model>"],
            },
            "next_step": "Paused: its daily schedule is off until activate_sync('<sync>', active=true); it runs only when started. start_sync('<sync>') runs it now.",
            "untrusted": ["name", "result.name", "result.target", "result.identities", "result.fields"],
            "<marked as workspace data>": ["name", "result"],
        }
    )
    assert await ws.call("update_sync", {"sync_id": ws.ids["sync"], "schedule": {"frequency": "custom"}}) == snapshot(
        {
            "error": "Error executing tool update_sync: Nothing was changed in sync 'Mongo to Salesforce Sync' (<sync>), 1 problem(s): schedule: frequency 'custom' is a cron schedule and needs all of 'minute', 'hour', 'day_of_month', 'month', 'day_of_week'; missing 'minute', 'hour', 'day_of_month', 'month', 'day_of_week'; e.g. {\"frequency\": \"custom\", \"minute\": \"*/5\", \"hour\": \"*\", \"day_of_month\": \"*\", \"month\": \"*\", \"day_of_week\": \"*\"} (every 5 minutes, UTC)."
        }
    )


async def test_delete(ws: Workspace) -> None:
    assert await ws.call("delete", {"kind": "sync", "id": ws.ids["sync"]}) == snapshot(
        {"consent": "asked", "deleted": True, "kind": "sync", "id": "<sync>", "name": "Mongo to Salesforce Sync", "next_step": "Done. Nothing else refers to it.", 'untrusted': ['name'], '<marked as workspace data>': ['name']}
    )
    assert await ws.call("delete", {"kind": "connection", "id": ws.ids["mongo"]}) == snapshot(
        {
            "error": "Error executing tool delete: connection 'MongoDB Connection' (<mongo>) was not deleted: it is used by model 'MongoDB Model' (<model>). Delete those first, or call delete('connection', '<mongo>', force=true) to delete them with it."
        }
    )


async def test_get_sync_runs(ws: Workspace) -> None:
    assert await ws.call("get_sync_runs", {"sync_id": ws.ids["sync"]}) == snapshot(
        {"sync_id": "<sync>", "runs": [], "next_step": "No runs; start_sync('<sync>') runs it now."}
    )
    assert await ws.call("get_sync_runs", {"sync_id": ws.ids["sync"], "execution_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool get_sync_runs: Could not get run 'missing': not found <workspace-data>execution \"missing\" not found for sync \"<sync>\"</workspace-data>. Call get_sync_runs('<sync>') to see its runs."
        }
    )


async def test_cancel_sync_run(ws: Workspace) -> None:
    ws.sandbox.workspace(next(iter(ws.sandbox.workspaces))).run_polls = 100  # still running when stopped
    await ws.call("start_sync", {"sync_id": ws.ids["sync"]})
    assert await ws.call("cancel_sync_run", {"sync_id": ws.ids["sync"]}) == snapshot(
        {"consent": "asked", "sync_id": "<sync>",
            "message": 'execution <id5> is canceling',
            "next_step": "Stopping takes a moment; call get_sync_status('<sync>') to see it end as canceled.",
            "untrusted": ["message"],
            "<marked as workspace data>": ["message"],
        }
    )
    assert await ws.call("cancel_sync_run", {"sync_id": "missing"}) == snapshot(
        {
            "error": "Error executing tool cancel_sync_run: Could not get sync 'missing': not found (no model sync or bulk sync has this id). Call list_syncs to see valid ids."
        }
    )


async def test_create_bulk_sync(ws: Workspace) -> None:
    snowflake = await ws.client.call_tool("create_connection", SNOWFLAKE)
    assert snowflake.structured_content
    args = bulk_args(ws.ids["salesforce"], snowflake.structured_content["id"])
    assert await ws.call("create_bulk_sync", args) == snapshot(
        {"consent": "not needed", "created": True,
            "id": "<id5>",
            "name": "Salesforce to Snowflake",
            "mode": "replicate",
            "active": False,
            "schemas": ["Account", "Contact"],
            "next_step": "Created paused: its daily schedule starts only after activate_sync('<id5>', active=true) (ask the user); start_sync('<id5>') runs it once now.",
        }
    )
    assert await ws.call("create_bulk_sync", {**args, "name": "Typo", "schemas": ["Acount"]}) == snapshot(
        {
            "error": "Error executing tool create_bulk_sync: Bulk sync 'Typo' was not created, 1 problem(s): schemas[0]: source 'Salesforce Connection' has no schema 'Acount' (did you mean 'Account' or 'Contact'?); available: 'Contact', 'Lead', 'Account', 'Opportunity', 'Case', 'Campaign', 'Task', 'User'."
        }
    )


async def test_search_api(ws: Workspace) -> None:
    assert await ws.call("search_api", {"query": "list webhooks", "limit": 2}) == snapshot(
        {
            "operations": [
                {
                    "operation": "webhooks.list",
                    "method": "GET",
                    "path": "/api/webhooks",
                    "summary": "Lists the webhooks for the caller's organization",
                    "reads": True,
                },
                {
                    "operation": "webhooks.list_deliveries",
                    "method": "GET",
                    "path": "/api/webhooks/{id}/deliveries",
                    "summary": "Lists delivery attempts for a webhook, newest first",
                    "path_params": ["id"],
                    "query": {"end": "datetime", "event_id": "string", "page_token": "string", "start": "datetime", "success": "boolean"},
                    "reads": True,
                },
            ],
            "next_step": "Call call_api(operation, path_params, query, body); dry_run=true shows the request without sending it.",
        }
    )
    assert await ws.call("search_api", {"query": "GET /api/syncs/{id}/status"}) == snapshot(
        {
            "operations": [
                {
                    "operation": "model_sync.get_status",
                    "method": "GET",
                    "path": "/api/syncs/{id}/status",
                    "summary": "Returns the current status of a model sync",
                    "path_params": ["id"],
                    "reads": True,
                    "use_instead": "get_sync_status",
                }
            ],
            "next_step": "Use get_sync_status for this; other operations go through call_api(operation, ...).",
        }
    )


async def test_call_api(ws: Workspace) -> None:
    assert await ws.call("call_api", {"operation": "GET /api/connections/{id}", "path_params": {"id": ws.ids["mongo"]}}) == snapshot(
        {"consent": "not needed", "operation": "connections.get",
            "request": "GET /api/connections/<mongo>",
            "sent": True,
            "response": {
                "data": {
                    "id": "<mongo>",
                    "name": "MongoDB Connection",
                    "organization_id": "<id5>",
                    "type": {
                        "id": "mongodb",
                        "name": "MongoDB",
                        "logo_url": "https://connect-assets.polytomic.com/logos/mongodb.svg",
                        "operations": ["FIELDSETQUERY", "BulkSyncSource"],
                    },
                    "configuration": {"hosts": "example.mongodb.net", "username": "user", "password": "******", "ssl": True, "change_detection": False},
                    "status": "healthy",
                    "status_error": "",
                    "saved": True,
                    "policies": [],
                    "created_at": "<time>",
                    "created_by": {"id": "<id6>", "name": "Sandbox User", "type": "user"},
                    "updated_at": "<time>",
                    "updated_by": {"id": "<id6>", "name": "Sandbox User", "type": "user"},
                    "rate_limit": {"currently_limited": False},
                }
            },
            "next_step": "Done.",
            "untrusted": ["response"],
            "<marked as workspace data>": ["response"],
        }
    )
    assert await ws.call(
        "call_api", {"operation": "webhooks.create", "body": {"endpoint": "https://h.example.com", "secret": "whsec-1"}, "dry_run": True}
    ) == snapshot(
        {
            "operation": "webhooks.create",
            "request": "POST /api/webhooks",
            "sent": False,
            "body": {"endpoint": "https://h.example.com", "secret": "******"},
            "next_step": 'No problems found; call call_api again without dry_run to send it. The person will be asked first (Send POST /api/webhooks), because it sends data, events, links or credentials to a new address or account.',
        }
    )
    assert await ws.call("call_api", {"operation": "POST /api/syncs/{id}/executions", "path_params": {"id": ws.ids["sync"]}}) == snapshot(
        {
            "error": "Error executing tool call_api: POST /api/syncs/{id}/executions is what start_sync does, with its checks and the user's confirmation where records change; call start_sync instead. call_api takes it only to set what start_sync cannot: identities, source_identities. Nothing was sent."
        }
    )
