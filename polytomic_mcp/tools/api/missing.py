"""What a 404 from call_api means: an object the path names is missing, or the deployment lacks the route.

The catalog knows every operation, so a 404 is one of two things: an id in the path names nothing this key can
see (the API says which), or this deployment does not serve the path at all (an older or self-hosted one). A path
without ids can only be the second; so can an answer that says "no route" or "page not found".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from polytomic_mcp.client import NotFoundError, PolytomicError

if TYPE_CHECKING:
    from polytomic_mcp.catalog import Operation


def missing(op: Operation, path_params: dict[str, Any] | None, error: PolytomicError) -> str:
    """The sentence that follows call_api's "not found": which is missing and the next step (empty for other errors)."""
    if not isinstance(error, NotFoundError):
        return ""
    if not op.path_params or error.names_the_route:
        return (f"The route is missing, not an object: this Polytomic deployment does not serve {op.key}. It may be "
                "an older or self-hosted deployment; nothing was changed. Tell the user, or do it another way.")
    ids = ", ".join(f"{name}={value!r}" for name, value in (path_params or {}).items())
    listers = _listers(op)
    where = f" Find valid ids with {' or '.join(listers)}." if listers else ""
    return f"The route exists; an object is missing: one of {ids} names nothing this API key can see.{where}"


def _listers(op: Operation) -> list[str]:
    """The list operations that show valid values of the path's ids (``webhooks.list`` for ``/api/webhooks/{id}``)."""
    from polytomic_mcp.catalog import lookup

    found = []
    for name in op.path_params:
        prefix = op.path.split("{" + name + "}")[0].rstrip("/")
        lister = lookup(f"GET {prefix}")
        if lister is not None and lister.id != op.id:
            found.append(lister.id)
    return found
