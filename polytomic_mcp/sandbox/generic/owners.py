"""Whether the objects a generic path hangs under exist: in a simulated domain, or in the generic store.

``/api/syncs/{id}/error-handling`` needs sync ``id``; ``/api/harbors/{harbor_id}/contexts`` needs the harbor. A
missing owner is a 404 naming it, as the simulated domains name theirs. An owner of a collection the catalog can
neither list nor add to is not checked: nothing could make it exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..domain import bulk_executions, executions
from ..domain.bulk_sources import cached_schema
from ..domain.bulk_syncs import get_bulk_sync, schema_config
from ..domain.connections import get_connection
from ..domain.models import get_model
from ..domain.syncs import get_sync
from ..errors import ApiError, listing, not_found
from ..type_schemas import CONNECTION_TYPES, get_type
from .plans import Kind, Owner, creatable, noun, operation_for
from .seeds import objects

if TYPE_CHECKING:
    from ..store import Workspace

Check = Callable[["Workspace", list[str]], object]
"""Raises the domain's own 404 unless the owner named by the ids (outermost first) exists."""


def _connection_type(_: Workspace, ids: list[str]) -> object:
    if get_type(ids[-1]) is None:
        raise not_found(f'connection type "{ids[-1]}" not found; available: {listing(sorted(CONNECTION_TYPES))}')
    return ids[-1]


SIMULATED: dict[str, Check] = {
    "/api/connections/{}": lambda ws, ids: get_connection(ws, ids[-1]),
    "/api/enrichment/{}": lambda ws, ids: get_connection(ws, ids[-1]),
    "/api/organizations/{}/connections/{}": lambda ws, ids: get_connection(ws, ids[-1]),
    "/api/connection_types/{}": _connection_type,
    "/api/models/{}": lambda ws, ids: get_model(ws, ids[-1]),
    "/api/syncs/{}": lambda ws, ids: get_sync(ws, ids[-1]),
    "/api/syncs/{}/executions/{}": lambda ws, ids: executions.get_execution(ws, get_sync(ws, ids[0]).id, ids[1]),
    "/api/bulk/syncs/{}": lambda ws, ids: get_bulk_sync(ws, ids[-1]),
    "/api/bulk/syncs/{}/executions/{}": lambda ws, ids: bulk_executions.get_execution(ws, get_bulk_sync(ws, ids[0])["id"], ids[1]),
    "/api/bulk/syncs/{}/schemas/{}": lambda ws, ids: schema_config(get_bulk_sync(ws, ids[0]), ids[1]),
    "/api/bulk/syncs/{}/executions/{}/schemas/{}": lambda ws, ids: schema_config(get_bulk_sync(ws, ids[0]), ids[2]),
    "/api/connections/{}/schemas/{}": lambda ws, ids: cached_schema(ws, get_connection(ws, ids[0]), ids[1]),
}
"""Owners the simulated domains hold, by item shape (``/api/enrichment/{connection_id}`` names a connection too)."""


def check_owners(ws: Workspace, owners: tuple[Owner, ...], params: dict[str, str], path: str) -> None:
    """Raise 404 for the first owner (outermost first) that does not exist; ``path`` is the path as sent."""
    segments = path.split("/")
    for index, owner in enumerate(owners):
        ids = [params[o.param] for o in owners[: index + 1]]
        item_path = "/".join(segments[: owner.shape.count("/") + 1])
        simulated = SIMULATED.get(owner.shape)
        if simulated is not None:
            simulated(ws, ids)
            continue
        collection = owner.shape.rsplit("/", 1)[0]
        if collection in creatable() or operation_for(collection, Kind.LIST) is not None:
            if ids[-1] not in objects(ws, item_path.rsplit("/", 1)[0], collection):
                raise missing(collection, ids[-1])


def missing(collection: str, object_id: str) -> ApiError:
    """The 404 for an object a generic collection does not hold."""
    return not_found(f'not found: no {noun(collection)} "{object_id}"')
