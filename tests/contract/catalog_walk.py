"""Call every catalog operation the client workflow does not reach, against a seeded sandbox, keeping the exchanges.

Ids come from seeded objects (a Salesforce connection, a model, a sync with a finished run, a bulk sync with a
run) or from earlier answers (a create's ``id``, a list's first item); bodies and required query parameters are
made from the catalog's pictures (required members only). Creates go first, then writes, then reads, then
deletes (deepest first), so each call finds what it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import anyio
import httpx2

from polytomic_mcp.catalog import Operation, field_name, is_required, load, response
from polytomic_mcp.sandbox import DEMO_API_KEY, Sandbox
from polytomic_mcp.sandbox.generic.plans import Kind, item_param, item_types, plans, shape

BASE = "http://sandbox.polytomic.test"


def placeholder(picture: Any, name: str) -> Any:
    """A value of the picture's type: required members of objects only, lists empty."""
    if isinstance(picture, dict):
        return {field_name(key): placeholder(sub, field_name(key)) for key, sub in picture.items() if is_required(key)}
    if isinstance(picture, list):
        return []
    values = {"boolean": True, "integer": 1, "number": 1, "datetime": "2025-10-01T09:30:00Z", "date": "2025-10-01"}
    if picture in values:
        return values[picture]
    if picture in ("object", "any") or picture.startswith("map<"):
        return {}
    if "|" in picture and not picture.startswith("string|"):
        return picture.split("|")[0]
    return "walker@example.com" if "email" in name else f"example-{name}"


def request_body(op: Operation) -> Any:
    """The body to send: required members; a body that is one list of objects (a batch upsert) gets one object."""
    if op.body is None:
        return None
    body = placeholder(op.body, "body")
    (only, picture), = op.body.items() if len(op.body) == 1 else ((None, None),)
    if isinstance(picture, list) and picture and isinstance(picture[0], dict):
        body[field_name(str(only))] = [placeholder(picture[0], "item")]
    return body


def seeded_ids(sandbox: Sandbox) -> dict[str, str]:
    """Ids of the seeded objects by the shape of their item path."""
    ws = sandbox.workspace(DEMO_API_KEY)
    salesforce = ws.add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"})
    mongo = ws.add_connection("Mongo", "mongodb", {"hosts": "cluster0.example.mongodb.net", "username": "u", "password": "p"})
    snowflake = ws.add_connection("Snowflake", "snowflake", {"account": "acme-xy12345", "username": "l", "password": "p", "dbname": "A"})
    model = ws.add_model("Users", mongo.id, {"database": "example", "collection": "users"})
    sync = ws.add_sync("Users to Contacts", target={"connection_id": salesforce.id, "object": "Contact"}, mode="updateOrCreate",
                       fields=[{"source": {"model_id": model.id, "field": "last_name"}, "target": "LastName"}],
                       identities={"mappings": [{"source": {"model_id": model.id, "field": "email"}, "target": "Email", "function": "Equality"}]})
    run = ws.run_sync(sync.id)
    bulk = ws.add_bulk_sync("SF to Snowflake", source_connection_id=salesforce.id, destination_connection_id=snowflake.id,
                            destination_configuration={"schema": "SALESFORCE"}, schemas=["Account", "Contact"])
    return {
        "/api/connections/{}": salesforce.id, "/api/enrichment/{}": salesforce.id,
        "/api/organizations/{}/connections/{}": salesforce.id, "/api/entities/{}": model.id,
        "/api/organizations/entities/{}": sync.id, "/api/connections/{}/schemas/{}": "Contact",
        "/api/connection_types/{}": "postgresql", "/api/organizations/{}": ws.organization_id,
        "/api/models/{}": model.id, "/api/syncs/{}": sync.id, "/api/syncs/{}/executions/{}": run.id,
        "/api/bulk/syncs/{}": bulk["id"], "/api/bulk/syncs/{}/schemas/{}": "Contact",
        "/api/bulk/syncs/{}/executions/{}/schemas/{}": "Contact",
    }


def order(operations: list[Operation]) -> list[Operation]:
    """Creates (outermost first), other writes, reads, then deletes (innermost first)."""
    def rank(op: Operation) -> tuple[int, int, str]:
        kind = plans()[op.id].kind
        depth = op.path.count("/")
        if kind is Kind.CREATE:
            return (0, depth, op.path)
        if op.method == "DELETE":
            return (3, -depth, op.path)
        return (2 if op.method == "GET" else 1, depth, op.path)
    return sorted(operations, key=rank)


class Walk:
    """The ids learnt so far and how to fill a path with them."""

    def __init__(self, ids: dict[str, str]) -> None:
        self.ids = ids

    def path(self, op: Operation, fallback: str | None = None) -> str | None:
        """The operation's path with every parameter filled (an unknown id with ``fallback``), or None."""
        template = shape(op.path)
        filled = op.path
        for index, name in enumerate(op.path_params):
            prefix = template[: [m.start() for m in re.finditer(r"\{\}", template)][index] + 2]
            if prefix not in self.ids and fallback is None:
                return None
            filled = filled.replace("{" + name + "}", self.ids.get(prefix, fallback or ""), 1)
        return filled

    def learn(self, op: Operation, answer: Any) -> None:
        """Remember the ids an answer holds: a created object's, a list's first item's, an action's new object's."""
        data = answer.get("data") if isinstance(answer, dict) else None
        found = plans()[op.id]
        if data is None and isinstance(answer, dict) and len(answer) == 1:
            data = next(iter(answer.values()))  # a batch create's body: its one list of objects
        item = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else data
        if not isinstance(item, dict):
            return
        targets = [found.collection] if found.kind in (Kind.CREATE, Kind.LIST) and found.collection else []
        data_type = response(op.id).data_type
        targets += [collection for collection, types in item_types().items() if found.kind is Kind.ACTION and data_type in types]
        for collection in targets:
            key = f"{collection}/{{}}"
            nested = next((value for value in item.values() if isinstance(value, dict) and "id" in value), {})
            object_id = item.get("id") or item.get(item_param(collection)) or nested.get("id")
            if isinstance(object_id, str) and (key not in self.ids or found.kind is not Kind.LIST):
                self.ids[key] = object_id
        if "/api/harbor/sessions/{}" in self.ids:  # Harbor activity reads back the sessions Harbor registered
            self.ids.setdefault("/api/organization/harbor-activity/sessions/{}", self.ids["/api/harbor/sessions/{}"])



def walk(version: str, transport_wrapper: Callable[[httpx2.AsyncBaseTransport], httpx2.AsyncBaseTransport], skip: set[str]) -> None:
    """Call every operation not in ``skip`` once, in ``order`` (a second round for those whose ids came late); one
    the version lacks is sent with ``absent`` for ids it could not learn (nothing of it exists there)."""
    sandbox = Sandbox.with_demo_workspace(base_url=BASE)
    state = Walk(seeded_ids(sandbox))
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}", "X-Polytomic-Version": version}

    async def run() -> None:
        async with httpx2.AsyncClient(transport=transport_wrapper(sandbox.transport()), base_url=BASE, headers=headers) as http:
            started = await http.post(f"/api/bulk/syncs/{state.ids['/api/bulk/syncs/{}']}/executions", json={})
            state.ids["/api/bulk/syncs/{}/executions/{}"] = started.json()["data"]["id"]
            pending = order([op for op in load() if op.id not in skip])
            for _ in range(2):
                later = []
                for op in pending:
                    path = state.path(op, None if op.available_in(version) else "absent")
                    if path is None:
                        later.append(op)
                        continue
                    body = request_body(op)
                    query = {field_name(key): placeholder(value, field_name(key)) for key, value in op.query.items() if is_required(key)}
                    answer = await http.request(op.method, path, params=query, json=body)
                    if answer.is_success:
                        state.learn(op, answer.json() if answer.content else body)
                pending = later
            assert not pending, f"no ids for {[op.id for op in pending]}"

    anyio.run(run)
