"""Command line entry point ``polytomic-mcp``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen command."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["sandbox"]:
        from polytomic_mcp.sandbox import serve

        serve()
        return 0
    print("usage: polytomic-mcp sandbox", file=sys.stderr)
    return 2
