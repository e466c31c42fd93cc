"""The objects a generic collection starts with: the workspace's own organization and user, or one example.

An example is given only where the catalog can list a collection but no operation adds to it (Harbor activity,
the connections a Harbor session may use), so its reads can be tried; its id is stable per key and path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ids import stable_id
from .plans import Kind, creatable, item_picture, noun, operation_for
from .records import Record
from .shapes import Context, example

if TYPE_CHECKING:
    from ..store import Workspace

OWN_ORGANIZATION = "/api/organization"
ORGANIZATIONS = "/api/organizations"
OWN_USERS = "/api/organization/users"


def objects(ws: Workspace, path: str, collection: str) -> dict[str, Record]:
    """The objects of the collection at ``path`` (shape ``collection``), seeded on first use."""
    records = ws.generic.collection(path)
    if path not in ws.generic.seeded:
        ws.generic.seeded.add(path)
        for record in _seeds(ws, path, collection):
            records[record.id] = record
    return records


def singleton(ws: Workspace, path: str) -> Record | None:
    """The singleton stored at ``path``; the caller's organization is there from the start."""
    if path == OWN_ORGANIZATION and path not in ws.generic.seeded:
        ws.generic.seeded.add(path)
        ws.generic.singletons[path] = organization(ws)
    return ws.generic.singletons.get(path)


def organization(ws: Workspace) -> Record:
    return Record(ws.organization_id, {"id": ws.organization_id, "name": ws.organization_name})


def _seeds(ws: Workspace, path: str, collection: str) -> list[Record]:
    if collection == ORGANIZATIONS:
        return [organization(ws)]
    if path in (OWN_USERS, f"{ORGANIZATIONS}/{ws.organization_id}/users"):
        user = {"id": ws.user_id, "email": ws.user_email, "role": "admin", "organization_id": ws.organization_id}
        return [Record(ws.user_id, user)]
    picture = item_picture(collection)
    if collection in creatable() or operation_for(collection, Kind.LIST) is None or picture is None:
        return []
    object_id = stable_id(ws.api_key, path, "example")
    members = example(picture, Context(noun=noun(collection)))
    return [Record(object_id, {**members, "id": object_id, "organization_id": ws.organization_id})]
