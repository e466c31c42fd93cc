"""Command line entry point ``polytomic-mcp``: serve (stdio or HTTP), ``demo``, ``sandbox``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping

from polytomic_mcp import __version__
from polytomic_mcp.settings import OPTIONS, Settings, SettingsError, load, parse_port

USAGE_EXAMPLES = """commands:
  polytomic-mcp                      serve MCP over stdio (needs POLYTOMIC_API_KEY, or --sandbox)
  polytomic-mcp --transport http     serve Streamable HTTP at http://127.0.0.1:8000/mcp
  polytomic-mcp demo                 run the MongoDB -> Salesforce workflow against the sandbox
  polytomic-mcp sandbox              serve the simulated Polytomic API on 127.0.0.1
"""


def _parser() -> argparse.ArgumentParser:
    """The serve command's flags, one per settings option that has a flag (``settings.OPTIONS``)."""
    parser = argparse.ArgumentParser(
        prog="polytomic-mcp",
        description="MCP server for Polytomic data pipelines.",
        epilog=USAGE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option in OPTIONS:
        if option.flag is None:
            continue
        if option.switch:
            parser.add_argument(option.flag, dest=option.field, action="store_true", help=option.help)
        else:
            parser.add_argument(option.flag, dest=option.field, help=option.help)
    parser.add_argument("--version", action="version", version=f"polytomic-mcp {__version__}")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The serve command's flags (argparse exits 2 on an unknown flag)."""
    return _parser().parse_args(argv)


def load_settings(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment and these flags (see ``settings.load``); raises SettingsError when invalid."""
    from polytomic_mcp.tools import ToolName

    return load(vars(args), env, frozenset(t.value for t in ToolName))


def serve(settings: Settings) -> None:
    """Run the MCP server on the chosen transport until it is stopped (not before the shared state answers)."""
    from polytomic_mcp.server import require_shared_state

    require_shared_state(settings)
    if settings.transport == "stdio":
        from polytomic_mcp.server import build_server

        build_server(settings).run("stdio")
    else:
        from polytomic_mcp.server.http import serve_http

        serve_http(settings)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen command; exit code 2 for bad settings."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        from polytomic_mcp.server.demo import main as demo_main

        return demo_main(argv[1:])
    if argv[:1] == ["sandbox"]:
        return _sandbox(argv[1:])
    try:
        args = parse_args(argv)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 2
    logging.basicConfig(level=args.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args)
    except SettingsError as error:
        print(f"polytomic-mcp: {error}", file=sys.stderr)
        return 2
    try:
        serve(settings)
    except SettingsError as error:
        print(f"polytomic-mcp: {error}", file=sys.stderr)
        return 2
    return 0


def _sandbox(argv: list[str]) -> int:
    """``polytomic-mcp sandbox``: serve the simulated API over HTTP."""
    parser = argparse.ArgumentParser(prog="polytomic-mcp sandbox", description="Serve the simulated Polytomic API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8765")
    args = parser.parse_args(argv)
    try:
        port = parse_port("--port", args.port)
    except SettingsError as error:
        print(f"polytomic-mcp sandbox: {error}", file=sys.stderr)
        return 2
    from polytomic_mcp.sandbox import serve as serve_sandbox

    serve_sandbox(host=args.host, port=port)
    return 0


__all__ = ["main"]
