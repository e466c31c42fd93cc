"""A catalog of every Polytomic API operation, for a guarded generic path to the whole API.

Generated from the official ``polytomic`` SDK by ``python -m dev.regenerate`` and committed as ``operations.json``
(each operation's answer in ``responses.json``); nothing here imports the SDK, mcp, httpx2 or the client, and
importing the package reads neither file (``load`` and ``response`` do, once).
"""

from __future__ import annotations

from .operation import ANY_FIELD, REQUIRED_MARK, CatalogError, Method, Operation, ResolvedRequest, Risk, field_name, is_required
from .operations_file import find, fitting, load, lookup
from .request import build_request
from .responses import Response, response
from .search import search

__all__ = [
    "ANY_FIELD",
    "REQUIRED_MARK",
    "CatalogError",
    "Method",
    "Operation",
    "ResolvedRequest",
    "Response",
    "Risk",
    "build_request",
    "field_name",
    "find",
    "fitting",
    "is_required",
    "load",
    "lookup",
    "response",
    "search",
]
