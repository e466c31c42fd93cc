"""An MCPServer that lists its tools from the generated manifest and adds each one on its first call.

Start-up then imports no tool module, result view or argument model (most of our cold start used to go
there). ``list_tools`` and ``call_tool`` are MCPServer's own public methods, overridden here; a tool is built
with the SDK's ``Tool.from_function`` (as ``add_tool`` would, once per process) and added just before its first
call, so what runs is exactly what the SDK builds. tools/list keeps the manifest's compact schemas;
the SDK still validates every call against the full pydantic argument model. Under 2026-07-28 the fixed
lists carry cache hints (``LIST_CACHE_HINTS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from mcp.server import CacheHint, MCPServer
from mcp.server.caching import CacheableMethod
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, Icon, InputRequiredResult
from mcp_types import Tool as ListedTool

from polytomic_mcp.tools.core.manifest import entries

from .mcp_internals import add_built_tool

if TYPE_CHECKING:
    from polytomic_mcp.tools.core.registry import ToolSpec

Loader = Callable[[str], "ToolSpec"]
"""Gives the declared tool of a name (importing the tool families on the first call)."""

_FIVE_MINUTES = CacheHint(ttl_ms=300_000, scope="private")
LIST_CACHE_HINTS: dict[CacheableMethod, CacheHint] = {
    "tools/list": _FIVE_MINUTES, "prompts/list": _FIVE_MINUTES, "resources/templates/list": _FIVE_MINUTES,
}
"""Lists fixed for the process's life, so a client may reuse them for five minutes (a redeploy may change them). Private:
a read-only grant's tenant sees fewer tools. resources/list and resources/read show workspace data and keep the SDK's
default (stale at once, private)."""


class ManifestToolServer(MCPServer):
    """An MCPServer whose tools are listed from the manifest and added on their first call (see the module docstring)."""

    def __init__(self, *args: Any, tool_names: Iterable[str], load_tool: Loader, read_only: bool = False, **kwargs: Any) -> None:
        """``read_only``: the server runs with ``--read-only``, so tools that refuse their own writes list as read-only."""
        super().__init__(*args, cache_hints=LIST_CACHE_HINTS, **kwargs)
        manifest = entries()
        self.listed_tools: list[ListedTool] = [manifest[name].listed(read_only=read_only) for name in tool_names]
        self.listed_by_name = {tool.name: tool for tool in self.listed_tools}
        self.tools_to_add = {tool.name for tool in self.listed_tools}
        self.load_tool = load_tool

    async def list_tools(self) -> list[ListedTool]:
        """The exposed tools, as the manifest describes them (no tool module is imported)."""
        return list(self.listed_tools)

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        """Call tool ``name``, adding it first if this is its first call; unknown or hidden names are the SDK's error.

        An argument the tool does not take is refused: the SDK would drop it silently, and an agent that passes
        ``dry_run=true`` to a tool without one would have it create for real.
        """
        if (listed := self.listed_by_name.get(name)) is not None:
            unknown = sorted(set(arguments) - set(listed.input_schema.get("properties", {})))
            if unknown:
                takes = ", ".join(listed.input_schema.get("properties", {})) or "no arguments"
                raise ToolError(f"{name} does not take {', '.join(repr(u) for u in unknown)}; it takes: {takes}. "
                                "Nothing was done.")
        if name in self.tools_to_add:
            self.add_declared(name)
        return await super().call_tool(name, arguments, context)

    def add_declared(self, name: str) -> None:
        """Add the declared tool ``name`` as ``@server.tool`` would build it (its result is rendered by the tool itself)."""
        add_built_tool(self, built_tool(self.load_tool(name)))
        self.tools_to_add.discard(name)


_built: dict[Callable[..., Any], Tool] = {}


def built_tool(spec: ToolSpec) -> Tool:
    """The SDK's ``Tool`` for a declared tool, built once per process: every server built adds the same one."""
    if spec.fn not in _built:
        _built[spec.fn] = Tool.from_function(spec.fn, name=spec.name, title=spec.title, description=spec.description,
                                             annotations=spec.annotations, icons=[Icon(src=spec.icon)], structured_output=False)
    return _built[spec.fn]
