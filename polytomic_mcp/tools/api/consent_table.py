"""call_api's consent table: for each catalog operation that writes, the effect that needs the person's yes, or why none does.

This is an allow-list. A write needs no yes only when ``NO_CONSENT`` names it with a reason and the call
sets nothing that needs one. ``EFFECTS`` gives the effect of every other write in the catalog. An operation
in neither table asks with ``Effect.UNKNOWN``, so an operation that a new catalog adds asks until someone
classifies it. The rules of ``consent_effect``, first match wins:

* a read asks nothing;
* a set ``force``/``resync`` flag, or a ``resync_mode`` other than ``normal``, is ``DESTRUCTIVE``;
* ``{"$env": ...}`` anywhere in the body is ``OUTWARD``: a secret the server holds goes to an address the
  agent chose;
* an operation in ``EFFECTS`` asks with that effect;
* an operation in neither table is ``UNKNOWN``;
* a ``NO_CONSENT`` operation still asks when the call sets something its reason does not cover: a
  destructive flag nested in the body (a bulk schedule's ``resync_mode``) is ``DESTRUCTIVE``; a set
  ``url``/``redirect_url``/``endpoint``-like field anywhere in the body is ``OUTWARD``; and the operation's
  own condition in ``ASKS_WHEN`` applies (a model sync created in a mode that changes records, a connection
  test that merges a stored connection's credentials, ...).

The typed tools' writes (``typed_tool``) are classified too: call_api runs them when the call sets a parameter
the typed tool cannot send (``untyped_params``), and otherwise sends callers to the typed tool, which asks for
itself (``tools.core.effects``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..core.effects import Effect, changes_records
from ..core.secrets import env_references, is_env_reference

if TYPE_CHECKING:
    from polytomic_mcp.catalog import Operation

DESTRUCTIVE_FLAGS = frozenset({"force", "resync", "resync_mode"})
"""Fields that make a call delete dependants (``force``) or rerun a sync from scratch, when set."""
SAFE_RESYNC_MODES = frozenset({"normal"})
"""The one ``resync_mode`` that is not a resync: a normal incremental run."""
OUTWARD_WORDS = frozenset({"url", "urls", "uri", "endpoint", "endpoints", "webhook", "webhooks", "callback", "redirect"})
"""Words of a field name that say its value is an address to send to (``redirect_url``, ``endpoint``)."""

ASKING: dict[Effect, tuple[str, ...]] = {
    # Deletes, cancels and full-replacement PUTs: syncs and their runs, schedules and schemas, models, connections,
    # schema fields and keys, webhooks, and Harbor documents and saved queries.
    Effect.DESTRUCTIVE: (
        "bulk_sync.delete",
        "bulk_sync.update",
        "bulk_sync.cancel",
        "bulk_sync.executions.cancel",
        "bulk_sync.schemas.update",
        "bulk_sync.schemas.cancel",
        "bulk_sync.schedules.update",
        "bulk_sync.schedules.delete",
        "model_sync.delete",
        "model_sync.update",
        "model_sync.cancel",
        "model_sync.executions.cancel",
        "models.delete",
        "models.update",
        "connections.delete",
        "connections.update",
        "schemas.delete_field",
        "schemas.set_primary_keys",
        "schemas.reset_primary_keys",
        "webhooks.delete",
        "harbors.update",
        "harbors.update_context",
        "harbors.delete_context",
        "harbors.save_context_draft",
        "harbors.delete_context_draft",
        "harbors.delete_saved_query",
        "harbors.save_saved_query_draft",
        "harbors.delete_saved_query_draft",
    ),
    # Records changed in a business app: a model sync run (the table cannot read the stored sync's mode), and a
    # Harbor action, asked when it is prepared (the question shows the input) and when it is executed.
    Effect.RECORDS: (
        "model_sync.start",
        "harbors.actions.prepare",
        "harbors.actions.execute",
    ),
    # A request, SQL or schema edit run with a connection's stored credentials.
    Effect.CREDENTIALED: (
        "connections.proxy.execute_proxy",
        "connections.proxy.update_proxy_settings",
        "query_runner.run_query",
        "schemas.upsert_field",
        "schemas.patch_field",
        "harbors.run_query",
        "harbors.execute_saved_query",
        "harbors.validate_saved_query_draft",
        "harbors.actions.lookup",
        "harbors.resolve_source_mappings",
    ),
    # Data, events, links or notifications sent to an address the call names.
    Effect.OUTWARD: (
        "connections.connect",
        "record_view_links.create",
        "webhooks.create",
        "webhooks.update",
        "webhooks.enable",
        "notifications.set_global_error_subscribers",
        "model_sync.error_handling.update",
        "bulk_sync.error_handling.update",
        "organization.update_record_logging",
    ),
    # People, keys, sessions, roles, policies, organizations, shared connections and what a Harbor grants.
    Effect.ACCESS: (
        "users.create",
        "users.update",
        "users.delete",
        "users.create_current_org_user",
        "users.update_current_org_user",
        "users.delete_current_org_user",
        "users.create_api_key",
        "temporary_credentials.create",
        "permissions.policies.create",
        "permissions.policies.update",
        "permissions.policies.delete",
        "permissions.roles.create",
        "permissions.roles.update",
        "permissions.roles.delete",
        "organization.create",
        "organization.update",
        "organization.delete",
        "connections.shared_connections.create_shared_connection",
        "harbors.create",
        "harbors.delete",
        "harbors.register_session",
        "harbors.close_session",
        "harbors.create_key",
        "harbors.delete_key",
        "harbors.invite_user",
        "harbors.assign_user",
        "harbors.unassign_user",
        "harbors.create_context",
        "harbors.create_context_draft",
        "harbors.promote_context_draft",
        "harbors.create_saved_query_draft",
        "harbors.publish_saved_query_draft",
    ),
}
"""Writes that always ask, by the effect the question names."""

EFFECTS: dict[str, Effect] = {operation: effect for effect, operations in ASKING.items() for operation in operations}

NO_CONSENT: dict[str, str] = {
    "models.create": "a new model only defines what to read from a connection; nothing runs on a schedule",
    "models.preview": "shows the fields a model would have, as creating it does, and stores nothing",
    "models.post": "lists the input fields an enrichment needs; stores and changes nothing",
    "schemas.refresh": "re-reads a connection's schemas from its own stored host; changes no data",
    "connections.create": "a new connection holds only the values the call sends, checked against the host it names",
    "connections.test_connection": "without connection_id it tests only the values the call sends, on the host they name; stores nothing",
    "connections.get_type_parameter_values": "without connection_id it resolves picker values from the parameters the call sends; stores nothing",
    "model_sync.create": "a model sync in create or append mode only adds records; any other mode asks",
    "model_sync.activate": "pausing a sync stops its schedule and changes no records; turning one on asks",
    "bulk_sync.create": "a bulk sync copies into the destination's own tables; no record in a business app changes",
    "bulk_sync.activate": "a bulk sync copies into the destination's own tables; turning it on or off changes no app records",
    "bulk_sync.start": "a normal bulk run copies new changes into the destination's own tables",
    "bulk_sync.schemas.patch": "adds or adjusts the tables a bulk sync copies; dropping one asks",
    "bulk_sync.schedules.create": "adds a run time to a bulk sync, which copies into the destination's own tables",
    "bulk_sync.executions.export_logs": "packages a run's logs for the caller to download, as the log reads return them",
    "operations.search": "searches Polytomic's API documentation; sends only the questions asked",
    "webhooks.disable": "stops events to the webhook's stored endpoint; sends nothing",
}
"""Writes that need no yes, each with why, unless the call sets something that asks (see the module docstring)."""


def _is_set(value: Any) -> bool:
    """Whether a field is given a value that turns it on: not null, empty, false, 0 or "no"."""
    if isinstance(value, (Mapping, list)):
        return bool(value)
    return value is not None and str(value).strip().lower() not in {"", "false", "0", "no"}


def flag_set(name: str, value: Any) -> bool:
    """Whether the destructive flag ``name`` is set to something that deletes or reruns from scratch."""
    if name == "resync_mode":
        return value is not None and value not in SAFE_RESYNC_MODES
    return _is_set(value)


def _words(name: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return {word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word}


def _members(value: Any) -> list[tuple[str, Any]]:
    """(key, value) of every member of every object inside ``value``, nested ones and list items included."""
    if is_env_reference(value):
        return []
    if isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items()] + [m for v in value.values() for m in _members(v)]
    if isinstance(value, list):
        return [m for item in value for m in _members(item)]
    return []


def holds_env_reference(value: Any) -> bool:
    """Whether ``{"$env": ...}`` appears anywhere in ``value`` (members and list items: the walk that resolves them)."""
    return bool(env_references(value))


def _record_changing_mode(given: Mapping[str, Any]) -> Effect | None:
    return Effect.RECORDS if changes_records(str(given.get("mode") or "")) else None


def _turned_on(given: Mapping[str, Any]) -> Effect | None:
    return Effect.RECORDS if _is_set(given.get("active")) else None


def _stored_connection(given: Mapping[str, Any]) -> Effect | None:
    """With ``connection_id`` the values sent are merged over that connection's stored ones, secrets included."""
    return Effect.OUTWARD if _is_set(given.get("connection_id")) else None


def _dropped_schemas(given: Mapping[str, Any]) -> Effect | None:
    schemas = given.get("schemas")
    items = schemas if isinstance(schemas, list) else []
    dropped = any(isinstance(s, Mapping) and "enabled" in s and not _is_set(s["enabled"]) for s in items)
    return Effect.DESTRUCTIVE if dropped else None


ASKS_WHEN: dict[str, Callable[[Mapping[str, Any]], Effect | None]] = {
    "model_sync.create": _record_changing_mode,
    "model_sync.activate": _turned_on,
    "bulk_sync.schemas.patch": _dropped_schemas,
    "connections.test_connection": _stored_connection,
    "connections.get_type_parameter_values": _stored_connection,
}
"""Conditions under which a ``NO_CONSENT`` operation asks after all, given its query and top-level body fields."""


def consent_effect(operation: Operation, query: Mapping[str, Any], body: Any) -> Effect | None:
    """Why the person must agree before call_api sends ``operation`` with this query and body, or None.

    ``body`` is the body as the agent wrote it, before ``{"$env": ...}`` references are resolved.
    """
    if operation.reads:
        return None
    given = {**query, **(body if isinstance(body, Mapping) else {})}
    if any(flag_set(name, given.get(name)) for name in operation.destructive_params):
        return Effect.DESTRUCTIVE
    if holds_env_reference(body):
        return Effect.OUTWARD
    if (effect := EFFECTS.get(operation.id)) is not None:
        return effect
    if operation.id not in NO_CONSENT:
        return Effect.UNKNOWN
    members = _members(body)
    if any(key in DESTRUCTIVE_FLAGS and flag_set(key, value) for key, value in members):
        return Effect.DESTRUCTIVE
    if any(OUTWARD_WORDS & _words(key) and _is_set(value) for key, value in members):
        return Effect.OUTWARD
    condition = ASKS_WHEN.get(operation.id)
    return condition(given) if condition is not None else None
