"""What the workspace view needs to draw a list_syncs page as a graph: names and types of the page's connections and
models, read with one connections list and one models list, for clients that negotiated the Apps extension only."""

from __future__ import annotations

from polytomic_mcp.client import PolytomicError

from ..core.list_pages import API_PAGE_SIZE, read_all
from ..core.services import Services
from .views import GraphConnection, GraphModel, SyncBrief, SyncGraph


async def sync_graph(svc: Services, syncs: list[SyncBrief]) -> SyncGraph:
    """The connections and models ``syncs`` use, by id; a failed read leaves its part out and says so in ``unread``."""
    wanted_models = {model_id for s in syncs for model_id in s.model_ids or ()}
    graph, failed = SyncGraph(), []
    if wanted_models:
        try:
            listing = await read_all(svc.client.models.list(limit=API_PAGE_SIZE))
            graph.models = {m.id: GraphModel(name=m.name, connection_id=m.connection_id)
                            for m in listing.items if m.id in wanted_models}
        except PolytomicError:
            failed.append("models")
    wanted_connections = {s.target_connection_id for s in syncs} | {s.source_connection_id for s in syncs}
    wanted_connections |= {m.connection_id for m in graph.models.values()}
    wanted_connections.discard(None)
    if wanted_connections:
        try:
            graph.connections = {c.id: GraphConnection(name=c.name, type=c.type.id)
                                 for c in await svc.client.connections.list() if c.id in wanted_connections}
        except PolytomicError:
            failed.append("connections")
    graph.unread = f"could not list {' and '.join(failed)}" if failed else None
    return graph
