"""Connection lifecycle: validate against the catalog, probe the world, OAuth consent, update, test and cascade delete."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from ..credentials import login_problem
from ..errors import ApiError, bad_request, listing, not_found, unprocessable
from ..hosts import bigquery_key, probe
from ..ids import new_id, next_revision, now_iso
from ..records import Connection, Model, Sync
from ..schema_adapter import is_read_only
from ..type_rules import check_rules
from ..type_schemas import CONNECTION_TYPES, ConnectionType, get_type
from ..upstream import System
from ..validation import clean_configuration
from ..world import system_for
from .body import optional, require_object, require_str

if TYPE_CHECKING:
    from ..store import Workspace


def connection_type(type_id: Any) -> ConnectionType:
    """Return the catalog entry for ``type_id`` or raise 400 naming the known types."""
    ctype = get_type(type_id) if isinstance(type_id, str) else None
    if ctype is None:
        raise bad_request(f'unknown connection type "{type_id}"; available: {listing(sorted(CONNECTION_TYPES))}')
    return ctype


def get_connection(ws: Workspace, connection_id: str) -> Connection:
    """Return a stored connection or raise 404."""
    conn = ws.connections.get(connection_id)
    if conn is None:
        raise not_found(f'connection "{connection_id}" not found')
    return conn


def referenced_connection(ws: Workspace, connection_id: Any, what: str) -> Connection:
    """Return the connection a body member points at, or raise 422 (the body, not the path, is wrong)."""
    conn = ws.connections.get(connection_id) if isinstance(connection_id, str) else None
    if conn is None:
        raise unprocessable(f'{what} "{connection_id}" not found')
    return conn


def describe(conn: Connection) -> str:
    """Name a connection in messages: ``"Name" (type, id)``."""
    return f'"{conn.name}" ({conn.type_id}, {conn.id})'


def usable_system(ws: Workspace, conn: Connection) -> System:
    """Return the upstream system of an authorized, healthy connection or raise 422 saying why it cannot be used."""
    if not conn.authorized:
        raise unprocessable(f"connection {describe(conn)} is not authorized yet; open its auth_url to finish connecting")
    if conn.status != "healthy":
        raise unprocessable(f"connection {describe(conn)} is unhealthy: {conn.status_error or 'upstream unreachable'}")
    return ws.systems.get(conn.id) or system_for(conn.type_id)


def _derived(ctype: ConnectionType, config: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Return read-only values Polytomic itself fills, keeping ones set earlier (OAuth user, derived ids)."""
    props = ctype.schema["properties"]
    kept = {k: v for k, v in previous.items() if is_read_only(props.get(k, {}))}
    if previous.get("oauth_refresh_token") and not config.get("oauth_refresh_token") and ctype.use_oauth:
        kept["oauth_refresh_token"] = previous["oauth_refresh_token"]
    if ctype.id == "bigquery" and (key := bigquery_key(config)):
        kept.update(project_id=key["project_id"], client_email=key["client_email"])
    if ctype.id == "s3" and config.get("auth_mode") == "iam_role":
        kept.setdefault("aws_user", "arn:aws:iam::123456789012:user/polytomic-sandbox")
        kept.setdefault("external_id", secrets.token_hex(8))
    if ctype.id == "webhook":
        kept.setdefault("secret", "whsec_" + secrets.token_hex(16))
    return kept


def _needs_consent(ctype: ConnectionType, config: dict[str, Any]) -> bool:
    """Whether an OAuth type still needs a person to approve access (no usable credentials were supplied)."""
    if not ctype.use_oauth:
        return False
    if ctype.id == "salesforce":
        return config.get("connect_mode") in ("browser", "code")
    return not config.get("oauth_refresh_token")


def _apply_consent(ctype: ConnectionType, conn: Connection) -> None:
    """Mark an OAuth connection authorized and fill what the provider reports (user, refresh token)."""
    config = conn.configuration
    if ctype.id == "salesforce":
        company = config.get("domain", "example").split("//")[-1].split(".")[0]
        config["username"] = f"sandbox.user@{company}.example.com"
    if ctype.id == "hubspot":
        config["hub_user"] = "sandbox.user@example.com"
        config["hub_domain"] = "sandbox-portal.hubspot.com"
    config.setdefault("oauth_refresh_token", "sbx_rt_" + secrets.token_hex(12))
    conn.authorized, conn.status, conn.status_error, conn.auth_url, conn.auth_code = True, "healthy", "", "", ""


def _health(ctype: ConnectionType, config: dict[str, Any], validate: bool) -> tuple[str, str]:
    """Probe the world (reach the host, then log in); a failed probe is a 400 when validating, an ``unhealthy`` status otherwise."""
    problem = probe(ctype.id, config) or login_problem(ctype.id, ctype.name, ctype.schema, config)
    if problem and validate:
        raise bad_request(problem)
    return ("unhealthy", problem) if problem else ("healthy", "")


def _settle_oauth(ws: Workspace, ctype: ConnectionType, conn: Connection, *, reissue: bool) -> None:
    """Authorize right away when credentials were supplied, else (re)issue an ``auth_url`` and wait for consent."""
    if not ctype.use_oauth:
        conn.authorized, conn.auth_url, conn.auth_code = True, "", ""
        return
    if not _needs_consent(ctype, conn.configuration):
        _apply_consent(ctype, conn)
        return
    if conn.authorized and not reissue:
        conn.auth_url, conn.auth_code = "", ""
        return
    code = secrets.token_hex(4).upper() if conn.configuration.get("connect_mode") == "code" else ""
    conn.authorized, conn.status, conn.status_error = False, "", ""
    conn.auth_url, conn.auth_code = ws.oauth.issue(ws, conn.id), code


def create_connection(ws: Workspace, body: Any) -> Connection:
    """Validate a create body, probe the upstream (unless ``validate`` is false) and store the connection."""
    body = require_object(body)
    name = require_str(body, "name")
    ctype = connection_type(body.get("type"))
    if "configuration" not in body:
        raise bad_request("configuration is required")
    config = clean_configuration(ctype.schema, body["configuration"])
    check_rules(ctype.id, config)
    validate = optional(body, "validate", bool, True)
    redirect_url = optional(body, "redirect_url", str, "")
    status, status_error = _health(ctype, config, validate)
    conn = _new_connection(ws, name, ctype, config, status, status_error)
    conn.policies = optional(body, "policies", list, [])
    conn.healthcheck_interval = optional(body, "healthcheck_interval", str, "")
    conn.redirect_url = redirect_url
    conn.configuration.update(_derived(ctype, config, {}))
    _settle_oauth(ws, ctype, conn, reissue=True)
    ws.connections[conn.id] = conn
    return conn


def _new_connection(ws: Workspace, name: str, ctype: ConnectionType, config: dict[str, Any], status: str, status_error: str) -> Connection:
    stamp = now_iso()
    return Connection(
        id=new_id(), name=name, organization_id=ws.organization_id, type=ctype.type_ref(), configuration=config, status=status,
        status_error=status_error, created_at=stamp, created_by=ws.actor(), updated_at=stamp, updated_by=ws.actor(), rev=next_revision(),
    )


def seed_connection(ws: Workspace, name: str, type_id: str, configuration: dict[str, Any], *, status: str = "healthy") -> Connection:
    """Store a connection for tests/benchmarks without probing; ``status=""`` leaves an OAuth type awaiting consent."""
    try:
        ctype = connection_type(type_id)
        config = clean_configuration(ctype.schema, configuration)
    except ApiError as exc:
        raise ValueError(exc.message) from exc
    conn = _new_connection(ws, name, ctype, config, status, "" if status == "healthy" else "seeded as unhealthy")
    conn.configuration.update(_derived(ctype, config, {}))
    if ctype.use_oauth and status == "":
        conn.authorized, conn.auth_url, conn.status_error = False, ws.oauth.issue(ws, conn.id), ""
    elif ctype.use_oauth:
        _apply_consent(ctype, conn)
        conn.status = status
    ws.connections[conn.id] = conn
    return conn


def update_connection(ws: Workspace, connection_id: str, body: Any) -> Connection:
    """Replace a connection's name and whole configuration (omitted keys are cleared), re-validating it."""
    conn = get_connection(ws, connection_id)
    body = require_object(body)
    name = require_str(body, "name")
    ctype = connection_type(conn.type_id)
    if body.get("type") not in (None, "", ctype.id):
        raise bad_request(f'connection type cannot be changed (is "{ctype.id}", got "{body["type"]}")')
    if "configuration" not in body:
        raise bad_request("configuration is required")
    config = clean_configuration(ctype.schema, body["configuration"])
    check_rules(ctype.id, config)
    validate = optional(body, "validate", bool, True)
    reconnect = optional(body, "reconnect", bool, False)
    status, status_error = _health(ctype, config, validate)
    config.update(_derived(ctype, config, conn.configuration))
    conn.name, conn.configuration, conn.status, conn.status_error = name, config, status, status_error
    conn.policies = optional(body, "policies", list, conn.policies)
    conn.healthcheck_interval = optional(body, "healthcheck_interval", str, conn.healthcheck_interval)
    conn.updated_at, conn.updated_by, conn.rev = now_iso(), ws.actor(), next_revision()
    was_authorized = conn.authorized
    _settle_oauth(ws, ctype, conn, reissue=reconnect)
    if ctype.use_oauth and was_authorized and not reconnect and conn.authorized:
        conn.status, conn.status_error = status, status_error
    return conn


def test_connection(ws: Workspace, body: Any) -> None:
    """Validate and probe a configuration without storing it; with ``connection_id`` merge it over the saved one."""
    body = require_object(body)
    ctype = connection_type(body.get("type"))
    raw = body.get("configuration")
    if raw is None:
        raise bad_request("configuration is required")
    if body.get("connection_id"):
        saved = get_connection(ws, body["connection_id"])
        if saved.type_id != ctype.id:
            raise bad_request(f'connection "{saved.id}" is a {saved.type_id} connection, not {ctype.id}')
        props = ctype.schema["properties"]
        base = {k: v for k, v in saved.configuration.items() if not is_read_only(props.get(k, {}))}
        raw = {**base, **require_object(raw, "configuration")}
    config = clean_configuration(ctype.schema, raw)
    check_rules(ctype.id, config)
    _health(ctype, config, True)


def dependents(ws: Workspace, connection_id: str) -> tuple[list[Sync], list[Model]]:
    """Return the syncs and models that use a connection (as source or destination)."""
    models = [m for m in ws.models.values() if m.connection_id == connection_id]
    model_ids = {m.id for m in models}
    syncs = [
        s for s in ws.syncs.values() if s.target["connection_id"] == connection_id or model_ids.intersection(s.model_ids)
    ]
    return syncs, models


def delete_connection(ws: Workspace, connection_id: str, *, force: bool) -> None:
    """Delete a connection; without ``force`` refuse with 422 "connection in use" (naming the syncs, models and bulk
    syncs that use it), with it delete those dependents first."""
    get_connection(ws, connection_id)
    syncs, models = dependents(ws, connection_id)
    bulk_syncs = ws.bulk.using(connection_id)
    if (syncs or models or bulk_syncs) and not force:
        used_by = [{"type": "sync", "name": s.name, "id": s.id} for s in syncs]
        used_by += [{"type": "model", "name": m.name, "id": m.id} for m in models]
        used_by += [{"type": "bulk_sync", "name": b["name"], "id": b["id"]} for b in bulk_syncs]
        raise unprocessable("connection in use", metadata={"used_by": used_by})
    for sync in syncs:
        ws.drop_sync(sync.id)
    for bulk_sync in bulk_syncs:
        ws.bulk.drop(bulk_sync["id"])
    ws.bulk.forget_connection(connection_id)
    for model in models:
        ws.models.pop(model.id, None)
    ws.connections.pop(connection_id, None)
    ws.systems.pop(connection_id, None)


def complete_consent(ws: Workspace, connection_id: str) -> Connection:
    """Finish the simulated OAuth consent for a connection (what opening its ``auth_url`` does)."""
    conn = get_connection(ws, connection_id)
    _apply_consent(connection_type(conn.type_id), conn)
    conn.updated_at, conn.rev = now_iso(), next_revision()
    return conn
