"""The layers stay apart and the package has no runtime import cycles (read from the source, not by importing it).

server -> tools -> client; the sandbox is built from the API reference and imports neither the
client nor the tools. Under ``tools/`` every package except ``core`` is a family: a family imports
``core`` and never another family, and ``core`` imports no family. Imports inside functions are kept
for lazy loading only, each listed here with its reason. ``dev/`` (generators run from a checkout)
is never imported by the package.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "polytomic_mcp"
DEV = PACKAGE.parent / "dev"
TOOLS = PACKAGE / "tools"
FAMILIES = {p.name for p in TOOLS.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"core"}
LAZY_IMPORTS = {
    ("polytomic_mcp.cli", "polytomic_mcp.tools"): "the tool list is read only when settings are loaded",
    ("polytomic_mcp.cli", "polytomic_mcp.server"): "`polytomic-mcp sandbox` and `demo` need no MCP server",
    ("polytomic_mcp.cli", "polytomic_mcp.server.http"): "stdio never loads the HTTP stack",
    ("polytomic_mcp.cli", "polytomic_mcp.server.demo"): "only for `polytomic-mcp demo`",
    ("polytomic_mcp.cli", "polytomic_mcp.sandbox"): "only for `polytomic-mcp sandbox`",
    ("polytomic_mcp.server.app", "polytomic_mcp.server.sandbox_backend"): "the sandbox loads only with --sandbox",
    ("polytomic_mcp.server.app", "polytomic_mcp.server.oauth.provider"): "OAuth loads only with --auth oauth",
    ("polytomic_mcp.server.sandbox_backend", "polytomic_mcp.sandbox"): "built on the first API call (start-up time)",
    ("polytomic_mcp.sandbox.upstream", "polytomic_mcp.sandbox.sql_engine"): "DuckDB and sqlglot (~0.6 s to import) load on the first SQL model query",
    ("polytomic_mcp.tools.api.tools", "polytomic_mcp.catalog"): "the API catalog loads on the first search_api or call_api",
    ("polytomic_mcp.tools.api.tools", "polytomic_mcp.tools.api.guard"): "it imports the catalog: loaded on first use",
    ("polytomic_mcp.tools.api.confirm", "polytomic_mcp.tools.api.guard"): "as above, for call_api's question",
    ("polytomic_mcp.tools.api.missing", "polytomic_mcp.catalog"): "as above, for the list operations a 404 points to",
    ("polytomic_mcp.shared_state.factory", "polytomic_mcp.shared_state.redis_state"): "the redis client loads only with POLYTOMIC_STATE_URL",
    ("polytomic_mcp.server.resources", "polytomic_mcp.tools.connections.views"): "a resource read loads the family's views",
    ("polytomic_mcp.server.resources", "polytomic_mcp.tools.models.views"): "as above",
    ("polytomic_mcp.server.resources", "polytomic_mcp.tools.syncs.views"): "as above",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute module an ``ImportFrom`` names."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(path: Path, *, typing: bool = False) -> tuple[set[str], set[str]]:
    """(module-level imports, imports inside functions) of one file; ``if TYPE_CHECKING`` blocks only with ``typing``."""
    module = module_name(path)
    tree = ast.parse(path.read_text())
    top: set[str] = set()
    nested: set[str] = set()

    def visit(node: ast.AST, inside_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test) and not typing:
                continue
            target = nested if inside_function else top
            if isinstance(child, ast.Import):
                target.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = resolve(module, child, path.name == "__init__.py")
                target.add(base)
                target.update(f"{base}.{alias.name}" for alias in child.names)
            visit(child, inside_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return top, nested


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports(path) for name, path in MODULES.items()}
DEV_GRAPH = {module_name(p): imports(p) for p in DEV.rglob("*.py")}


def internal(targets: set[str]) -> set[str]:
    return {t for t in targets if t in MODULES}


def test_client_never_imports_mcp_or_the_layers_above() -> None:
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.client"):
            bad = {t for t in top | nested if t.split(".")[0] in {"mcp", "mcp_types"} or t.startswith(("polytomic_mcp.tools", "polytomic_mcp.server", "polytomic_mcp.sandbox"))}
            assert not bad, f"{name} imports {bad}"


def test_tools_never_import_httpx2_the_server_or_the_sandbox() -> None:
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.tools"):
            bad = {t for t in top | nested if t.split(".")[0] in {"httpx", "httpx2"} or t.startswith(("polytomic_mcp.server", "polytomic_mcp.sandbox"))}
            assert not bad, f"{name} imports {bad}"


def test_the_sandbox_imports_neither_the_client_nor_the_tools() -> None:
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.sandbox"):
            bad = {t for t in top | nested if t.startswith(("polytomic_mcp.client", "polytomic_mcp.tools", "polytomic_mcp.server", "mcp"))}
            assert not bad, f"{name} imports {bad}"


SANDBOX = "polytomic_mcp.sandbox"
SANDBOX_LAYERS = (
    ("store", ("store", "records", "state", "bulk_store", "generic.records", "log_links")),
    ("domain", ("domain.", "generic.engine", "generic.owners", "generic.seeds", "render", "bulk_render")),
    ("seeding", ("seeding", "seed_runs", "bulk_seed", "demo_world")),
    ("routes", ("routes", "generic.route", "web", "gateway", "app", "auth")),
    ("facade", ("sandbox", "runner")),
)
"""The sandbox's layers, bottom first: a module imports (type hints included) only its own layer, the layers below
and the unlayered leaves (errors, ids, upstream, world...)."""


def sandbox_layer(module: str) -> int | None:
    """The index of a sandbox module's layer in ``SANDBOX_LAYERS``, or None for a leaf."""
    local = module.removeprefix(SANDBOX + ".")
    for index, (_, prefixes) in enumerate(SANDBOX_LAYERS):
        if any(local == p or local.startswith(p + ".") or (p.endswith(".") and local.startswith(p)) for p in prefixes):
            return index
    return None


def import_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk of ``edges`` meets, each as the modules around it."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                walk(target, [*stack, target])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            walk(name, [name])
    return cycles


def sandbox_edges() -> dict[str, set[str]]:
    """Sandbox module -> the sandbox modules it imports, type-only imports included."""
    graph = {name: imports(path, typing=True) for name, path in MODULES.items() if name.startswith(SANDBOX + ".")}
    return {name: {t for t in top | nested if t in graph and t != name} for name, (top, nested) in graph.items()}


def test_the_sandbox_is_layered_store_domain_seeding_routes_facade() -> None:
    upward = []
    for name, targets in sandbox_edges().items():
        layer = sandbox_layer(name)
        for target in targets:
            above = sandbox_layer(target)
            if above is not None and (layer is None or above > layer):
                upward.append(f"{name} -> {target}")
    assert not upward, f"sandbox imports reaching up a layer: {sorted(upward)[:8]}"


def test_the_sandbox_has_no_import_cycles_even_through_type_hints() -> None:
    cycles = import_cycles(sandbox_edges())
    assert not cycles, f"sandbox import cycles: {cycles[:5]}"


def family_of(module: str) -> str | None:
    """The tool family a module belongs to (``syncs`` for ``polytomic_mcp.tools.syncs.runs``), or None."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["polytomic_mcp", "tools"] and parts[2] in FAMILIES else None


def test_the_shared_state_stands_alone() -> None:
    """Tools and server both keep state through it, so it imports neither (nor the client, sandbox or mcp)."""
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.shared_state"):
            bad = {t for t in top | nested if t.startswith(("polytomic_mcp.", "mcp")) and not t.startswith("polytomic_mcp.shared_state")}
            assert not bad, f"{name} imports {bad}"


def test_the_tool_families_are_the_resource_packages() -> None:
    assert FAMILIES == {"api", "connections", "deletion", "models", "syncs"}
    loose = {p.name for p in TOOLS.glob("*.py")} - {"__init__.py"}
    assert not loose, f"modules directly under tools/ ({loose}): put each in its family or in core"


def test_tool_families_do_not_import_each_other() -> None:
    for name, (top, nested) in GRAPH.items():
        family = family_of(name)
        if family is None:
            continue
        others = {t for t in internal(top | nested) if family_of(t) not in (None, family)}
        assert not others, f"{name} imports the families {others}; share through tools/core"


def test_core_imports_no_family_and_the_tools_package_imports_none_at_start() -> None:
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.tools.core"):
            found = {t for t in internal(top | nested) if family_of(t) is not None}
            assert not found, f"{name} imports the families {found}; core must not depend on a family"
    top, _ = GRAPH["polytomic_mcp.tools"]
    assert not {t for t in internal(top) if t.startswith("polytomic_mcp.tools.")}, "importing polytomic_mcp.tools must load nothing else"


def test_the_server_uses_the_tools_package_core_and_family_views_only() -> None:
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.server"):
            used = {t for t in internal(top | nested) if t.startswith("polytomic_mcp.tools.")}
            bad = {t for t in used if not (t.startswith("polytomic_mcp.tools.core") or t.endswith(".views"))}
            assert not bad, f"{name} imports {bad}"


def test_imports_inside_functions_are_only_the_listed_lazy_ones() -> None:
    found = {(name, target) for name, (_, nested) in GRAPH.items() for target in internal(nested)}
    unexplained = {pair for pair in found if pair not in LAZY_IMPORTS}
    assert not unexplained, f"imports inside functions (to dodge a cycle?): {sorted(unexplained)}"


def test_no_runtime_import_cycles() -> None:
    edges = {name: {t for t in internal(top) if t != name and not name.startswith(t + ".")} for name, (top, _) in GRAPH.items()}
    cycles = import_cycles(edges)
    assert not cycles, f"runtime import cycles: {cycles[:5]}"


def test_the_catalog_imports_only_the_standard_library_and_pydantic() -> None:
    """Catalog lookups stay plain data: no mcp, no HTTP stack, no client, tools, server or sandbox, no SDK."""
    allowed = set(sys.stdlib_module_names) | {"__future__", "pydantic"}
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.catalog"):
            bad = {t for t in top | nested if not t.startswith("polytomic_mcp.catalog") and t.split(".")[0] not in allowed}
            assert not bad, f"{name} imports {bad}"


def test_only_the_catalog_generator_imports_the_sdk_and_the_package_never_imports_dev() -> None:
    """The official SDK is a test/dev dependency: ``dev.catalog_generate`` is its one importer, and ``dev/`` is not shipped."""
    everything = {**GRAPH, **DEV_GRAPH}
    importers = {name for name, (top, nested) in everything.items() if any(t.split(".")[0] == "polytomic" for t in top | nested)}
    assert importers == {"dev.catalog_generate"}
    users = {name for name, (top, nested) in GRAPH.items() if any(t.split(".")[0] == "dev" for t in top | nested)}
    assert users == set(), f"{users} import dev/, which is not shipped"


MCP_ADAPTER = "polytomic_mcp.server.mcp_internals"
MCP_INTERNAL_MODULES = (
    "mcp.server.mcpserver.utilities", "mcp.server.mcpserver.resolve", "mcp.server.mcpserver.tools.base",
    "mcp.server.mcpserver.tools.tool_manager", "mcp.server.lowlevel",
)
"""The SDK's machinery behind its public API (argument metadata, resolver plans, the tool manager, the low-level module)."""


def private_mcp_uses(path: Path) -> list[str]:
    """Where a file reaches into mcp's private parts: internal modules or names, ``x._attr`` on objects that are not
    ``self``/``cls``, and private methods overridden in a subclass of an mcp class."""
    tree = ast.parse(path.read_text())
    found: list[str] = []
    from_mcp: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"mcp", "mcp_types"}:
            from_mcp.update(alias.asname or alias.name for alias in node.names)
            if node.module.startswith(MCP_INTERNAL_MODULES) or any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"line {node.lineno}: from {node.module}")
            found += [f"line {node.lineno}: imports {alias.name}" for alias in node.names if alias.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}):
                found.append(f"line {node.lineno}: .{node.attr}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and {b.id for b in node.bases if isinstance(b, ast.Name)} & from_mcp:
            found += [f"line {item.lineno}: overrides {node.name}.{item.name}" for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("_")
                      and not item.name.startswith("__")]
    return found


def test_private_parts_of_mcp_are_used_in_one_adapter_only() -> None:
    """``server/mcp_internals.py`` is the one module allowed to use mcp internals (its test pins each one)."""
    files = {**MODULES, **{module_name(p): p for p in DEV.rglob("*.py")}}
    offenders = {name: uses for name, path in files.items() if name != MCP_ADAPTER and (uses := private_mcp_uses(path))}
    assert offenders == {}, f"private mcp API outside {MCP_ADAPTER}: {offenders}"
    assert private_mcp_uses(MODULES[MCP_ADAPTER]), "the adapter no longer uses any mcp internals: remove it"
