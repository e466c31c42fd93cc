"""Resources: the workspace's connections, models and syncs (list, and by id), secrets masked.

Each reads as a tool result's text does: a line of JSON, then workspace data (names, configuration...) in
``<workspace-data>`` blocks, as the views declare it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp_types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference

from polytomic_mcp.client import NotFoundError, PolytomicError
from polytomic_mcp.redaction import scrub
from polytomic_mcp.tools.core.bounds import clip, dumped, fitted, off_loop
from polytomic_mcp.tools.core.result_text import as_text
from polytomic_mcp.tools.core.services import current_services
from polytomic_mcp.tools.core.views import View, untrusted_paths

MAX_COMPLETIONS = 100
MAX_LISTED = 100
"""Resource lists show at most this many items (resources cannot page); the tools page through the rest."""


def _listing(kind: str, items: Sequence[View], tool: str) -> str:
    """A bounded list: the first items, the total, and how to see the others."""
    shown = items[:MAX_LISTED]
    listing: dict[str, object] = {kind: [item.model_dump(mode="json", exclude_none=True) for item in shown], "total": len(items)}
    if len(items) > len(shown):
        listing["more"] = f"{len(items) - len(shown)} more; call {tool}(cursor=...) to page through all of them"
    untrusted = dict.fromkeys(path for item in shown for path in untrusted_paths(item, f"{kind}[]."))
    return _marked(listing, list(untrusted))


def _detail(view: View) -> str:
    """One object as a tool shows it."""
    return _marked(dumped(view, by_alias=False), untrusted_paths(view))


def _marked(value: dict[str, object], untrusted: list[str]) -> str:
    """The text form of a tool result (``as_text``): workspace data marked, scrubbed of every registered secret, bounded."""
    return fitted(value, lambda shown: as_text(shown, untrusted), scrub=scrub)[1]


@contextmanager
def _translated(action: str, missing: str | None = None) -> Iterator[None]:
    """Client errors as resource errors (not-found as ResourceNotFoundError when ``missing`` is given), scrubbed."""
    try:
        yield
    except NotFoundError as error:
        if missing is not None:
            raise ResourceNotFoundError(scrub(missing)) from None
        raise ResourceError(f"could not {action}: {scrub(error.message)}") from None
    except PolytomicError as error:
        raise ResourceError(f"could not {action}: {scrub(error.message)}") from None


def register_resources(server: MCPServer) -> None:
    """Add the connection and model resources and id completion."""

    @server.resource(
        "polytomic://connections",
        name="connections",
        title="Polytomic connections",
        description="Connections (id, name, type, status): the first 100 and the total.",
        mime_type="text/plain",
    )
    async def connections() -> str:
        with _translated("list connections"):
            items = await current_services().client.connections.list()
        from polytomic_mcp.tools.connections.views import ConnectionBrief  # loads the family's views on first read

        rows = [ConnectionBrief(id=c.id, name=c.name, type=c.type.id, status=c.status or None) for c in items]
        return _listing("connections", rows, "list_connections")

    @server.resource(
        "polytomic://connections/{connection_id}",
        name="connection",
        title="Polytomic connection",
        description="One connection with its configuration (secrets masked).",
        mime_type="text/plain",
    )
    async def connection(connection_id: str) -> str:
        svc = current_services()
        with _translated("read connection", missing=f"no connection {clip(connection_id)}; read polytomic://connections"):
            found = await svc.client.connections.get(connection_id)
        from polytomic_mcp.tools.connections.views import connection_detail  # loads the family's views on first read

        return await off_loop(_detail, await connection_detail(svc, found))

    @server.resource(
        "polytomic://models",
        name="models",
        title="Polytomic models",
        description="Models (id, name, connection id): the first 100 and the total.",
        mime_type="text/plain",
    )
    async def models() -> str:
        with _translated("list models"):
            items = await current_services().client.models.list().to_list()
        from polytomic_mcp.tools.models.views import ModelBrief  # loads the family's views on first read

        rows = [ModelBrief(id=m.id, name=m.name, connection_id=m.connection_id) for m in items]
        return _listing("models", rows, "list_models")

    @server.resource(
        "polytomic://models/{model_id}",
        name="model",
        title="Polytomic model",
        description="One model with its fields (name, type).",
        mime_type="text/plain",
    )
    async def model(model_id: str) -> str:
        with _translated("read model", missing=f"no model {clip(model_id)}; read polytomic://models"):
            found = await current_services().client.models.get(model_id)
        from polytomic_mcp.tools.models.views import model_detail  # loads the family's views on first read

        return await off_loop(_detail, model_detail(found))

    @server.resource(
        "polytomic://syncs",
        name="syncs",
        title="Polytomic syncs",
        description="Model syncs and bulk syncs (id, name, kind, mode, active): the first 100 and the total.",
        mime_type="text/plain",
    )
    async def syncs() -> str:
        client = current_services().client
        with _translated("list syncs"):
            model_syncs = await client.syncs.list().to_list()
            bulk_syncs = await client.bulk_syncs.list().to_list()
        from polytomic_mcp.tools.syncs.views import SyncBrief  # loads the family's views on first read

        rows = [SyncBrief(id=s.id, name=s.name, kind="model", mode=s.mode, active=s.active) for s in model_syncs]
        rows += [SyncBrief(id=b.id, name=b.name, kind="bulk", mode=b.mode, active=b.active) for b in bulk_syncs]
        return _listing("syncs", rows, "list_syncs")

    @server.completion()  # type: ignore[untyped-decorator,no-untyped-call]  # mcp 2.3 leaves this decorator unannotated
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        if not isinstance(ref, ResourceTemplateReference):
            return None
        prefix = argument.value or ""
        try:
            client = current_services().client
            if argument.name == "connection_id":
                ids = [c.id for c in await client.connections.list()]
            elif argument.name == "model_id":
                ids = [m.id for m in await client.models.list().to_list()]
            else:
                return None
        except (PolytomicError, RuntimeError, ToolError):
            return None
        values = [i for i in ids if i.startswith(prefix)]
        return Completion(values=values[:MAX_COMPLETIONS], total=len(values), has_more=len(values) > MAX_COMPLETIONS)
