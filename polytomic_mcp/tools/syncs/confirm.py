"""Resolvers that prepare the question before create_sync, update_sync, activate_sync, start_sync or cancel_sync_run.

Each returns ``offer``'s answer: the form to ask now, or an ``Outcome`` (nothing to ask, a problem for the
body to report, or the question for the body to obtain a yes to). The consent rule (``core.effects``): a
model sync in a mode that is not create or append changes existing records, so creating one, turning it on,
running it, or changing what it reads, writes or when it runs asks; a bulk resync/rebuild, a bulk change of
destination, mode or dropped schemas, and stopping a run ask too.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from mcp.server.mcpserver import Context

from polytomic_mcp.client import NotFoundError
from polytomic_mcp.client.models import (
    BulkSchemaSelection,
    BulkSync,
    Model,
    Schedule,
    Sync,
    SyncField,
    SyncIdentities,
    SyncIdentity,
    SyncRequest,
    SyncTarget,
)

from ..core.consent import INVALID, NOT_NEEDED, Asked, Outcome, Question, call_arguments, offer
from ..core.effects import Effect, changes_records
from ..core.services import Services, current_services
from ..core.sync_kind import find_sync, run_in_progress
from ..core.write import blocking
from .merge import merge_sync, needs_consent
from .precheck import model_ids, precheck, read_models
from .question import question, request_facts, sync_facts


async def confirm_create(
    ctx: Context, name: str, mode: str, target: SyncTarget, fields: list[SyncField], identity: SyncIdentity | None = None,
    identities: SyncIdentities | None = None, active: bool | None = None, dry_run: bool = False,
    consent_token: str | None = None,
) -> Asked:
    """Resolver for ``create_sync``: a sync in a mode that may change existing records asks (create/append do not, nor
    one created with active=false: it changes nothing until activate_sync or start_sync, which ask)."""
    if not changes_records(mode) or active is False:
        return NOT_NEEDED
    request = SyncRequest(name=name, mode=mode, target=target, fields=fields, schedule=Schedule(frequency="manual"),
                          identity=identity, identities=identities)
    arguments = call_arguments(name=name, mode=mode, target=target, fields=fields, identity=identity, identities=identities)
    build = partial(_new_sync_question, current_services(), f"Create sync '{name}'", request, arguments)
    return await offer(ctx, build, action=f"check sync '{name}'", dry_run=dry_run, token=consent_token)


async def _new_sync_question(
    svc: Services, action: str, request: SyncRequest, arguments: dict[str, Any], current: Sync | None = None,
) -> Question | Outcome:
    """The question before writing ``request``: a new sync, or (``current`` given) a change that names what changes."""
    checked = await precheck(svc, request, check_schedule=False)
    if blocking(checked.problems):
        return INVALID
    read = {checked.destination.id: checked.destination.name} if checked.destination else {}
    models = checked.models or await read_models(svc, model_ids(request))  # a target to be created is not prechecked
    names = await connection_names(svc, {request.target.connection_id}, models, read)
    before = sync_facts(current, models, names) if current is not None else None
    text = question(action, request_facts(request, models, names), before)
    return Question(action, text, Effect.RECORDS, arguments)


async def confirm_update(
    ctx: Context, sync_id: str, name: str | None = None, mode: str | None = None, target: SyncTarget | None = None,
    fields: list[SyncField] | None = None, schedule: Schedule | None = None, identity: SyncIdentity | None = None,
    identities: SyncIdentities | None = None, active: bool | None = None,
    destination_configuration: dict[str, Any] | None = None, schemas: list[str | BulkSchemaSelection] | None = None,
    options: dict[str, Any] | None = None, dry_run: bool = False, consent_token: str | None = None,
) -> Asked:
    """Resolver for ``update_sync``: a change that starts or alters writing existing records, or re-points a bulk sync."""
    given = {"name": name, "mode": mode, "target": target, "fields": fields, "schedule": schedule,
             "identity": identity, "identities": identities, "active": active}
    arguments = call_arguments(sync_id=sync_id, **given, destination_configuration=destination_configuration,
                               schemas=schemas, options=options)
    bulk = {"mode": mode, "destination_configuration": destination_configuration, "schemas": schemas}
    build = partial(_update_question, current_services(), sync_id, given, bulk, arguments)
    return await offer(ctx, build, action=f"read sync '{sync_id}'", dry_run=dry_run, token=consent_token)


async def _update_question(
    svc: Services, sync_id: str, given: dict[str, Any], bulk: dict[str, Any], arguments: dict[str, Any],
) -> Question | Outcome:
    found = await find_sync(svc, sync_id)
    if found.bulk is not None:
        return _bulk_update_question(found.bulk, bulk, arguments)
    assert found.model is not None
    current = found.model
    request = merge_sync(current, given)
    if not needs_consent(current, request):
        return NOT_NEEDED
    turning_on = " and turn it on" if request.active and not current.active else ""
    return await _new_sync_question(svc, f"Change sync '{current.name}'{turning_on}", request, arguments, current)


def _bulk_update_question(sync: BulkSync, given: dict[str, Any], arguments: dict[str, Any]) -> Question | Outcome:
    """A bulk change asks when it moves where data lands (destination settings, mode) or drops schemas."""
    stored = sync.destination_configuration or {}
    moved = {key: value for key, value in (given["destination_configuration"] or {}).items() if stored.get(key) != value}
    dropped = sorted(s.id for s in given["schemas"] or [] if isinstance(s, BulkSchemaSelection) and s.enabled is False)
    mode = given["mode"] if given["mode"] not in (None, sync.mode) else None
    if not (moved or dropped or mode):
        return NOT_NEEDED
    lines = [f"Change bulk sync '{sync.name}' ({sync.id})?"]
    lines += [f"Destination {key}: {stored.get(key)!r} -> {value!r}" for key, value in sorted(moved.items())]
    lines += [f"Mode: {sync.mode} -> {mode}"] if mode else []
    lines += [f"Stop syncing schemas: {', '.join(dropped)}"] if dropped else []
    return Question(f"Change bulk sync '{sync.name}'", "\n".join(lines), Effect.DESTRUCTIVE, arguments)


async def confirm_activation(ctx: Context, sync_id: str, active: bool, consent_token: str | None = None) -> Asked:
    """Resolver for ``activate_sync``: turning on a record-changing model sync asks (pausing never does)."""
    if not active:
        return NOT_NEEDED
    build = partial(_stored_sync_question, current_services(), sync_id, "Turn on the schedule of sync '{name}'",
                    call_arguments(sync_id=sync_id, active=active), unless_active=True)
    return await offer(ctx, build, action=f"read sync '{sync_id}'", token=consent_token)


async def confirm_run(
    ctx: Context, sync_id: str, test: bool = False, resync_mode: str | None = None, schemas: list[str] | None = None,
    fetch_mode: str | None = None, consent_token: str | None = None,
) -> Asked:
    """Resolver for ``start_sync``: running a record-changing model sync, or a bulk resync/rebuild, asks."""
    arguments = call_arguments(sync_id=sync_id, test=test, resync_mode=resync_mode, schemas=schemas, fetch_mode=fetch_mode)
    build = partial(_run_question, current_services(), sync_id, test, resync_mode, arguments,
                    bulk_only=any(v is not None for v in (resync_mode, schemas, fetch_mode)))
    return await offer(ctx, build, action=f"read sync '{sync_id}'", token=consent_token)


async def _run_question(
    svc: Services, sync_id: str, test: bool, resync_mode: str | None, arguments: dict[str, Any], *, bulk_only: bool,
) -> Question | Outcome:
    found = await find_sync(svc, sync_id)
    if found.bulk is not None:
        if resync_mode is None:
            return NOT_NEEDED
        text = (f"Run bulk sync '{found.bulk.name}' ({sync_id}) with resync_mode '{resync_mode}'? A resync or rebuild "
                "reloads the destination tables from scratch.")
        return Question(f"Run bulk sync '{found.bulk.name}' with resync_mode '{resync_mode}'", text, Effect.DESTRUCTIVE, arguments)
    if bulk_only and (resync_mode != "resync" or test or arguments.get("schemas") or arguments.get("fetch_mode")):
        return INVALID  # bulk-only arguments on a model sync: the body refuses them before anyone is asked
    if resync_mode == "resync" and found.model is not None:
        name = found.model.name
        text = (f"Run sync '{name}' ({sync_id}) as a full resync? Every record of its model is read and written to "
                f"{found.model.target_object or 'the target'} again, not only those changed since the last run.")
        return Question(f"Fully resync sync '{name}'", text, Effect.DESTRUCTIVE, arguments)
    action = "Run a test of sync '{name}' now (a few records)" if test else "Run sync '{name}' now"
    return await _stored_sync_question(svc, sync_id, action, arguments)


async def confirm_cancel(ctx: Context, sync_id: str, execution_id: str | None = None, consent_token: str | None = None) -> Asked:
    """Resolver for ``cancel_sync_run``: stopping a run asks (a stopped run leaves the target partly written)."""
    build = partial(_cancel_question, current_services(), sync_id, execution_id,
                    call_arguments(sync_id=sync_id, execution_id=execution_id))
    return await offer(ctx, build, action=f"read sync '{sync_id}'", token=consent_token)


async def _cancel_question(svc: Services, sync_id: str, execution_id: str | None, arguments: dict[str, Any]) -> Question | Outcome:
    found = await find_sync(svc, sync_id)
    if execution_id is None and not await run_in_progress(svc, sync_id, bulk=found.bulk is not None):
        return INVALID  # nothing to stop: the body says so, and asks nothing
    name = found.model.name if found.model is not None else found.bulk.name if found.bulk is not None else sync_id
    run = f"run {execution_id}" if execution_id else "the current run"
    text = f"Stop {run} of sync '{name}' ({sync_id})? What it wrote so far stays; the rest is not written."
    return Question(f"Stop {run} of sync '{name}'", text, Effect.DESTRUCTIVE, arguments)


async def _stored_sync_question(
    svc: Services, sync_id: str, action: str, arguments: dict[str, Any], *, unless_active: bool = False,
) -> Question | Outcome:
    """The question about a stored model sync; ``action`` is a template with ``{name}``.

    ``unless_active``: nothing to ask when the sync is already active (turning it on changes nothing).
    """
    found = await find_sync(svc, sync_id)
    sync = found.model
    if sync is None or not changes_records(sync.mode) or (unless_active and sync.active):
        return NOT_NEEDED  # bulk syncs copy into a warehouse: they never change existing records in an app
    models = await read_models(svc, set(sync.model_ids))
    destination = {sync.target_connection_id} if sync.target_connection_id else set()
    names = await connection_names(svc, destination, models)
    text = question(action.format(name=sync.name), sync_facts(sync, models, names))
    return Question(action.format(name=sync.name), text, Effect.RECORDS, arguments)


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
