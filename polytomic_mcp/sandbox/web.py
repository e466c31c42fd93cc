"""Per-request context and response helpers shared by the route modules (envelope, JSON body, query parsing)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import bad_request
from .paging import paginate, pagination
from .versions import is_legacy

if TYPE_CHECKING:
    from .state import SandboxState
    from .store import Workspace

CONTEXT_KEY = "polytomic.sandbox"
T = TypeVar("T")


@dataclass
class RequestContext:
    """What the gateway established for a request: who is calling, at which API version, with which body."""

    sandbox: SandboxState
    workspace: Workspace
    version: str
    auth_method: str
    raw_body: bytes

    @property
    def legacy(self) -> bool:
        """Whether 2024-02-08 (or older) behaviour applies."""
        return is_legacy(self.version)


def context(request: Request) -> RequestContext:
    """Return the gateway's context for ``request``."""
    found: RequestContext = request.scope[CONTEXT_KEY]
    return found


def json_body(request: Request) -> Any:
    """Return the parsed JSON body (None when empty) or raise 400 for malformed JSON."""
    raw = context(request).raw_body
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise bad_request(f"malformed JSON body: {exc}") from exc


def ok(data: Any, status: int = 200, **extra: Any) -> JSONResponse:
    """Answer ``{"data": data, **extra}``."""
    return JSONResponse({"data": data, **extra}, status_code=status)


def no_content() -> Response:
    """Answer 204 with an empty body (deletes, connection tests)."""
    return Response(status_code=204)


def query_bool(request: Request, name: str, default: bool = False) -> bool:
    """Parse a boolean query parameter (``true``/``false``/``1``/``0``), 400 otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise bad_request(f'{name} must be true or false, got "{raw}"')


def deep_object(request: Request, name: str) -> dict[str, str]:
    """Collect ``name[key]=value`` query parameters into a dict (OpenAPI deepObject style)."""
    prefix = f"{name}["
    return {k[len(prefix) : -1]: v for k, v in request.query_params.items() if k.startswith(prefix) and k.endswith("]")}


def listing(items: list[T], position: Callable[[T], int], request: Request, *, ascending: bool = False) -> tuple[list[T], dict[str, Any]]:
    """Return the items to answer and the envelope's extra members: one page and its ``pagination``, or, when
    the sandbox answers lists unpaged, every item in order and no ``pagination`` (``page_token``/``limit`` ignored)."""
    if not context(request).sandbox.paginate_lists:
        return sorted(items, key=position, reverse=not ascending), {}
    page, token = paginate(items, position, request, ascending=ascending)
    return page, {"pagination": pagination(token)}
