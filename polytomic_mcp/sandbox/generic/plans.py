"""What each catalog operation does to the generic store, read from the catalog's path templates and methods alone.

A *collection* is a path whose items the catalog addresses (``/api/webhooks`` has ``/api/webhooks/{id}``): GET
lists it, POST creates in it, and its item path gets, replaces (PUT), patches and deletes one object. Any other
path is a *singleton* (a settings object: GET, PUT, PATCH, DELETE) or, for POST, an *action* (``/disable``,
``/test``, ``/query``). Every path parameter before the last names an *owner* that must exist.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from typing import Any

from polytomic_mcp.catalog import Operation, load, response


class Kind(enum.Enum):
    LIST = "list"
    CREATE = "create"
    GET = "get"
    REPLACE = "replace"
    PATCH = "patch"
    DELETE = "delete"
    READ = "read"
    """GET of a singleton (settings, a status, a list nothing here can fill)."""
    SET = "set"
    """PUT of a singleton."""
    MERGE = "merge"
    """PATCH of a singleton."""
    REMOVE = "remove"
    """DELETE of a singleton."""
    ACTION = "action"


ITEM_KINDS = {"GET": Kind.GET, "PUT": Kind.REPLACE, "PATCH": Kind.PATCH, "DELETE": Kind.DELETE, "POST": Kind.ACTION}
COLLECTION_KINDS = {"GET": Kind.LIST, "POST": Kind.CREATE}
SINGLETON_KINDS = {"GET": Kind.READ, "PUT": Kind.SET, "PATCH": Kind.MERGE, "DELETE": Kind.REMOVE, "POST": Kind.ACTION}


def shape(template: str) -> str:
    """A template with every parameter written ``{}``, so ``/api/bulk/syncs/{id}`` and ``.../{sync_id}/x`` share a prefix."""
    return re.sub(r"\{[^}]*\}", "{}", template)


@dataclass(frozen=True)
class Owner:
    """An object a path hangs under: its item path's shape and the parameter naming it."""

    shape: str
    param: str


@dataclass(frozen=True)
class Plan:
    """How the generic store serves one operation."""

    operation: Operation
    kind: Kind
    collection: str | None
    """The shape of the collection a list, create or item operation works on."""
    item_param: str | None
    """The parameter naming the item of an item operation."""
    owners: tuple[Owner, ...]
    """The objects the path hangs under, outermost first (the item itself excluded)."""

    @property
    def verb(self) -> str:
        """The last literal segment: an action's name (``disable``, ``promote``)."""
        return next(part for part in reversed(self.operation.path.split("/")) if part and not part.startswith("{"))


@functools.cache
def collections() -> frozenset[str]:
    """Shapes of every path whose items the catalog addresses (``/api/harbor/connections`` has ``.../{}/schemas``)."""
    shapes = [shape(op.path) for op in load()]
    return frozenset(path[:index] for path in shapes for index in range(len(path)) if path.startswith("/{}", index))


@functools.cache
def item_types() -> dict[str, frozenset[str]]:
    """For each collection, the SDK types its item operations answer with (``Webhook``): what an action's answer
    of that type belongs to."""
    found: dict[str, set[str]] = {}
    for op in load():
        data_type = response(op.id).data_type
        if op.method == "GET" and op.path.endswith("}") and data_type is not None:
            found.setdefault(shape(op.path).rsplit("/", 1)[0], set()).add(data_type)
    return {key: frozenset(value) for key, value in found.items()}


@functools.cache
def creatable() -> frozenset[str]:
    """Collections some operation adds to: a create, or an action answering with the collection's item type."""
    made = {shape(op.path) for op in load() if op.method == "POST" and shape(op.path) in collections()}
    answered = {response(op.id).data_type for op in load() if op.method == "POST"}
    made |= {collection for collection, types in item_types().items() if types & answered}
    return frozenset(made)


@functools.cache
def plans() -> dict[str, Plan]:
    """The plan of every catalog operation, by id."""
    return {op.id: plan(op) for op in load()}


def plan(operation: Operation) -> Plan:
    """The plan of one catalog operation."""
    template = shape(operation.path)
    params = operation.path_params
    owners = tuple(
        Owner(template[: _nth_brace(template, index) + 2], name) for index, name in enumerate(params)
    )
    if operation.path.endswith("}"):
        return Plan(operation, ITEM_KINDS[operation.method], template.rsplit("/", 1)[0], params[-1], owners[:-1])
    if template in collections() and operation.method in COLLECTION_KINDS:
        return Plan(operation, COLLECTION_KINDS[operation.method], template, None, owners)
    return Plan(operation, SINGLETON_KINDS[operation.method], None, None, owners)


def _nth_brace(template: str, index: int) -> int:
    """Where the ``index``-th ``{}`` of a shape starts."""
    position = -1
    for _ in range(index + 1):
        position = template.index("{}", position + 1)
    return position


def noun(collection_or_path: str) -> str:
    """The thing a path holds, singular and spelled out: ``/api/harbors/{}/saved-queries`` -> ``saved query``."""
    last = next(part for part in reversed(collection_or_path.split("/")) if part and part != "{}")
    words = re.split(r"[-_]", last)
    final = words[-1]
    if final.endswith("ies"):
        final = final[:-3] + "y"
    elif final.endswith(("sses", "xes")):
        final = final[:-2]
    elif final.endswith("s") and not final.endswith("ss"):
        final = final[:-1]
    return " ".join([*words[:-1], final])


@functools.cache
def item_picture(collection: str) -> dict[str, Any] | None:
    """The picture of one object of a collection: what its item GET answers under ``data``, else a list item."""
    for wanted in (Kind.GET, Kind.LIST):
        for found in plans().values():
            answer = response(found.operation.id).shape
            if found.kind is wanted and found.collection == collection and answer is not None:
                data = answer.get("data", answer.get("data*"))
                inner = data[0] if isinstance(data, list) and data else data
                if isinstance(inner, dict):
                    return inner
    return None


def operation_for(collection: str, kind: Kind) -> Operation | None:
    """The catalog operation of this kind on this collection, if the catalog has one."""
    return next((found.operation for found in plans().values() if found.kind is kind and found.collection == collection), None)


def item_param(collection: str) -> str:
    """The path's name for one object of a collection (``session_id`` in ``/api/harbor/sessions/{session_id}``)."""
    op = next((found.operation for found in plans().values() if found.collection == collection and found.item_param), None)
    return op.path_params[-1] if op is not None else "id"
