"""The official ``polytomic`` SDK (Fern-generated, pinned in the test extra) as an oracle for the sandbox and the client.

``ENDPOINTS`` names, for every API operation the hand-written client uses, the SDK method that calls the same
endpoint. Everything else is read from the SDK itself, so it cannot be mistyped here: the HTTP method and path from
the method's source, the pydantic type it parses a 2xx answer into from its return annotation, and the JSON body it
sends from its ``json={...}`` argument. The SDK's models allow extra keys, so a key the sandbox (or the client) sends
and the SDK does not know is found by walking ``model_extra`` through the validated value.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import textwrap
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx2
import pydantic
from polytomic.bulk_sync.executions.raw_client import RawExecutionsClient as RawBulkExecutionsClient
from polytomic.bulk_sync.raw_client import RawBulkSyncClient
from polytomic.bulk_sync.schemas.raw_client import RawSchemasClient as RawBulkSchemasClient
from polytomic.connections.raw_client import RawConnectionsClient
from polytomic.identity.raw_client import RawIdentityClient
from polytomic.jobs.raw_client import RawJobsClient
from polytomic.model_sync.executions.raw_client import RawExecutionsClient
from polytomic.model_sync.raw_client import RawModelSyncClient
from polytomic.model_sync.targets.raw_client import RawTargetsClient
from polytomic.models.raw_client import RawModelsClient
from polytomic.schemas.raw_client import RawSchemasClient

SDK_VERSION = "25.9.10"
"""The SDK release the oracle is pinned to (``polytomic==25.9.10`` in the test extra); its types are for 2025-09-18."""


@dataclass(frozen=True)
class Endpoint:
    """One API operation: the client methods that call it and the SDK method that calls the same endpoint."""

    client_methods: tuple[str, ...]
    raw_client: type
    sdk_method: str
    client_label: str = ""
    """How reports name the SDK class when its own name is not unique (both ``bulk_sync.executions`` and
    ``model_sync.executions`` define ``RawExecutionsClient``)."""

    @property
    def name(self) -> str:
        """``RawModelSyncClient.create``: how reports name the operation."""
        return f"{self.client_label or self.raw_client.__name__}.{self.sdk_method}"

    @cached_property
    def _function(self) -> Callable[..., Any]:
        return typing.cast(Callable[..., Any], getattr(self.raw_client, self.sdk_method))

    @cached_property
    def _source(self) -> str:
        return textwrap.dedent(inspect.getsource(self._function))

    @cached_property
    def http_method(self) -> str:
        """The HTTP method the SDK sends."""
        found = re.search(r'method="(\w+)"', self._source)
        assert found, f"{self.name}: no method= in the SDK source"
        return found.group(1)

    @cached_property
    def path_pattern(self) -> re.Pattern[str]:
        """The SDK's path template as a regular expression (each ``{param}`` is one path segment)."""
        found = re.search(r'request\(\s*f?"(api/[^"]*)"', self._source)
        assert found, f"{self.name}: no api/ path in the SDK source"
        parts = re.split(r"\{[^}]*\}", found.group(1))
        return re.compile("/" + "[^/]+".join(re.escape(part) for part in parts))

    @cached_property
    def error_statuses(self) -> frozenset[int]:
        """The error statuses the SDK method declares (each parsed into ``ApiError``)."""
        return frozenset(int(status) for status in re.findall(r"status_code == (\d+)", self._source))

    @cached_property
    def response_type(self) -> type[pydantic.BaseModel] | None:
        """What the SDK parses a 2xx answer into (``None``: it ignores the body)."""
        returned = typing.get_type_hints(self._function)["return"]
        (data_type,) = typing.get_args(returned)
        return None if data_type is type(None) else typing.cast(type[pydantic.BaseModel], data_type)

    @cached_property
    def body_model(self) -> type[pydantic.BaseModel] | None:
        """A model of the JSON body the SDK sends, built from its ``json={...}`` keys and parameter types."""
        keys = _json_body_keys(self._source)
        if keys is None:
            return None
        hints = typing.get_type_hints(self._function)
        parameters = inspect.signature(self._function).parameters
        fields: dict[str, Any] = {}
        for wire_name, parameter in keys.items():
            required = parameters[parameter].default is inspect.Parameter.empty
            fields[f"sent_{parameter}"] = (hints[parameter], pydantic.Field(... if required else None, alias=wire_name))
        return pydantic.create_model(f"{self.name}Body", __config__=pydantic.ConfigDict(extra="allow"), **fields)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request the client sent is this operation."""
        return method == self.http_method and self.path_pattern.fullmatch(path) is not None


def _json_body_keys(source: str) -> dict[str, str] | None:
    """``{wire key: parameter name}`` of the ``json={...}`` argument in an SDK method's source, or None."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "json" and isinstance(keyword.value, ast.Dict):
                return {
                    str(typing.cast(ast.Constant, key).value): _parameter_name(value)
                    for key, value in zip(keyword.value.keys, keyword.value.values, strict=True)
                }
    return None


def _parameter_name(value: ast.expr) -> str:
    """The parameter a ``json`` entry sends: ``name`` or ``convert_and_respect_annotation_metadata(object_=name, ...)``."""
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == "object_" and isinstance(keyword.value, ast.Name):
                return keyword.value.id
    raise AssertionError(f"unexpected json entry in the SDK source: {ast.dump(value)}")


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(("identity.get",), RawIdentityClient, "get"),
    Endpoint(("connection_types.list",), RawConnectionsClient, "get_types"),
    Endpoint(("connection_types.get_schema",), RawConnectionsClient, "get_connection_type_schema"),
    Endpoint(("connections.list",), RawConnectionsClient, "list"),
    Endpoint(("connections.get",), RawConnectionsClient, "get"),
    Endpoint(("connections.create",), RawConnectionsClient, "create"),
    Endpoint(("connections.update",), RawConnectionsClient, "update"),
    Endpoint(("connections.delete",), RawConnectionsClient, "delete"),
    Endpoint(("connections.test",), RawConnectionsClient, "test_connection"),
    Endpoint(("sources.get",), RawModelSyncClient, "get_source"),
    Endpoint(("sources.fields",), RawModelSyncClient, "get_source_fields"),
    Endpoint(("models.list", "models.list_page"), RawModelsClient, "list"),
    Endpoint(("models.get",), RawModelsClient, "get"),
    Endpoint(("models.create",), RawModelsClient, "create"),
    Endpoint(("models.update",), RawModelsClient, "update"),
    Endpoint(("models.preview",), RawModelsClient, "preview"),
    Endpoint(("models.sample",), RawModelsClient, "sample"),
    Endpoint(("models.delete",), RawModelsClient, "delete"),
    Endpoint(("jobs.get", "jobs.wait"), RawJobsClient, "get"),
    Endpoint(("targets.list_objects",), RawTargetsClient, "list"),
    Endpoint(("targets.property_values",), RawTargetsClient, "get_create_property"),
    Endpoint(("targets.fields",), RawTargetsClient, "get_target_fields"),
    Endpoint(("syncs.schedule_options",), RawModelSyncClient, "get_schedule_options"),
    Endpoint(("syncs.list", "syncs.list_page"), RawModelSyncClient, "list"),
    Endpoint(("syncs.get",), RawModelSyncClient, "get"),
    Endpoint(("syncs.create",), RawModelSyncClient, "create"),
    Endpoint(("syncs.update",), RawModelSyncClient, "update"),
    Endpoint(("syncs.delete",), RawModelSyncClient, "delete"),
    Endpoint(("syncs.activate",), RawModelSyncClient, "activate"),
    Endpoint(("syncs.start",), RawModelSyncClient, "start"),
    Endpoint(("syncs.cancel",), RawModelSyncClient, "cancel"),
    Endpoint(("syncs.status",), RawModelSyncClient, "get_status"),
    Endpoint(("syncs.executions", "syncs.executions_page"), RawExecutionsClient, "list"),
    Endpoint(("syncs.get_execution",), RawExecutionsClient, "get"),
    Endpoint(("syncs.cancel_execution",), RawExecutionsClient, "cancel"),
    Endpoint(("syncs.console_log",), RawExecutionsClient, "get_console_logs"),
    Endpoint(("syncs.log_index",), RawExecutionsClient, "get_logs_index"),
    Endpoint(("syncs.log_urls",), RawExecutionsClient, "get_log_urls"),
    Endpoint(("syncs.read_log",), RawExecutionsClient, "get_logs"),
)
"""Order matters where paths overlap: ``…/{id}/consolelog`` and ``…/{id}/logs`` are listed before ``…/{id}/{type}``."""

LATEST_ONLY = frozenset({"RawExecutionsClient.cancel", "RawExecutionsClient.get_console_logs", "RawExecutionsClient.get_logs_index"})
"""Operations new in 2025-09-18: on 2024-02-08 the client refuses them before sending anything."""


BULK_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(("schemas.bulk_source",), RawBulkSyncClient, "get_source"),
    Endpoint(("schemas.bulk_target",), RawBulkSyncClient, "get_destination"),
    Endpoint(("schemas.refresh",), RawSchemasClient, "refresh"),
    Endpoint(("schemas.refresh_status", "schemas.wait_for_refresh"), RawSchemasClient, "get_status"),
    Endpoint(("schemas.get",), RawSchemasClient, "get"),
    Endpoint(("schemas.records",), RawSchemasClient, "get_records"),
    Endpoint(("bulk_syncs.statuses",), RawBulkExecutionsClient, "list_status", "RawBulkExecutionsClient"),
    Endpoint(("bulk_syncs.list", "bulk_syncs.list_page"), RawBulkSyncClient, "list"),
    Endpoint(("bulk_syncs.get",), RawBulkSyncClient, "get"),
    Endpoint(("bulk_syncs.create",), RawBulkSyncClient, "create"),
    Endpoint(("bulk_syncs.update",), RawBulkSyncClient, "update"),
    Endpoint(("bulk_syncs.delete",), RawBulkSyncClient, "delete"),
    Endpoint(("bulk_syncs.activate",), RawBulkSyncClient, "activate"),
    Endpoint(("bulk_syncs.schemas",), RawBulkSchemasClient, "list", "RawBulkSchemasClient"),
    Endpoint(("bulk_syncs.get_schema",), RawBulkSchemasClient, "get", "RawBulkSchemasClient"),
    Endpoint(("bulk_syncs.update_schemas",), RawBulkSchemasClient, "patch", "RawBulkSchemasClient"),
    Endpoint(("bulk_syncs.status",), RawBulkSyncClient, "get_status"),
    Endpoint(("bulk_syncs.start",), RawBulkSyncClient, "start"),
    Endpoint(("bulk_syncs.cancel",), RawBulkSyncClient, "cancel"),
    Endpoint(("bulk_syncs.executions", "bulk_syncs.executions_page"), RawBulkExecutionsClient, "list", "RawBulkExecutionsClient"),
    Endpoint(("bulk_syncs.get_execution",), RawBulkExecutionsClient, "get", "RawBulkExecutionsClient"),
    Endpoint(("bulk_syncs.cancel_execution",), RawBulkExecutionsClient, "cancel", "RawBulkExecutionsClient"),
    Endpoint(("bulk_syncs.console_logs",), RawBulkExecutionsClient, "get_console_logs", "RawBulkExecutionsClient"),
)
"""Bulk-sync operations, listed apart so the model-sync table above stays as it is; ``list_status``
(``/api/bulk/syncs/status``) and ``get_status`` (``/schemas/status``) come before the ``{id}`` paths they would match."""

ENDPOINTS = BULK_ENDPOINTS + ENDPOINTS


def catalog_endpoint(operation_id: str) -> Endpoint:
    """The SDK method of a catalog operation (``webhooks.list_deliveries`` -> ``polytomic.webhooks``'s raw client)."""
    module, _, method = operation_id.rpartition(".")
    raw = importlib.import_module(f"polytomic.{module}.raw_client")
    (cls,) = (value for name, value in vars(raw).items() if inspect.isclass(value) and name.startswith("Raw") and value.__module__ == raw.__name__)
    return Endpoint((), cls, method, module)


def endpoint_for(method: str, path: str) -> Endpoint | None:
    """The operation a request is, or None when the client sent something no listed SDK method sends."""
    return next((e for e in ENDPOINTS if e.matches(method, path)), None)


@dataclass
class Exchange:
    """One request the client sent and the sandbox's answer, both as decoded JSON (None when empty)."""

    method: str
    path: str
    status: int
    request_body: Any
    response_body: Any


def _decode(raw: bytes) -> Any:
    """JSON as decoded; a body that is not one JSON document (a JSON-lines log file) as text."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


@dataclass
class RecordingTransport(httpx2.AsyncBaseTransport):
    """Wraps a transport and keeps every exchange, so the raw JSON can be checked after the client parsed it."""

    inner: httpx2.AsyncBaseTransport
    exchanges: list[Exchange] = field(default_factory=list)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.exchanges.append(
            Exchange(request.method, request.url.path, response.status_code, _decode(request.content), _decode(response.content))
        )
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def unknown_keys(value: Any, where: str = "") -> set[str]:
    """Dotted paths of keys the SDK types did not know, found as ``model_extra`` anywhere in a validated value.

    List items add ``[]`` and map values ``{}`` to the path, so one quirk is one path however many items show it.
    """
    found: set[str] = set()
    if isinstance(value, pydantic.BaseModel):
        found |= {f"{where}.{key}".lstrip(".") for key in value.model_extra or {}}
        for name, info in type(value).model_fields.items():
            found |= unknown_keys(getattr(value, name), f"{where}.{info.alias or name}")
    elif isinstance(value, list | tuple):
        for item in value:
            found |= unknown_keys(item, f"{where}[]")
    elif isinstance(value, dict):
        for item in value.values():
            found |= unknown_keys(item, f"{where}{{}}")
    return found


@dataclass(frozen=True)
class Finding:
    """A difference between what was sent and the SDK's type: a key the type does not know, or a validation error."""

    operation: str
    direction: str
    detail: str

    def __str__(self) -> str:
        return f"{self.operation} {self.direction}: {self.detail}"


def check(model: type[pydantic.BaseModel], body: Any, operation: str, direction: str) -> set[Finding]:
    """Validate ``body`` with an SDK type; return its errors (one per location) or its unknown keys."""
    try:
        validated = model.model_validate(body)
    except pydantic.ValidationError as error:
        return {
            Finding(operation, direction, f"invalid at {_location(e['loc'])}: {e['msg']}") for e in error.errors()
        }
    return {Finding(operation, direction, f"unknown key {key}") for key in unknown_keys(validated)}


def _location(loc: tuple[int | str, ...]) -> str:
    """A validation error's location in the ``unknown_keys`` notation (list indices become ``[]``)."""
    return "".join("[]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def fields_the_sdk_lacks(client_model: type[pydantic.BaseModel], *sdk_types: type[pydantic.BaseModel], where: str = "") -> set[str]:
    """Dotted paths of fields a client model reads that none of the SDK types declares (nested models compared too)."""
    missing: set[str] = set()
    for name, info in client_model.model_fields.items():
        key = info.alias or name
        declared = [s.model_fields[n] for s in sdk_types for n, i in s.model_fields.items() if (i.alias or n) == key]
        if not declared:
            missing.add(f"{where}.{key}".lstrip("."))
            continue
        nested_client = _model_in(info.annotation)
        nested_sdk = [m for m in (_model_in(d.annotation) for d in declared) if m is not None]
        if nested_client is not None and nested_sdk:
            missing |= fields_the_sdk_lacks(nested_client, *nested_sdk, where=f"{where}.{key}")
    return missing


def _model_in(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The pydantic model inside ``X``, ``X | None``, ``list[X]`` or ``dict[str, X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for argument in reversed(typing.get_args(annotation)):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
