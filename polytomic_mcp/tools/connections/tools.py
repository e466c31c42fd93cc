"""Tools: list_connection_types (with ``type``: one type's fields), create_connection, update_connection, list_connections."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, ElicitationResult, Resolve
from pydantic import Field

from polytomic_mcp.client.models import Connection, ConnectionType

from ..core.config_check import check_configuration
from ..core.consent import Confirmation, Outcome, outcome_of
from ..core.diff import changes
from ..core.errors import ToolFailure, fail
from ..core.list_pages import decode_cursor, page
from ..core.lookups import fetch_connection, resolve_type
from ..core.masking import masked_configuration
from ..core.notify import tell
from ..core.params import ConsentTokenArg, CursorArg, DryRunArg, LimitArg, NewNameArg
from ..core.registry import tool
from ..core.secrets import resolve_env_references, secret_fields_only, secret_values
from ..core.services import Services, current_services
from ..core.usage import dependents_of_connection, rerun_hint, with_last_runs
from ..core.views import UpdateResult, Updating, UsedBy, example_configuration, field_spec
from ..core.write import Change, Problem, apply
from .confirm import confirm_connection_change, confirm_new_connection
from .secret_merge import fingerprint, fingerprint_after_write, merge_configuration
from .views import (
    ConnectionBrief,
    ConnectionDetail,
    ConnectionList,
    ConnectionTypeBrief,
    ConnectionTypeDetail,
    ConnectionTypeList,
    connection_detail,
)

MAX_TYPES = 60
CONNECTION_SHOWN_BY = "list_connections(connection_id='{id}')"


def brief(kind: ConnectionType) -> ConnectionTypeBrief:
    """A connection type as a list item."""
    return ConnectionTypeBrief(
        id=kind.id,
        name=kind.name,
        oauth=kind.use_oauth,
        source=kind.capabilities.source,
        destination=kind.capabilities.destination,
    )


@tool(title="Connection types", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_connection_types(
    search: Annotated[str | None, Field(description="Substring of id or name.")] = None,
    capability: Literal["source", "destination"] | None = None,
    type: Annotated[str | None, Field(description="Its configuration fields instead.")] = None,
) -> ConnectionTypeList | ConnectionTypeDetail:
    if type is not None:
        return await describe_type(current_services(), type)
    types = await current_services().connection_types()
    needle = (search or "").strip().lower()
    matches = [
        t for t in types
        if (not needle or needle in t.id.lower() or needle in t.name.lower())
        and (capability is None or getattr(t.capabilities, capability))
    ]
    shown = matches[:MAX_TYPES]
    more = f" Showing {len(shown)} of {len(matches)}; narrow with `search`." if len(matches) > len(shown) else ""
    return ConnectionTypeList(
        types=[brief(t) for t in shown],
        total=len(matches),
        next_step="Call list_connection_types(type=...) to see the configuration it needs." + more,
    )


async def describe_type(svc: Services, type: str) -> ConnectionTypeDetail:
    """The required and optional configuration fields of one type, which are secret, and an example configuration."""
    kind = await resolve_type(svc, type)
    schema = await svc.type_schema(kind.id)
    settable = [f for f in schema.top_level if f.settable]
    required = [field_spec(f) for f in settable if f.required]
    optional = [field_spec(f) for f in settable if not f.required]
    oauth = " A person must open the auth_url that create_connection returns." if kind.use_oauth else ""
    return ConnectionTypeDetail(
        **brief(kind).model_dump(),
        required=required,
        optional=optional,
        example_configuration=example_configuration(schema),
        next_step=f"Call create_connection(name, type='{kind.id}', configuration).{oauth}",
    )


@tool(title="Create a connection", read_only=False, destructive=False, idempotent=False, open_world=True)
async def create_connection(
    ctx: Context,
    name: Annotated[str, Field(description="Unique name.", min_length=1, max_length=200)],
    type: Annotated[str, Field(description="Type id, e.g. 'mongodb'.", min_length=1)],
    configuration: Annotated[
        dict[str, Any], Field(description="See list_connection_types(type=...).")
    ],
    redirect_url: Annotated[
        str | None, Field(description="OAuth return URL.")
    ] = None,
    validate: Annotated[bool, Field(description="Test it before saving.")] = True,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_new_connection)] = None,  # type: ignore[assignment]
) -> ConnectionDetail:
    svc = current_services()
    kind = await resolve_type(svc, type)
    schema = await svc.type_schema(kind.id)
    carried = secret_values(configuration, schema.secret_paths)
    configuration = resolve_env_references(configuration, placed=secret_fields_only(schema.secret_paths, kind.id),
                                           registry=svc.env_secret, prefix=svc.secret_prefix)

    async def created(connection: Connection, _: Outcome) -> ConnectionDetail:
        svc.written.remember(connection.id, configuration, schema.secret_paths, await fingerprint_after_write(svc, connection))
        if connection.needs_authorization:
            await tell(ctx, "warning", f"connection '{name}' needs a person to open its auth_url before it can be used")
            step = "After the person has authorized, call list_connections(connection_id=...) to confirm status 'healthy'."
        else:
            step = "Use the id in create_model or create_bulk_sync (source), or list_target_objects (destination)."
        return await connection_detail(svc, connection, step)

    return await apply(ctx, Change.create(
        "create_connection", "connection", name, secrets=carried, existing=svc.client.connections.list, shown_by=CONNECTION_SHOWN_BY,
        change_tool="update_connection", search_tool="list_connections", result=created,
        send=lambda: svc.client.connections.create(
            name=name, type=kind.id, configuration=configuration, validate=None if validate else False, redirect_url=redirect_url,
        ),
        checks=Problem.at("", check_configuration(configuration, schema)),
        fix=f"Call list_connection_types(type='{kind.id}') to see every field.",
        rejected=f"Fix the configuration (list_connection_types(type='{kind.id}') lists the fields) or pass validate=false "
                 "to save without probing.", consent=outcome_of(confirmation), consent_token=consent_token,
    ))


@tool(title="Connections", read_only=True, destructive=False, idempotent=True, open_world=True)
async def list_connections(
    search: Annotated[str | None, Field(description="Substring of the name or type.")] = None,
    cursor: CursorArg = None,
    limit: LimitArg = None,
    connection_id: Annotated[str | None, Field(min_length=1, description="One connection in full instead.")] = None,
) -> ConnectionList | ConnectionDetail:
    if connection_id is not None:
        svc = current_services()
        return await connection_detail(svc, await fetch_connection(svc, connection_id))
    offset = decode_cursor(cursor)
    connections = await current_services().client.connections.list()
    needle = (search or "").lower()
    matches = [c for c in connections if needle in c.name.lower() or needle in c.type.id.lower()]
    chunk, next_cursor = page(matches, offset, limit)
    return ConnectionList(
        connections=[ConnectionBrief(id=c.id, name=c.name, type=c.type.id, status=c.status or None) for c in chunk],
        total=len(matches),
        next_cursor=next_cursor,
    )


@tool(title="Change a connection", read_only=False, destructive=True, idempotent=True, open_world=True)
async def update_connection(
    ctx: Context,
    connection_id: Annotated[str, Field(min_length=1)],
    name: NewNameArg = None,
    configuration: Annotated[
        dict[str, Any] | None, Field(description="Only the keys to change: {'hosts': ...}.")
    ] = None,
    validate: Annotated[bool, Field(description="Test it before saving.")] = True,
    dry_run: DryRunArg = False,
    consent_token: ConsentTokenArg = None,
    confirmation: Annotated[ElicitationResult[Confirmation], Resolve(confirm_connection_change)] = None,  # type: ignore[assignment]
) -> UpdateResult:
    svc = current_services()
    current = await fetch_connection(svc, connection_id)
    schema = await svc.type_schema(current.type.id)
    given = configuration or {}
    carried = secret_values(given, schema.secret_paths)
    given = resolve_env_references(given, placed=secret_fields_only(schema.secret_paths, current.type.id),
                                   registry=svc.env_secret, prefix=svc.secret_prefix)
    seen = fingerprint(current)
    merged = merge_configuration(current.configuration, given, schema.secret_paths, svc.written.current(connection_id, seen))
    label = f"connection '{current.name}' ({connection_id})"
    if (refusal := merged.refusal(label, changed_elsewhere=svc.written.outdated(connection_id, seen))) is not None:
        raise fail(refusal)
    new_name = name or current.name
    updating = Updating("connection", connection_id, changes(
        {"name": current.name, "configuration": current.configuration},
        {"name": new_name, "configuration": {**current.configuration, **given}},
    ) + merged.notes())

    async def preview(problems: list[Problem], step: str) -> UpdateResult:
        shown = await masked_configuration(svc, current.type.id, merged.configuration)
        return updating.preview(new_name, {"name": new_name, "configuration": shown}, problems, step)

    async def saved(connection: Connection, _: Outcome) -> UpdateResult:
        svc.written.remember(connection_id, merged.configuration, schema.secret_paths, await fingerprint_after_write(svc, connection))
        try:
            users: list[UsedBy] | None = await with_last_runs(svc, await dependents_of_connection(svc, connection_id))
        except ToolFailure:
            users = None  # the update is done; only the list of what uses it could not be read
        step = ("Check status: a connection whose new settings do not work shows it in status_error."
                if connection.status != "healthy" else
                "Done; what uses it (used_by) runs with the new settings from its next run." if users else
                "Done; nothing uses it yet." if users is not None else
                "Done; models and syncs that use it run with the new settings from their next run.")
        return updating.saved(connection.name, await connection_detail(svc, connection), step + rerun_hint(users), users)

    async def stored() -> dict[str, Any]:
        return _editable(await fetch_connection(svc, connection_id))

    return await apply(ctx, Change.update(
        "update_connection", "connection", connection_id, current.name, new_name=new_name, secrets=carried, existing=svc.client.connections.list,
        read_again=(_editable(current), stored),
        shown_by=CONNECTION_SHOWN_BY, result=saved, preview=preview, notify=True, not_found="Call list_connections to see valid ids.",
        send=lambda: svc.client.connections.update(
            connection_id, name=new_name, configuration=merged.configuration, validate=None if validate else False,
        ),
        checks=Problem.at("", check_configuration(merged.configuration, schema)),
        fix=f"Call list_connection_types(type='{current.type.id}') to see every field.",
        rejected="Fix the configuration or pass validate=false to save without probing.",
        consent=outcome_of(confirmation), consent_token=consent_token,
    ), dry_run=dry_run)


def _editable(connection: Connection) -> dict[str, Any]:
    """What update_connection merges into (compared again before saving, so another writer's change is not undone)."""
    return {"name": connection.name, "configuration": connection.configuration}
