"""Tools advertised from the manifest and loaded on their first call.

``register`` adds, for each exposed tool, an SDK ``Tool`` built from ``manifest.json`` and the precomputed output
schemas, with a loader instead of the function: tools/list needs no tool module, no result view and no argument
model. The first call imports the tools, then makes what ``Tool.from_function`` makes (the SDK's own
``func_metadata`` and resolver plans). Relies on mcp 2.3's ``Tool`` and the tool manager's table; a test compares
each loaded tool with ``Tool.from_function``'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from importlib import resources
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.resolve import build_resolver_plans, find_resolved_parameters
from mcp.server.mcpserver.tools.base import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata
from pydantic import PrivateAttr

from .manifest import Entry, entries
from .output_schemas import load as output_schemas

DESCRIPTIONS_PACKAGE = "polytomic_mcp.tools"
Loader = Callable[[], Callable[..., Awaitable[Any]]]


async def not_loaded(**_: Any) -> Any:
    """Stands in for a tool function until its first call loads it (never called: ``run`` loads first)."""
    raise RuntimeError("tool function not loaded")


def description(name: str) -> str:
    """The model-facing description of tool ``name``, from ``descriptions/<name>.md``."""
    return resources.files(DESCRIPTIONS_PACKAGE).joinpath("descriptions", f"{name}.md").read_text().strip()


class DeferredTool(Tool):
    """An SDK ``Tool`` whose function, argument model and resolvers are loaded on its first call."""

    _load: Loader | None = PrivateAttr(default=None)

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        self.load()
        return await super().run(arguments, context, convert_result)

    def load(self) -> None:
        """Import the tool and fill in what ``Tool.from_function`` would have (once; later calls do nothing)."""
        if self._load is None:
            return
        fn = self._load()
        resolved = find_resolved_parameters(fn)
        skip = [*([self.context_kwarg] if self.context_kwarg else []), *resolved]
        metadata = func_metadata(fn, skip_names=skip, structured_output=False)
        metadata.output_schema = self.fn_metadata.output_schema
        names = {field.alias or name for name, field in metadata.arg_model.model_fields.items()}
        self.fn, self.fn_metadata = fn, metadata
        self.resolved_params, self.resolver_plans = dict(resolved), build_resolver_plans(resolved, names)
        self._load = None


def deferred_tool(entry: Entry, output_schema: dict[str, Any], load: Loader) -> DeferredTool:
    """The tool as tools/list shows it, from its manifest entry; ``load`` gives its function on first call."""
    tool = DeferredTool.model_construct(
        fn=not_loaded, name=entry.name, title=entry.title, description=description(entry.name),
        parameters=entry.input_schema, is_async=True, context_kwarg=entry.context, annotations=entry.annotations,
        fn_metadata=FuncMetadata.model_construct(output_schema=output_schema, output_model=None, wrap_output=False),
    )
    tool._load = load  # noqa: SLF001 - set once here, read by the class itself
    return tool


def register(server: MCPServer, names: Iterable[str], load: Callable[[str], Loader]) -> None:
    """Add the named tools to ``server`` from the manifest; ``load(name)`` gives each one's loader."""
    manifest, outputs = entries(), output_schemas()
    for name in names:
        server._tool_manager._tools[name] = deferred_tool(manifest[name], outputs[name], load(name))  # noqa: SLF001
