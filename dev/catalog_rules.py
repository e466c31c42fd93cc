"""How the generator classifies an operation: whether it reads, its risk tags, its secret fields, its typed tool.

The rules read only the method, the path, the SDK id and the body's field names, so they are checked here
without the SDK. They lean to caution: only GET reads, and every PUT is a full replacement unless the SDK's
documentation says it only sets one flag or one assignment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from polytomic_mcp.catalog.operation import ANY_FIELD, Risk, field_name

READING_METHODS = frozenset({"GET"})
"""POSTs that only look (search, preview, test, lookups, query runs) still count as writes: a query runner or
preview runs caller-supplied SQL, and a test sends credentials outward. Read-only mode refuses them."""

PARTIAL_PUTS = frozenset({
    "harbors.assign_user",
    "connections.proxy.update_proxy_settings",
})
"""PUTs the SDK documents as an idempotent assignment or a single on/off switch; every other PUT replaces
the stored object (the SDK says "full replacement", "replaces" or "omitted fields are cleared" for most)."""

DESTRUCTIVE_PARAMS = frozenset({"force", "resync", "resync_mode"})
"""Top-level query or body fields that make a call destructive when set: ``force`` deletes dependants,
``resync``/``resync_mode`` re-run a sync from scratch (the SDK: "destructive or full-refresh style reruns")."""

ADMIN_SEGMENTS = frozenset({
    "users", "keys", "roles", "policies", "permissions", "organization", "organizations",
    "harbor", "harbors", "harbor-activity", "temporary-credentials",
})
"""Path segments of operations on people, credentials, access rules, organizations and Harbor."""

MINTING = frozenset({
    "users.create_api_key",
    "harbors.create_key",
    "harbors.create",
    "harbors.register_session",
    "temporary_credentials.create",
})
"""Operations whose answer holds a new secret: API keys, Harbor credentials (``harbors.create`` generates one
unless ``generate_api_key`` is false), Harbor session tokens and temporary credentials."""

SECRET_WORDS = frozenset({"password", "passwd", "passphrase", "secret", "secrets", "token", "tokens", "credential", "credentials", "apikey"})
SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"), ("signing", "key"), ("client", "secret")})
NOT_SECRET_PAIRS = frozenset({("page", "token"), ("token", "url"), ("token", "endpoint")})

TYPE_DEPENDENT_SECRETS = frozenset({"configuration", "parameters"})
"""Connection body members whose fields depend on the connection type, any of which may be a secret
(``parameters`` of ``POST /api/connection_types/{type}/parameter_values`` is a configuration in the making)."""
NOT_SECRET_TYPES = frozenset({"boolean", "integer", "number", "datetime", "date"})
"""Leaf types that cannot hold a secret (``generate_api_key`` is a switch, not a key)."""

TYPED_TOOLS: dict[str, str] = {
    "connections.get_types": "list_connection_types",
    "connections.get_connection_type_schema": "list_connection_types",
    "connections.list": "list_connections",
    "connections.get": "list_connections",
    "connections.create": "create_connection",
    "connections.update": "update_connection",
    "connections.delete": "delete",
    "models.list": "list_models",
    "models.get": "list_models",
    "models.sample": "list_models",
    "models.create": "create_model",
    "models.update": "update_model",
    "models.delete": "delete",
    "model_sync.get_source": "list_source_objects",
    "model_sync.get_source_fields": "list_source_objects",
    "model_sync.targets.list": "list_target_objects",
    "model_sync.targets.get_target_fields": "list_target_objects",
    "model_sync.list": "list_syncs",
    "model_sync.get": "list_syncs",
    "model_sync.create": "create_sync",
    "model_sync.update": "update_sync",
    "model_sync.delete": "delete",
    "model_sync.activate": "activate_sync",
    "model_sync.start": "start_sync",
    "model_sync.get_status": "get_sync_status",
    "model_sync.cancel": "cancel_sync_run",
    "model_sync.executions.list": "get_sync_runs",
    "model_sync.executions.get": "get_sync_runs",
    "model_sync.executions.get_console_logs": "get_sync_runs",
    "model_sync.executions.get_logs_index": "get_sync_runs",
    "model_sync.executions.get_log_urls": "get_sync_runs",
    "model_sync.executions.get_logs": "get_sync_runs",
    "model_sync.executions.cancel": "cancel_sync_run",
    "bulk_sync.list": "list_syncs",
    "bulk_sync.get": "list_syncs",
    "bulk_sync.create": "create_bulk_sync",
    "bulk_sync.update": "update_sync",
    "bulk_sync.delete": "delete",
    "bulk_sync.activate": "activate_sync",
    "bulk_sync.start": "start_sync",
    "bulk_sync.get_status": "get_sync_status",
    "bulk_sync.cancel": "cancel_sync_run",
    "bulk_sync.get_source": "list_source_objects",
    "bulk_sync.get_destination": "list_target_objects",
    "bulk_sync.schemas.list": "list_syncs",
    "bulk_sync.schemas.patch": "update_sync",
    "bulk_sync.executions.list": "get_sync_runs",
    "bulk_sync.executions.get": "get_sync_runs",
    "bulk_sync.executions.get_console_logs": "get_sync_runs",
    "bulk_sync.executions.cancel": "cancel_sync_run",
}
"""The MCP tool that does an operation's job better (checks first, pages, masks secrets, explains failures)."""

API_VERSIONS = ("2024-02-08", "2025-09-18")
"""The API versions the catalog describes, oldest first: SDK 1.18.0 speaks the first, SDK 25.9.10 the second."""

NEW_IN_2025_09_18 = frozenset({
    "activity.get", "activity.get_session", "activity.list", "bulk_sync.error_handling.get",
    "bulk_sync.error_handling.update", "bulk_sync.executions.get_console_logs",
    "bulk_sync.executions.get_ingest_console_logs", "bulk_sync.executions.get_schema_console_logs",
    "connections.get_connect_session", "connections.get_usage", "connections.proxy.execute_proxy",
    "connections.proxy.get_proxy_info", "connections.proxy.get_proxy_settings",
    "connections.proxy.update_proxy_settings", "connections.shared_connections.create_shared_connection",
    "connections.shared_connections.list_shared_connections_for_partner", "entities.get", "entities.get_for_partner",
    "harbors.actions.describe", "harbors.actions.execute", "harbors.actions.get_execution", "harbors.actions.list",
    "harbors.actions.lookup", "harbors.actions.prepare", "harbors.assign_user", "harbors.close_session",
    "harbors.create", "harbors.create_context", "harbors.create_context_draft", "harbors.create_key",
    "harbors.create_saved_query_draft", "harbors.delete", "harbors.delete_context", "harbors.delete_context_draft",
    "harbors.delete_key", "harbors.delete_saved_query", "harbors.delete_saved_query_draft",
    "harbors.execute_saved_query", "harbors.get", "harbors.get_authorized_schema", "harbors.get_context",
    "harbors.get_context_draft", "harbors.get_context_version", "harbors.get_saved_query", "harbors.get_status",
    "harbors.invite_user", "harbors.list", "harbors.list_authorized_connections", "harbors.list_authorized_schemas",
    "harbors.list_context_drafts", "harbors.list_context_versions", "harbors.list_contexts", "harbors.list_keys",
    "harbors.list_saved_queries", "harbors.list_saved_query_drafts", "harbors.list_users",
    "harbors.promote_context_draft", "harbors.publish_saved_query_draft", "harbors.register_session",
    "harbors.resolve_source_mappings", "harbors.run_query", "harbors.save_context_draft",
    "harbors.save_saved_query_draft", "harbors.unassign_user", "harbors.update", "harbors.update_context",
    "harbors.validate_saved_query_draft", "model_sync.error_handling.get", "model_sync.error_handling.update",
    "model_sync.executions.cancel", "model_sync.executions.get_console_logs", "model_sync.executions.get_logs_index",
    "operations.get_search_availability", "operations.search", "organization.get_current",
    "organization.get_record_logging", "organization.update_record_logging", "record_view_links.create",
    "record_view_links.get_capabilities", "schemas.patch_field", "temporary_credentials.create",
    "users.create_current_org_user", "users.delete_current_org_user", "users.get_current_org_user",
    "users.list_current_org_users", "users.update_current_org_user", "webhooks.list_deliveries",
})
"""Operations SDK 1.18.0 (API 2024-02-08) does not send, compared by method and path shape (``{}`` for each
parameter) with the 25.9.10 catalog when this list was made. SDK 1.18.0 is not installed here, so the list is
committed rather than recomputed; 2024-02-08 also had three operations 2025-09-18 dropped (``GET
/api/connections/{id}/modelsync/target``, ``POST /api/connections/{id}/share``, ``PUT
/api/syncs/{sync_id}/executions/{id}``), which the catalog does not list."""

_SYNC_BODY = {"active": "active", "fields": "fields", "identities": "identities", "identity": "identity", "mode": "mode",
              "name": "name", "schedule": "schedule", "target": "target"}
_BULK_OPTIONS = {name: "options" for name in ("automatically_add_new_fields", "automatically_add_new_objects", "normalize_names",
                                              "disable_record_timestamps")}
TOOL_ITSELF = ""
"""The typed tool sets this parameter itself (``async``: it waits for the job)."""
STORED = "(stored)"
"""The typed tool sends the stored value, which it cannot change: a full-replacement PUT needs the object's connection,
and pointing a model or bulk sync at another connection is making another one (create_model, create_bulk_sync)."""

TYPED_ARGS: dict[str, dict[str, str]] = {
    "connections.get_types": {},
    "connections.get_connection_type_schema": {"id": "type"},
    "connections.list": {},
    "connections.get": {"id": "connection_id"},
    "connections.create": {"configuration": "configuration", "name": "name", "type": "type", "redirect_url": "redirect_url",
                           "validate": "validate"},
    "connections.update": {"id": "connection_id", "configuration": "configuration", "name": "name", "validate": "validate"},
    "connections.delete": {"id": "id", "force": "force"},
    "models.list": {},
    "models.get": {"id": "model_id", "async": TOOL_ITSELF},
    "models.sample": {"id": "model_id", "async": TOOL_ITSELF},
    "models.create": {"async": TOOL_ITSELF, "configuration": "configuration", "connection_id": "connection_id", "fields": "fields",
                      "identifier": "identifier", "labels": "labels", "name": "name"},
    "models.update": {"id": "model_id", "async": TOOL_ITSELF, "connection_id": STORED, "configuration": "configuration", "fields": "fields",
                      "identifier": "identifier", "labels": "labels", "name": "name"},
    "models.delete": {"id": "id", "async": TOOL_ITSELF},
    "model_sync.get_source": {"id": "connection_id", "params": "params"},
    "model_sync.get_source_fields": {"id": "connection_id", "params": "params"},
    "model_sync.targets.list": {"id": "connection_id"},
    "model_sync.targets.get_target_fields": {"id": "connection_id", "target": "target_object"},
    "model_sync.list": {"active": "active", "limit": "limit", "page_token": "cursor", "target_connection_id": "destination"},
    "model_sync.get": {"id": "sync_id"},
    "model_sync.create": _SYNC_BODY,
    "model_sync.update": {"id": "sync_id", **_SYNC_BODY},
    "model_sync.delete": {"id": "id"},
    "model_sync.activate": {"id": "sync_id", "active": "active"},
    "model_sync.start": {"id": "sync_id", "resync": "resync_mode", "test": "test"},
    "model_sync.get_status": {"id": "sync_id"},
    "model_sync.cancel": {"id": "sync_id"},
    "model_sync.executions.list": {"sync_id": "sync_id"},
    "model_sync.executions.get": {"sync_id": "sync_id", "id": "execution_id"},
    "model_sync.executions.get_console_logs": {"sync_id": "sync_id", "id": "execution_id"},
    "model_sync.executions.get_logs_index": {"sync_id": "sync_id", "id": "execution_id"},
    "model_sync.executions.get_log_urls": {"sync_id": "sync_id", "id": "execution_id"},
    "model_sync.executions.get_logs": {"sync_id": "sync_id", "id": "execution_id"},
    "model_sync.executions.cancel": {"sync_id": "sync_id", "id": "execution_id"},
    "bulk_sync.list": {"active": "active"},
    "bulk_sync.get": {"id": "sync_id"},
    "bulk_sync.create": {"active": "active", "default_schedule": "schedule", "destination_configuration": "destination_configuration",
                         "destination_connection_id": "destination_connection_id", "mode": "mode", "name": "name",
                         "schemas": "schemas", "source_connection_id": "source_connection_id",
                         "automatically_add_new_fields": "automatically_add_new_fields",
                         "automatically_add_new_objects": "automatically_add_new_objects", "normalize_names": "normalize_names"},
    "bulk_sync.update": {"id": "sync_id", "source_connection_id": STORED, "destination_connection_id": STORED,
                         "active": "active", "default_schedule": "schedule", "mode": "mode", "name": "name",
                         "destination_configuration": "destination_configuration", "schemas": "schemas", **_BULK_OPTIONS},
    "bulk_sync.delete": {"id": "id"},
    "bulk_sync.activate": {"id": "sync_id", "active": "active"},
    "bulk_sync.start": {"id": "sync_id", "fetch_mode": "fetch_mode", "resync_mode": "resync_mode", "schemas": "schemas", "test": "test"},
    "bulk_sync.get_status": {"id": "sync_id"},
    "bulk_sync.cancel": {"id": "sync_id"},
    "bulk_sync.get_source": {"id": "connection_id"},
    "bulk_sync.get_destination": {"id": "connection_id"},
    "bulk_sync.schemas.list": {"id": "sync_id"},
    "bulk_sync.schemas.patch": {"id": "sync_id", "schemas": "schemas"},
    "bulk_sync.executions.list": {"id": "sync_id", "limit": "limit"},
    "bulk_sync.executions.get": {"id": "sync_id", "exec_id": "execution_id"},
    "bulk_sync.executions.get_console_logs": {"sync_id": "sync_id", "execution_id": "execution_id"},
    "bulk_sync.executions.cancel": {"id": "sync_id", "exec_id": "execution_id"},
}
"""For each operation a typed tool does, the tool argument that carries each parameter it can send. A parameter
left out is one the tool cannot send: a call that sets it goes through call_api (``untyped_params``)."""


def reads(method: str) -> bool:
    """Whether an operation only reads: GET, and nothing else."""
    return method in READING_METHODS


def risks(operation_id: str, method: str, path: str) -> tuple[Risk, ...]:
    """The risk tags of an operation, sorted."""
    tags: set[Risk] = set()
    segments = [segment for segment in path.split("/") if segment and not segment.startswith("{")]
    if method == "DELETE" or segments[-1] == "cancel" or (method == "PUT" and operation_id not in PARTIAL_PUTS):
        tags.add("destructive")
    if ADMIN_SEGMENTS.intersection(segments):
        tags.add("admin")
    if operation_id in MINTING:
        tags.update(("mints_credentials", "admin"))
    return tuple(sorted(tags))


def destructive_params(query: Mapping[str, str], body: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Top-level query or body fields that make a call destructive when set."""
    names = {field_name(key) for key in [*query, *(body or {})]}
    return tuple(sorted(names & DESTRUCTIVE_PARAMS))


def words(name: str) -> list[str]:
    """``clientSecret`` / ``client_secret`` / ``client-secret`` -> ``["client", "secret"]``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word]


def is_secret_name(name: str) -> bool:
    """Whether a field's name says it holds a secret (password, token, api key, client secret, ...)."""
    parts = words(name)
    pairs = set(zip(parts, parts[1:], strict=False))
    if pairs & NOT_SECRET_PAIRS:
        return False
    return bool(SECRET_WORDS.intersection(parts) or pairs & SECRET_PAIRS)


def secret_fields(path: str, body: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Dotted body paths that carry secrets; a connection's ``configuration`` is ``configuration.*``."""
    connection = path.startswith(("/api/connections", "/api/connection_types"))
    found: set[str] = set()
    for dotted, name, picture in _body_paths(body or {}, ""):
        if connection and dotted in TYPE_DEPENDENT_SECRETS:
            found.add(f"{dotted}.{ANY_FIELD}")
        elif is_secret_name(name) and picture not in NOT_SECRET_TYPES:
            found.add(dotted)
    return tuple(sorted(found))


def _body_paths(schema: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str, Any]]:
    """(dotted path, name, compact type) of every field of a body schema, nested objects and lists of them included."""
    for key, value in schema.items():
        name = field_name(key)
        dotted = f"{prefix}{name}"
        yield dotted, name, value
        inner = value[0] if isinstance(value, list) and value else value
        if isinstance(inner, dict):
            yield from _body_paths(inner, f"{dotted}.")


def typed_tool(operation_id: str) -> str | None:
    """The MCP tool that does this operation's job better, if one does."""
    return TYPED_TOOLS.get(operation_id)


def since(operation_id: str) -> str | None:
    """The API version that added an operation, when newer than the oldest one the catalog describes."""
    return API_VERSIONS[-1] if operation_id in NEW_IN_2025_09_18 else None

def untyped_params(operation_id: str, names: Iterable[str]) -> tuple[str, ...]:
    """The parameters (path, query or top-level body) of a typed operation that its tool cannot send, sorted."""
    if operation_id not in TYPED_TOOLS:
        return ()
    return tuple(sorted(set(names) - set(TYPED_ARGS[operation_id])))
