"""HTTP routes per resource; ``ROUTES`` is the full table in matching order, the generic store's catch-all last."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..generic.route import ROUTE as GENERIC
from . import (
    bulk_discovery,
    bulk_executions,
    bulk_syncs,
    connection_types,
    connections,
    executions,
    identity,
    jobs,
    log_links,
    models,
    modelsync,
    oauth,
    syncs,
)

ROUTES: list[BaseRoute] = [
    *identity.ROUTES,
    *connection_types.ROUTES,
    *connections.ROUTES,
    *modelsync.ROUTES,
    *models.ROUTES,
    *jobs.ROUTES,
    *syncs.ROUTES,
    *executions.ROUTES,
    *bulk_discovery.ROUTES,
    *bulk_executions.ROUTES,
    *bulk_syncs.ROUTES,
    *oauth.ROUTES,
    *log_links.ROUTES,
    GENERIC,
]
