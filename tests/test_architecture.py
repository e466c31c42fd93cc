"""The layers stay apart and the package has no runtime import cycles (read from the source, not by importing it).

server -> tools -> client; the sandbox is built from the API reference and imports neither the
client nor the tools; tool families do not import each other; imports inside functions are
kept for lazy loading only, each listed here with its reason.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "polytomic_mcp"
FAMILIES = {"bulk", "connection_types", "connections", "deletion", "models", "targets", "syncs", "runs"}
LAZY_IMPORTS = {
    ("polytomic_mcp.cli", "polytomic_mcp.tools"): "the tool list is read only when settings are loaded",
    ("polytomic_mcp.cli", "polytomic_mcp.server"): "`polytomic-mcp sandbox` and `demo` need no MCP server",
    ("polytomic_mcp.cli", "polytomic_mcp.server.http"): "stdio never loads the HTTP stack",
    ("polytomic_mcp.cli", "polytomic_mcp.server.demo"): "only for `polytomic-mcp demo`",
    ("polytomic_mcp.cli", "polytomic_mcp.sandbox"): "only for `polytomic-mcp sandbox`",
    ("polytomic_mcp.server.app", "polytomic_mcp.server.sandbox_backend"): "the sandbox loads only with --sandbox",
    ("polytomic_mcp.server.app", "polytomic_mcp.server.oauth.provider"): "OAuth loads only with --auth oauth",
    ("polytomic_mcp.server.sandbox_backend", "polytomic_mcp.sandbox"): "built on the first API call (start-up time)",
    ("polytomic_mcp.tools.api", "polytomic_mcp.catalog"): "the API catalog loads on the first search_api or call_api",
    ("polytomic_mcp.tools.api", "polytomic_mcp.tools._checks.api_guard"): "it imports the catalog: loaded on first use",
    ("polytomic_mcp.tools._confirm.request_question", "polytomic_mcp.tools._checks.api_guard"): "as above, for call_api's question",
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


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(module-level imports, imports inside functions) of one file; ``if TYPE_CHECKING`` blocks are skipped."""
    module = module_name(path)
    tree = ast.parse(path.read_text())
    top: set[str] = set()
    nested: set[str] = set()

    def visit(node: ast.AST, inside_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
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


def test_tool_families_do_not_import_each_other() -> None:
    for family in FAMILIES:
        top, nested = GRAPH[f"polytomic_mcp.tools.{family}"]
        others = {t for t in internal(top | nested) if t.startswith("polytomic_mcp.tools.") and t.rsplit(".", 1)[-1] in FAMILIES - {family}}
        assert not others, f"tools.{family} imports the families {others}; share through tools/_framework or _checks"


def test_imports_inside_functions_are_only_the_listed_lazy_ones() -> None:
    found = {(name, target) for name, (_, nested) in GRAPH.items() for target in internal(nested)}
    unexplained = {pair for pair in found if pair not in LAZY_IMPORTS}
    assert not unexplained, f"imports inside functions (to dodge a cycle?): {sorted(unexplained)}"


def test_no_runtime_import_cycles() -> None:
    edges = {name: {t for t in internal(top) if t != name and not name.startswith(t + ".")} for name, (top, _) in GRAPH.items()}
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
    assert not cycles, f"runtime import cycles: {cycles[:5]}"


def test_the_catalog_imports_only_the_standard_library_and_pydantic() -> None:
    """Catalog lookups stay plain data: no mcp, no HTTP stack, no client, tools, server or sandbox, no SDK."""
    allowed = set(sys.stdlib_module_names) | {"__future__", "pydantic"}
    for name, (top, nested) in GRAPH.items():
        if name.startswith("polytomic_mcp.catalog") and name != "polytomic_mcp.catalog.generate":
            bad = {t for t in top | nested if not t.startswith("polytomic_mcp.catalog") and t.split(".")[0] not in allowed}
            assert not bad, f"{name} imports {bad}"


def test_only_the_catalog_generator_imports_the_sdk_and_nothing_imports_the_generator() -> None:
    """The official SDK is a test/dev dependency: ``catalog.generate`` (a script) is its one importer."""
    importers = {name for name, (top, nested) in GRAPH.items() if any(t.split(".")[0] == "polytomic" for t in top | nested)}
    assert importers == {"polytomic_mcp.catalog.generate"}
    users = {name for name, (top, nested) in GRAPH.items() if "polytomic_mcp.catalog.generate" in top | nested}
    assert users == set(), f"{users} import the generator (and with it the SDK)"
