"""One command for every generated file, and the CI check that none is stale.

    python -m dev.regenerate           # rewrite each generated file
    python -m dev.regenerate --check   # exit 1 naming each stale file (nothing is written)

The files, in the order they are made (later ones read earlier ones):

- ``polytomic_mcp/tools/core/manifest.json``: what tools/list says of each tool (``dev.tool_manifest``);
- ``polytomic_mcp/catalog/operations.json``: every API operation, from the official SDK (``dev.catalog_generate``);
- ``polytomic_mcp/catalog/responses.json``: what each operation answers, from the same SDK (for the sandbox);
- ``bundle/manifest.json`` and ``bundle/icon.png``: the Claude Desktop bundle (``dev.bundle``);
- ``tests/server/contract.json``: tools/list, resources, prompts and instructions as served (``dev.contract``).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from polytomic_mcp.tools.core.manifest import entries

from . import bundle, catalog_generate, contract, tool_manifest

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Generated:
    """A committed file and the function that makes its bytes."""

    path: Path
    make: Callable[[], bytes]


def files() -> list[Generated]:
    """Every generated file, in the order they must be made."""
    return [
        Generated(tool_manifest.PATH, lambda: tool_manifest.render().encode()),
        Generated(catalog_generate.OUTPUT, lambda: catalog_generate.render(catalog_generate.operations()).encode()),
        Generated(catalog_generate.RESPONSES, lambda: catalog_generate.render(catalog_generate.responses()).encode()),
        Generated(bundle.BUNDLE_DIR / "manifest.json", lambda: bundle.render_manifest().encode()),
        Generated(bundle.BUNDLE_DIR / bundle.ICON_NAME, bundle.icon_png),
        Generated(contract.PATH, lambda: contract.render().encode()),
    ]


MAX_DIFF_LINES = 80


def stale() -> dict[Path, str]:
    """The generated files whose committed bytes differ from what their generator makes now, each with a short diff."""
    found: dict[Path, str] = {}
    for generated in files():
        committed = generated.path.read_bytes() if generated.path.exists() else b""
        content = generated.make()
        if committed != content:
            found[generated.path] = diff(committed, content)
    return found


def diff(committed: bytes, current: bytes) -> str:
    """The start of a unified diff (text files), or a size note (binary ones)."""
    try:
        old, new = committed.decode(), current.decode()
    except UnicodeDecodeError:
        return f"binary: {len(committed)} bytes committed, {len(current)} generated"
    lines = list(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "committed", "generated"))
    return "".join(lines[:MAX_DIFF_LINES]) + (f"... ({len(lines) - MAX_DIFF_LINES} more diff lines)\n" if len(lines) > MAX_DIFF_LINES else "")


def write() -> list[Path]:
    """Rewrite every generated file; returns those that changed."""
    changed = []
    for generated in files():
        content = generated.make()
        if not generated.path.exists() or generated.path.read_bytes() != content:
            generated.path.parent.mkdir(parents=True, exist_ok=True)
            generated.path.write_bytes(content)
            changed.append(generated.path)
        entries.cache_clear()  # the contract is served from the manifest just written
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dev.regenerate", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 naming each stale file; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale()
        for path, shown in outdated.items():
            print(f"stale: {path.relative_to(REPO)}\n{shown}", file=sys.stderr)
        if outdated:
            print("run `python -m dev.regenerate`, review the diff and commit it", file=sys.stderr)
        return 1 if outdated else 0
    for path in write():
        print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
