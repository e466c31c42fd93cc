"""Resolvers that ask the user before create_sync, update_sync, activate_sync(active=true) or start_sync change records.

Each runs before its tool's body and returns either the question (``Elicit``) or an
``Outcome`` saying why it did not ask. It never raises: a failure to read what the
question needs is ``could_not_check`` (the tool then does nothing), and a problem with
the request itself is ``invalid`` (the tool body reports it).
"""

from __future__ import annotations

from mcp.server.mcpserver import Context, Elicit

from polytomic_mcp.client import NotFoundError
from polytomic_mcp.client.models import (
    Model,
    Schedule,
    SyncField,
    SyncIdentities,
    SyncIdentity,
    SyncRequest,
    SyncTarget,
)

from ..core.consent import CANNOT_ASK, INVALID, NOT_NEEDED, Confirmation, Outcome, can_elicit, unchecked
from ..core.services import Services, current_services
from ..core.sync_kind import find_sync
from .checks import CHANGING_MODES
from .merge import merge_sync, needs_consent
from .precheck import precheck, read_models
from .question import question, request_facts, sync_facts

Asked = Elicit[Confirmation] | Outcome


async def confirm_create(
    ctx: Context,
    name: str,
    mode: str,
    target: SyncTarget,
    fields: list[SyncField],
    identity: SyncIdentity | None = None,
    identities: SyncIdentities | None = None,
    dry_run: bool = False,
) -> Asked:
    """Resolver for ``create_sync``: ask before creating a sync in a record-changing mode."""
    if dry_run or mode not in CHANGING_MODES:
        return NOT_NEEDED
    if not can_elicit(ctx):
        return CANNOT_ASK
    svc = current_services()
    try:
        request = SyncRequest(
            name=name, mode=mode, target=target, fields=fields, schedule=Schedule(frequency="manual"),
            identity=identity, identities=identities,
        )
        checked = await precheck(svc, request, check_schedule=False)
        if checked.problems:
            return INVALID
        read = {checked.destination.id: checked.destination.name} if checked.destination else {}
        names = await connection_names(svc, {target.connection_id}, checked.models, read)
    except Exception as error:  # noqa: BLE001 - every failure becomes an outcome; the body acts on it
        return unchecked(error, action=f"check sync '{name}'")
    return Elicit(question(f"Create sync '{name}'", request_facts(request, checked.models, names)), Confirmation)


async def confirm_update(
    ctx: Context,
    sync_id: str,
    name: str | None = None,
    mode: str | None = None,
    target: SyncTarget | None = None,
    fields: list[SyncField] | None = None,
    schedule: Schedule | None = None,
    identity: SyncIdentity | None = None,
    identities: SyncIdentities | None = None,
    active: bool | None = None,
    dry_run: bool = False,
) -> Asked:
    """Resolver for ``update_sync``: ask before a change that starts or alters writing existing records."""
    if dry_run:
        return NOT_NEEDED
    svc = current_services()
    try:
        found = await find_sync(svc, sync_id)
        if found.model is None:
            return NOT_NEEDED  # a bulk sync copies into a warehouse: it never changes existing records in an app
        current = found.model
        given = {"name": name, "mode": mode, "target": target, "fields": fields, "schedule": schedule,
                 "identity": identity, "identities": identities, "active": active}
        request = merge_sync(current, given)
        if not needs_consent(current, request):
            return NOT_NEEDED
        if not can_elicit(ctx):
            return CANNOT_ASK
        checked = await precheck(svc, request, check_schedule=False)
        if checked.problems:
            return INVALID
        read = {checked.destination.id: checked.destination.name} if checked.destination else {}
        names = await connection_names(svc, {request.target.connection_id}, checked.models, read)
    except Exception as error:  # noqa: BLE001 - every failure becomes an outcome; the body acts on it
        return unchecked(error, action=f"read sync '{sync_id}'")
    return Elicit(question(f"Change sync '{current.name}'", request_facts(request, checked.models, names)), Confirmation)


async def confirm_activation(ctx: Context, sync_id: str, active: bool) -> Asked:
    """Resolver for ``activate_sync``: ask before turning on a record-changing sync (pausing never asks)."""
    if not active:
        return NOT_NEEDED
    return await ask_about_sync(ctx, sync_id, "Turn on the schedule of sync '{name}'", unless_active=True)


async def confirm_run(ctx: Context, sync_id: str, test: bool) -> Asked:
    """Resolver for ``start_sync``: ask before running a record-changing sync (a test run writes records too)."""
    action = "Run a test of sync '{name}' now (a few records)" if test else "Run sync '{name}' now"
    return await ask_about_sync(ctx, sync_id, action)


async def ask_about_sync(ctx: Context, sync_id: str, action: str, *, unless_active: bool = False) -> Asked:
    """The question about a stored sync; ``action`` is a template with ``{name}``.

    ``unless_active``: nothing to ask when the sync is already active (turning it on changes nothing).
    """
    if not can_elicit(ctx):
        return CANNOT_ASK
    svc = current_services()
    try:
        found = await find_sync(svc, sync_id)
        sync = found.model
        if sync is None or sync.mode not in CHANGING_MODES or (unless_active and sync.active):
            return NOT_NEEDED  # bulk syncs copy into a warehouse: they never change existing records in an app
        models = await read_models(svc, set(sync.model_ids))
        destination = {sync.target_connection_id} if sync.target_connection_id else set()
        names = await connection_names(svc, destination, models)
    except Exception as error:  # noqa: BLE001 - every failure becomes an outcome; the body acts on it
        return unchecked(error, action=f"read sync '{sync_id}'")
    return Elicit(question(action.format(name=sync.name), sync_facts(sync, models, names)), Confirmation)


async def connection_names(
    svc: Services, destinations: set[str], models: dict[str, Model], known: dict[str, str] | None = None
) -> dict[str, str]:
    """Names of these connections and of the models' source connections, by id (missing ones left out).

    ``known`` names were read already and are not read again.
    """
    ids = destinations | {m.connection_id for m in models.values() if m.connection_id}
    names = dict(known or {})
    for connection_id in sorted(ids - set(names)):
        try:
            names[connection_id] = (await svc.client.connections.get(connection_id)).name
        except NotFoundError:
            continue
    return names
