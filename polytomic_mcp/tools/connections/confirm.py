"""The question before a connection's credentials go to an address the agent picked, or an active sync is re-pointed.

Asked when create_connection sends a server-held ``{"$env": ...}`` secret or an OAuth ``redirect_url``, and when
update_connection changes the configuration of a connection that holds secrets the call does not give itself
(stored ones, or ``$env`` ones: Polytomic would log in to the new address with them) or that an active
record-changing sync reads from or writes to. A rename, or a change that gives every secret itself, does not ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from mcp.server.mcpserver import Context

from ..core.consent import NOT_NEEDED, Asked, Outcome, Question, call_arguments, offer
from ..core.effects import Effect
from ..core.lookups import fetch_connection, resolve_type
from ..core.secrets import at_path, env_reference_paths, is_env_reference
from ..core.services import Services, current_services
from ..core.usage import record_changing_syncs
from .secret_merge import fingerprint


async def confirm_new_connection(
    ctx: Context, name: str, type: str, configuration: dict[str, Any], redirect_url: str | None = None,
    consent_token: str | None = None,
) -> Asked:
    """Resolver for ``create_connection``: a server-held secret or an OAuth redirect sent to where the agent says asks."""
    references, arguments = env_reference_paths(configuration), call_arguments(
        name=name, type=type, configuration=configuration, redirect_url=redirect_url)
    if not references and redirect_url is None:
        return NOT_NEEDED
    build = partial(_new_connection_question, current_services(), name, type, configuration, references, redirect_url, arguments)
    return await offer(ctx, build, action=f"check connection '{name}'", token=consent_token)


async def _new_connection_question(
    svc: Services, name: str, type: str, configuration: dict[str, Any], references: list[str], redirect_url: str | None,
    arguments: dict[str, Any],
) -> Question:
    kind = await resolve_type(svc, type)
    secret = (await svc.type_schema(kind.id)).secret_paths
    lines = [f"Create {kind.name} connection '{name}'?", f"Settings: {_plain_settings(configuration, secret)}"]
    if references:
        names = sorted({str(at_path(configuration, p)["$env"]) for p in references if "[]" not in p})
        lines.append(f"It sends the secret(s) held by this server in {', '.join(names)} to those settings.")
    if redirect_url is not None:
        lines.append(f"After authorization Polytomic sends the person's browser, with the grant, to {redirect_url}")
    return Question(f"Create connection '{name}'", "\n".join(lines), Effect.OUTWARD, arguments)


async def confirm_connection_change(
    ctx: Context, connection_id: str, name: str | None = None, configuration: dict[str, Any] | None = None,
    dry_run: bool = False, consent_token: str | None = None,
) -> Asked:
    """Resolver for ``update_connection``: see the module docstring."""
    if not configuration:
        return NOT_NEEDED
    arguments = call_arguments(connection_id=connection_id, name=name, configuration=configuration)
    build = partial(_change_question, current_services(), connection_id, configuration, arguments)
    return await offer(ctx, build, action=f"read connection '{connection_id}'", dry_run=dry_run, token=consent_token)


async def _change_question(
    svc: Services, connection_id: str, given: dict[str, Any], arguments: dict[str, Any],
) -> Question | Outcome:
    current = await fetch_connection(svc, connection_id)
    schema = await svc.type_schema(current.type.id)
    changed = {k: v for k, v in given.items() if current.configuration.get(k) != v}
    if not changed:
        return NOT_NEEDED
    remembered = svc.written.current(connection_id, fingerprint(current))
    kept = [p for p in schema.secret_paths
            if _sent_unseen(p, current.configuration, given, remembered.values.get(p) if remembered is not None else None)]
    users = await record_changing_syncs(svc, connection_id=connection_id)
    if not kept and not users:
        return NOT_NEEDED
    lines = [f"Change connection '{current.name}' ({connection_id}, {current.type.id})?",
             f"New settings: {_plain_settings(changed, schema.secret_paths)}"]
    if kept:
        lines.append(f"Polytomic will use its stored or server-held secret(s) {', '.join(sorted(kept))} with the new settings.")
    if users:
        lines.append("Active syncs that change records through it: " + "; ".join(str(u) for u in users))
    effect = Effect.OUTWARD if kept else Effect.RECORDS
    return Question(f"Change connection '{current.name}'", "\n".join(lines), effect, arguments)


def _sent_unseen(path: str, stored: dict[str, Any], given: dict[str, Any], remembered: str | None) -> bool:
    """Whether the secret at ``path`` goes with the change without the agent giving it literally in this call."""
    value = at_path(given, path)
    if value is not None and not is_env_reference(value):
        return False
    return is_env_reference(value) or at_path(stored, path) not in (None, "") or remembered is not None


def _plain_settings(configuration: dict[str, Any], secret_paths: Iterable[str]) -> str:
    """Top-level settings as shown: references by name, secret fields and nested settings masked."""
    secret = set(secret_paths)
    shown = {k: ("$env " + str(v["$env"]) if is_env_reference(v) else "******" if k in secret or isinstance(v, (dict, list)) else v)
             for k, v in sorted(configuration.items())}
    return ", ".join(f"{k}={v!r}" for k, v in shown.items())
