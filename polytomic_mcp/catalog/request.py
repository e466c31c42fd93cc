"""Check a generic call against its operation and resolve it into a method, a path, a query and a body.

The checks are shallow on purpose: every path parameter given (each a non-empty string, URL-quoted into its
segment so it can never reach another endpoint), query names known and required ones present, a body only
when the operation takes one, its top-level fields known and required ones present. Polytomic validates the
rest. Errors name what is valid and never repeat a value (it may be a secret).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .operation import CatalogError, Operation, ResolvedRequest
from .operations_file import find

DOT_SEGMENTS = frozenset({".", ".."})


def build_request(
    operation: Operation | str,
    path_params: Mapping[str, Any] | None = None,
    query: Mapping[str, Any] | None = None,
    body: Any = None,
) -> ResolvedRequest:
    """The request for ``operation`` (an Operation, its id or ``METHOD /path``), or ``CatalogError`` saying what to fix."""
    resolved = operation if isinstance(operation, Operation) else find(operation)
    return ResolvedRequest(
        operation=resolved,
        method=resolved.method,
        path=_path(resolved, dict(path_params or {})),
        query=_query(resolved, dict(query or {})),
        body=_body(resolved, body),
    )


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(repr(name) for name in names) if names else "none"


def _path(operation: Operation, given: dict[str, Any]) -> str:
    expected = operation.path_params
    missing = [name for name in expected if name not in given]
    unknown = sorted(set(given) - set(expected))
    if missing or unknown:
        problems = "; ".join(
            ([f"missing {_names(tuple(missing))}"] if missing else []) + ([f"unknown {_names(tuple(unknown))}"] if unknown else [])
        )
        example = ", ".join(f"{name!r}: '...'" for name in expected)
        takes = f"exactly {_names(expected)}, e.g. path_params={{{example}}}" if expected else "none"
        raise CatalogError(f"{operation.key} path_params: {problems}. It takes {takes}.")
    path = operation.path
    for name in expected:
        value = given[name]
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{operation.key} path_params[{name!r}] must be a non-empty string (an id from a list or get call).")
        if value in DOT_SEGMENTS:
            raise CatalogError(f"{operation.key} path_params[{name!r}] cannot be '.' or '..'; give the id itself.")
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def _query(operation: Operation, given: dict[str, Any]) -> dict[str, Any]:
    sent = {name: value for name, value in given.items() if value is not None}
    unknown = sorted(set(sent) - set(operation.query_names))
    if unknown:
        raise CatalogError(
            f"{operation.key} has no query parameter {_names(tuple(unknown))}; "
            + (f"it takes {_names(operation.query_names)}." if operation.query_names else "it takes none.")
            + (" Body fields go in body." if set(unknown) & set(operation.body_fields) else "")
        )
    missing = [name for name in operation.required_query if name not in sent]
    if missing:
        raise CatalogError(f"{operation.key} needs the query parameter(s) {_names(tuple(missing))}.")
    return sent


def _body(operation: Operation, body: Any) -> dict[str, Any] | None:
    if operation.body is None:
        if body is None or body == {}:
            return None
        raise CatalogError(
            f"{operation.key} takes no body; "
            + (f"its query parameters are {_names(operation.query_names)}." if operation.query_names else "send it without one.")
        )
    sent = {} if body is None else body
    if not isinstance(sent, dict):
        raise CatalogError(f"{operation.key} body must be a JSON object with the fields {_names(operation.body_fields)}.")
    unknown = sorted(set(sent) - set(operation.body_fields))
    if unknown:
        raise CatalogError(
            f"{operation.key} body has no field {_names(tuple(unknown))}; its fields are {_names(operation.body_fields)}."
            + (" Query parameters go in query." if set(unknown) & set(operation.query_names) else "")
        )
    missing = [name for name in operation.required_body_fields if name not in sent]
    if missing:
        raise CatalogError(f"{operation.key} body needs {_names(tuple(missing))} (fields: {_names(operation.body_fields)}).")
    return sent
