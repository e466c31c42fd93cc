"""One API operation as the catalog records it, the request ``build_request`` resolves, and the catalog's error."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Risk = Literal["admin", "destructive", "mints_credentials"]

REQUIRED_MARK = "*"
"""Suffix of a query or body key the SDK requires (``"name*"``); ``field_name`` strips it."""

ANY_FIELD = "*"
"""Last segment of a secret field path whose members are all possibly secret (``configuration.*``: type-dependent)."""


class CatalogError(ValueError):
    """A lookup or a request the catalog refuses; the message names what is valid."""


def field_name(key: str) -> str:
    """The wire name of a query or body key, without the required mark."""
    return key.removesuffix(REQUIRED_MARK)


def is_required(key: str) -> bool:
    """Whether a query or body key is marked required."""
    return key.endswith(REQUIRED_MARK)


class Operation(BaseModel):
    """One Polytomic API operation (one SDK method that sends a request), with what a generic caller must know.

    ``query`` and ``body`` map wire names (suffixed ``*`` when required) to compact types: ``string``,
    ``integer``, ``number``, ``boolean``, ``datetime``, ``any``, ``object``, enums as ``a|b|c``, lists as
    ``[type]`` and nested objects as dicts. ``body`` is None when the operation sends no body.
    ``secret_fields`` are dotted body paths that carry secrets; ``configuration.*`` means every member may,
    depending on the connection type. ``destructive_params`` are top-level query or body fields that make one
    call destructive when set (``force``). ``headers`` are extra headers the SDK can send (Harbor sessions and
    signatures); a generic call cannot send them. ``typed_tool`` does the operation better, except for calls that set
    one of ``untyped_params``. ``since`` is the API version that added the operation when it
    is newer than 2024-02-08, the oldest the catalog describes (None: every version has it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    method: Method
    path: str
    summary: str
    path_params: tuple[str, ...]
    query: dict[str, str]
    body: dict[str, Any] | None
    secret_fields: tuple[str, ...]
    destructive_params: tuple[str, ...]
    headers: tuple[str, ...]
    reads: bool
    risk: tuple[Risk, ...]
    typed_tool: str | None
    since: str | None = None
    untyped_params: tuple[str, ...] = ()
    """Parameters of a typed operation its tool cannot send: a write that sets one goes through call_api."""

    @property
    def key(self) -> str:
        """``METHOD /path``, as ``ALL_PATHS`` writes it."""
        return f"{self.method} {self.path}"

    def available_in(self, api_version: str) -> bool:
        """Whether API version ``api_version`` (``YYYY-MM-DD``) has this operation."""
        return self.since is None or api_version >= self.since

    @property
    def query_names(self) -> tuple[str, ...]:
        return tuple(sorted(field_name(key) for key in self.query))

    @property
    def required_query(self) -> tuple[str, ...]:
        return tuple(sorted(field_name(key) for key in self.query if is_required(key)))

    @property
    def body_fields(self) -> tuple[str, ...]:
        """Top-level body fields (empty when there is no body)."""
        return tuple(sorted(field_name(key) for key in self.body or {}))

    @property
    def required_body_fields(self) -> tuple[str, ...]:
        return tuple(sorted(field_name(key) for key in self.body or {} if is_required(key)))


class ResolvedRequest(BaseModel):
    """A checked request for one operation: the path with its parameters quoted in, the query and the body."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    operation: Operation
    method: Method
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None
