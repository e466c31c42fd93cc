"""Answer one request to an operation no simulated domain serves: check it, change the generic store, render.

Checks first, as the API does: the API version has the operation, required query parameters and body fields
are there and of their type, and the objects the path hangs under exist. Objects are per workspace; a missing
object is a 404 naming it. Answers are rendered by the SDK's response type, so they parse as the SDK's types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from polytomic_mcp.catalog import Operation, field_name, is_required, response

from ..errors import bad_request, not_found
from ..ids import new_id, now_iso
from ..versions import missing_route
from .owners import check_owners, missing
from .plans import Kind, Plan, collections, creatable, item_param, item_picture, item_types, noun, operation_for, shape
from .records import Record
from .seeds import objects, singleton
from .shapes import Context, example, fits, members, render, type_name

if TYPE_CHECKING:
    from ..store import Workspace

CREATED = ("created_at", "createdAt")
UPDATED = ("updated_at", "updatedAt")


@dataclass(frozen=True)
class Call:
    """One request to a generic operation: its plan, the path as sent with its parameters, query and body."""

    plan: Plan
    path: str
    params: dict[str, str]
    query: Mapping[str, str]
    body: Any
    version: str
    base_url: str = ""

    @property
    def operation(self) -> Operation:
        return self.plan.operation

    @property
    def context(self) -> Context:
        path = shape(self.operation.path)
        noun_of = self.plan.collection or (path.rsplit("/", 1)[0] if self.plan.kind is Kind.ACTION else path)
        return Context(self.params, noun(noun_of), self.plan.verb if self.plan.kind is Kind.ACTION else "", self.base_url)


@dataclass(frozen=True)
class Answer:
    """The status and JSON body to send (``body`` None: 204 without a body)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def serve(ws: Workspace, call: Call) -> Answer:
    """Check ``call``, apply it to the workspace's generic store and answer as the SDK's type describes."""
    op = call.operation
    if op.since is not None and not op.available_in(call.version):
        raise missing_route(op.method, call.path, call.version, op.id, op.since)
    _check_query(op, call.query)
    body = _checked_body(op, call.body)
    check_owners(ws, call.plan.owners, call.params, call.path)
    kind = call.plan.kind
    if kind in (Kind.READ, Kind.SET, Kind.MERGE, Kind.REMOVE):
        return _singleton(ws, call, body)
    if kind is Kind.ACTION:
        return _action(ws, call, body)
    return _collection(ws, call, body)


def _check_query(op: Operation, query: Mapping[str, str]) -> None:
    missing_names = [name for name in op.required_query if not query.get(name)]
    if missing_names:
        raise bad_request(f"{op.method} {op.path} needs the query parameter(s) {', '.join(missing_names)}")


def _checked_body(op: Operation, body: Any) -> dict[str, Any]:
    """The body as an object, 400 when a required field is missing or a field has the wrong JSON type."""
    if op.body is None or body is None:
        return {}
    if not isinstance(body, dict):
        raise bad_request(f"the body of {op.method} {op.path} must be a JSON object")
    for key, picture in op.body.items():
        name = field_name(key)
        if is_required(key) and body.get(name) is None:
            raise bad_request(f"{name} is required")
        if name in body and not fits(picture, body[name]):
            raise bad_request(f"{name} must be {type_name(picture)}")
    return body


def _answer(call: Call, value: Any, status: int = 200, *, with_id: bool = False) -> Answer:
    """``value`` rendered as the operation's SDK type (204 when the SDK ignores the body).

    ``with_id``: a stored object keeps its ``id`` even where the SDK's type has no member for it (a bulk schedule):
    without it no one could read, replace or delete the object again.
    """
    answer = response(call.operation.id)
    if answer.shape is None:
        return Answer(204)
    ctx = call.context
    nouns = frozenset({ctx.noun.replace(" ", "_")})
    wrapped = members(answer.shape)
    if "data" not in wrapped:
        return Answer(status, render(answer.shape, value, ctx, nouns))
    picture = wrapped["data"][0]
    body: dict[str, Any] = {"data": render(picture, value, ctx, nouns)}
    if with_id:
        shown_objects = body["data"] if isinstance(body["data"], list) else [body["data"]]
        for shown, stored in zip(shown_objects, value if isinstance(value, list) else [value], strict=True):
            if isinstance(shown, dict) and stored["id"] not in _ids_shown(shown):
                shown["id"] = stored["id"]
    if "pagination" in wrapped:
        body["pagination"] = {"next_page_token": ""}
    return Answer(status, body)


def _ids_shown(shown: dict[str, Any]) -> set[Any]:
    """The values of an answer's members and of its nested objects' members (where an id would be)."""
    nested = [value for value in shown.values() if isinstance(value, dict)]
    return {value for item in (shown, *nested) for value in item.values() if isinstance(value, str)}


def _data_picture(op: Operation) -> Any:
    shape_ = response(op.id).shape or {}
    wrapped = members(shape_)
    return wrapped["data"][0] if "data" in wrapped else shape_


def _new_members(ws: Workspace, collection: str, object_id: str, params: Mapping[str, str], picture: Any = None) -> dict[str, Any]:
    """What a new object of ``collection`` holds besides its body: its id (also under the path's name for it,
    ``session_id``), the ids of its owners, its organization and its times, where its type (the collection's
    item type, else ``picture``) has them."""
    known = members(item_picture(collection) or (picture if isinstance(picture, dict) else {}))
    param = item_param(collection)
    made: dict[str, Any] = {"id": object_id, **({param: object_id} if param in known else {})}
    made |= {name: value for name, value in params.items() if name in known and name != param}
    if "organization_id" in known:
        made["organization_id"] = ws.organization_id
    return made | {stamp: now_iso() for stamp in (*CREATED, *UPDATED) if stamp in known}


def _collection(ws: Workspace, call: Call, body: dict[str, Any]) -> Answer:
    collection = call.plan.collection
    assert collection is not None
    kind = call.plan.kind
    if kind is Kind.LIST:
        newest_first = sorted(objects(ws, call.path, collection).values(), key=lambda r: r.revision, reverse=True)
        return _answer(call, [r.members for r in newest_first], with_id=True)
    if kind is Kind.CREATE:
        return _create(ws, call, body, collection)
    where, object_id = call.path.rsplit("/", 1)
    if collection not in creatable() and operation_for(collection, Kind.LIST) is None:
        return _answer(call, _anything(ws, object_id, call.path))
    records = objects(ws, where, collection)
    record = records.get(object_id)
    if record is None:
        raise missing(collection, object_id)
    if kind is Kind.DELETE:
        del records[object_id]
        ws.generic.forget_under(call.path)
        return _answer(call, record.members)
    if kind is Kind.GET:
        return _answer(call, record.members, with_id=True)
    if kind is Kind.REPLACE:
        kept = ("id", call.plan.item_param or "id", "organization_id", *CREATED)
        record.members = {**{key: record.members[key] for key in kept if key in record.members}, **body}
    elif kind is Kind.PATCH:
        record.members |= body
    _stamp(record, collection)
    return _answer(call, record.members, with_id=True)


def _create(ws: Workspace, call: Call, body: dict[str, Any], collection: str) -> Answer:
    """Add one object (or, for a body that is one list of objects carrying their ids, upsert each) and answer it."""
    records = objects(ws, call.path, collection)
    param = item_param(collection)
    batch = list(body.values())[0] if len(body) == 1 else None
    if isinstance(batch, list) and batch and all(isinstance(item, dict) and isinstance(item.get(param), str) for item in batch):
        for item in batch:
            records[item[param]] = Record(item[param], {**_new_members(ws, collection, item[param], call.params), **item})
        return _answer(call, batch[-1])
    object_id = body["id"] if isinstance(body.get("id"), str) and body["id"] else new_id()
    record = Record(object_id, {**body, **_new_members(ws, collection, object_id, call.params, _data_picture(call.operation))})
    records[object_id] = record
    return _answer(call, record.members, with_id=True)


def _stamp(record: Record, collection: str) -> None:
    known = members(item_picture(collection) or {})
    record.members |= {stamp: now_iso() for stamp in UPDATED if stamp in known}
    record.touch()


def _anything(ws: Workspace, object_id: str, path: str) -> dict[str, Any]:
    """Any object of the workspace with this id, as an entity: for a collection that can be neither listed nor
    added to (``/api/entities/{id}``)."""
    stores: dict[str, Mapping[str, object]] = {"connection": ws.connections, "model": ws.models, "sync": ws.syncs, "bulk_sync": ws.bulk.syncs}
    kind = next((name for name, store in stores.items() if object_id in store), None)
    if kind is None and (found := ws.generic.find(object_id)) is not None:
        kind = noun(found[0]).replace(" ", "_")
    if kind is None:
        raise not_found(f'not found: no object "{object_id}" in this workspace')
    return {"id": object_id, "type": kind, "organization_id": ws.organization_id, "canonical_path": path}


def _singleton(ws: Workspace, call: Call, body: dict[str, Any]) -> Answer:
    record = singleton(ws, call.path)
    kind = call.plan.kind
    if kind is Kind.REMOVE:
        ws.generic.singletons.pop(call.path, None)
        return _answer(call, record.members if record else {})
    if kind is Kind.READ:
        if record is None:
            record = ws.generic.singletons[call.path] = Record(call.path, _default(call))
        return _answer(call, record.members)
    if kind is Kind.SET:
        record = ws.generic.singletons[call.path] = Record(call.path, body)
    else:
        record = record or ws.generic.singletons.setdefault(call.path, Record(call.path, _default(call)))
        record.members |= body
        record.touch()
    return _answer(call, record.members)


def _default(call: Call) -> Any:
    """What a singleton holds before anything was set: every scalar made up (a list, nothing yet)."""
    picture = _data_picture(call.operation)
    if isinstance(picture, dict):
        return example(picture, call.context)
    return [] if isinstance(picture, list) else {}


def _action(ws: Workspace, call: Call, body: dict[str, Any]) -> Answer:
    """An action's answer: the object it acts on, changed; or a new object it makes, stored where it can be read
    back; or a plausible answer made up from its type, the path's ids and the body."""
    answer = response(call.operation.id)
    if answer.shape is None:
        return Answer(204)
    target = _acted_on(ws, call, answer.data_type)
    picture = _data_picture(call.operation)
    if target is not None:
        target.members |= {key: value for key, value in body.items() if isinstance(picture, dict) and key in members(picture)}
        target.members |= _verb_flags(call.plan.verb, picture)
        target.touch()
        return _answer(call, target.members)
    made = example(picture, call.context) if isinstance(picture, dict) else {}
    made |= {key: value for key, value in body.items() if isinstance(picture, dict) and key in members(picture)}
    home = _home(call, answer.data_type)
    if home is not None:
        path, collection = home
        object_id = made.get(item_param(collection)) or new_id()
        made |= _new_members(ws, collection, object_id, call.params)
        objects(ws, path, collection)[object_id] = Record(object_id, made)
    return _answer(call, made)


def _acted_on(ws: Workspace, call: Call, data_type: str | None) -> Record | None:
    """The nearest generic object the path hangs under whose type is the answer's (``/webhooks/{id}/disable``)."""
    segments = call.path.split("/")
    for owner in reversed(call.plan.owners):
        collection = owner.shape.rsplit("/", 1)[0]
        if collection in collections() and data_type in item_types().get(collection, frozenset()):
            item_path = "/".join(segments[: owner.shape.count("/") + 1])
            where, object_id = item_path.rsplit("/", 1)
            return objects(ws, where, collection).get(object_id)
    return None


def _home(call: Call, data_type: str | None) -> tuple[str, str] | None:
    """Where an object an action makes can be read back (``POST .../query`` -> ``GET /api/queries/{id}``): a
    collection whose items have the answer's type and whose own ids the action's path names."""
    for collection, types in item_types().items():
        getter = operation_for(collection, Kind.GET)
        if data_type not in types or getter is None or not set(getter.path_params[:-1]) <= set(call.params):
            continue
        path = getter.path.rsplit("/", 1)[0]
        for name in getter.path_params[:-1]:
            path = path.replace("{" + name + "}", call.params[name])
        return path, collection
    return None


def _verb_flags(verb: str, picture: Any) -> dict[str, Any]:
    """``disable`` sets ``disabled`` (with ``disabled_at``) and clears ``enabled``; ``enable`` does the opposite."""
    known = members(picture) if isinstance(picture, dict) else {}
    opposite = f"en{verb[3:]}" if verb.startswith("dis") else f"dis{verb.removeprefix('en')}"
    flags: dict[str, Any] = {}
    for name, value in ((f"{verb}d", True), (f"{opposite}d", False)):
        if name in known:
            flags[name] = value
            if f"{name}_at" in known:
                flags[f"{name}_at"] = now_iso() if value else None
    return flags
