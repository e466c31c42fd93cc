"""The confirmation question shown to the user before a sync changes existing records.

One ``question`` serves create_sync, activate_sync and start_sync. The text must be the
same for the same state: with protocol 2026-07-28 the resolver re-runs on every round and
a recorded answer counts only for the exact question it answered, so nothing here may
depend on time or on an unordered collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from polytomic_mcp.client.models import Model, Sync, SyncField, SyncIdentity, SyncRequest

MAX_LISTED_FIELDS = 20


@dataclass(frozen=True)
class SyncFacts:
    """What the user is shown about a sync, already as text, in a stable order."""

    mode: str
    target_object: str
    destination: str
    fields: list[str]
    identities: list[str]
    sources: list[str]


def question(action: str, facts: SyncFacts, before: SyncFacts | None = None) -> str:
    """The form text: the action, what changes from ``before`` (an update), mode, target object, destination by
    name, fields, identity and sources."""
    shown = ", ".join(facts.fields[:MAX_LISTED_FIELDS])
    if len(facts.fields) > MAX_LISTED_FIELDS:
        shown += f" (+{len(facts.fields) - MAX_LISTED_FIELDS} more)"
    changes = f"Changes: {'; '.join(differences(before, facts)) or 'none to fields, identity or mode'}\n" if before else ""
    return (
        f"{action}? Mode '{facts.mode}' changes existing records in target object '{facts.target_object}' "
        f"of connection {facts.destination}.\n"
        f"{changes}"
        f"Fields: {shown or 'none'}\n"
        f"Matched by: {'; '.join(facts.identities) or 'none'}\n"
        f"From: {'; '.join(facts.sources) or 'unknown'}"
    )


def differences(before: SyncFacts, after: SyncFacts) -> list[str]:
    """What an update changes, in a stable order: mode, target, then mappings and identities added (+) and dropped (-)."""
    found = []
    if before.mode != after.mode:
        found.append(f"mode {before.mode} -> {after.mode}")
    if before.target_object != after.target_object:
        found.append(f"target object {before.target_object} -> {after.target_object}")
    for label, old, new in (("field", before.fields, after.fields), ("identity", before.identities, after.identities)):
        found += [f"+ {label} {item}" for item in new if item not in old]
        found += [f"- {label} {item}" for item in old if item not in new]
    return found


def labelled(connection_id: str | None, names: dict[str, str]) -> str:
    """A connection as "'Name' (id)", or just its id when its name is unknown."""
    if connection_id is None:
        return "unknown"
    name = names.get(connection_id)
    return f"'{name}' ({connection_id})" if name is not None else connection_id


def sources(models: dict[str, Model], names: dict[str, str]) -> list[str]:
    """Each model read from, in id order, with its source connection by name."""
    return [
        f"model '{m.name}' on {labelled(m.connection_id, names)}" for _, m in sorted(models.items())
    ]


def request_facts(request: SyncRequest, models: dict[str, Model], names: dict[str, str]) -> SyncFacts:
    """The facts of a sync about to be created."""
    target = request.target
    return SyncFacts(
        mode=request.mode,
        target_object=target.object or "new " + ".".join(str(v) for v in (target.create or {}).values()),
        destination=labelled(target.connection_id, names),
        fields=[_field(f) for f in request.fields],
        identities=[_identity(i) for i in request.identity_mappings()],
        sources=sources(models, names),
    )


def sync_facts(sync: Sync, models: dict[str, Model], names: dict[str, str]) -> SyncFacts:
    """The facts of a stored sync, read back from the API."""
    mappings = (sync.identities or {}).get("mappings") or ([sync.identity] if sync.identity else [])
    return SyncFacts(
        mode=sync.mode,
        target_object=str(sync.target_object),
        destination=labelled(sync.target_connection_id, names),
        fields=[_stored_field(f) for f in sync.fields],
        identities=[_stored_identity(i) for i in mappings if isinstance(i, dict)],
        sources=sources(models, names),
    )


def _field(field: SyncField) -> str:
    return f"{field.source.field if field.source else repr(field.override_value)} -> {field.target}"


def _identity(identity: SyncIdentity) -> str:
    return f"{identity.source.field} -> {identity.target} ({identity.function})"


def _stored_field(field: dict[str, Any]) -> str:
    source = field.get("source") or {}
    return f"{source['field'] if 'field' in source else repr(field.get('override_value'))} -> {field.get('target')}"


def _stored_identity(identity: dict[str, Any]) -> str:
    source = identity.get("source") or {}
    return f"{source.get('field')} -> {identity.get('target')} ({identity.get('function')})"
