"""Tools registered from precomputed schemas, their argument models built on first call.

Relies on mcp 2.3 internals (``Tool`` fields, ``FuncMetadata``, the tool manager's table); the contract
snapshot and the call tests catch a change there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from mcp.server.mcpserver.resolve import build_resolver_plans, find_resolved_parameters
from mcp.server.mcpserver.tools.base import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata
from mcp.shared._callable_inspection import is_async_callable
from mcp_types import ToolAnnotations
from pydantic import PrivateAttr


class DeferredArguments(FuncMetadata):
    """``FuncMetadata`` whose ``arg_model`` is made by the SDK's own ``func_metadata`` when first read."""

    _fn: Callable[..., Awaitable[Any]] | None = PrivateAttr(default=None)
    _skip: list[str] = PrivateAttr(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        if name != "arg_model" or self._fn is None:
            return super().__getattr__(name)  # type: ignore[misc] # pydantic defines it outside TYPE_CHECKING
        model = func_metadata(self._fn, skip_names=self._skip, structured_output=False).arg_model
        self.__dict__["arg_model"] = model
        return model


def deferred_tool(
    fn: Callable[..., Awaitable[Any]], name: str, title: str, description: str, annotations: ToolAnnotations,
    precomputed: dict[str, Any], output_schema: dict[str, Any],
) -> Tool:
    """The SDK ``Tool`` that ``add_tool`` would make, from a precomputed ``input_schemas`` entry, with no argument
    model yet. Only tools with resolver parameters (elicitation) inspect their signature now, for the resolvers."""
    context: str | None = precomputed["context"]
    resolved = find_resolved_parameters(fn) if precomputed["resolved"] else {}
    metadata = DeferredArguments.model_construct(output_schema=output_schema, output_model=None, wrap_output=False)
    metadata._fn = fn  # noqa: SLF001 - set once here, read by the class itself
    metadata._skip = [*([context] if context else []), *resolved]  # noqa: SLF001
    schema: dict[str, Any] = precomputed["schema"]
    return Tool.model_construct(
        fn=fn, name=name, title=title, description=description, parameters=schema, fn_metadata=metadata,
        is_async=is_async_callable(fn), context_kwarg=context, annotations=annotations,
        resolved_params=dict(resolved), resolver_plans=build_resolver_plans(resolved, set(schema.get("properties", {}))),
    )
