"""Command line entry point ``polytomic-mcp``: serve (stdio or HTTP), ``demo``, ``sandbox``."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from polytomic_mcp.settings import (
    Settings,
    SettingsError,
    env_value,
    from_environment,
    parse_allowed_hosts,
    parse_allowed_origins,
    parse_port,
    parse_positive_int,
    parse_positive_number,
    parse_tools,
    parse_url,
    parse_version,
)

USAGE_EXAMPLES = """commands:
  polytomic-mcp                      serve MCP over stdio (needs POLYTOMIC_API_KEY, or --sandbox)
  polytomic-mcp --transport http     serve Streamable HTTP at http://127.0.0.1:8000/mcp
  polytomic-mcp demo                 run the MongoDB -> Salesforce workflow against the sandbox
  polytomic-mcp sandbox              serve the simulated Polytomic API on 127.0.0.1
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="polytomic-mcp",
        description="MCP server for Polytomic data pipelines.",
        epilog=USAGE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio", help="default: stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    parser.add_argument("--port", default="8000", help="HTTP port (default 8000)")
    parser.add_argument("--stateless", action="store_true", help="HTTP: keep no per-session state")
    parser.add_argument("--sandbox", action="store_true", help="use an in-process sandbox instead of the real API")
    parser.add_argument("--read-only", action="store_true", help="expose only tools that do not write")
    parser.add_argument("--tools", help="comma-separated tool names to expose (default: all)")
    parser.add_argument("--api-version", help="pin X-Polytomic-Version (2025-09-18 or 2024-02-08)")
    parser.add_argument("--base-url", help="Polytomic API URL (default https://app.polytomic.com)")
    parser.add_argument("--key-from-request", action="store_true", help="HTTP: use each request's Bearer key (multi-tenant)")
    parser.add_argument("--allowed-hosts", help="HTTP: extra Host values to accept (comma-separated, e.g. mcp.example.com)")
    parser.add_argument("--allowed-origins", help="HTTP: extra Origin values to accept (comma-separated, e.g. https://app.example.com)")
    parser.add_argument("--session-idle-timeout", help="HTTP: seconds without a request after which a session ends (default 600)")
    parser.add_argument("--max-sessions", help="HTTP: open sessions at most; a new one evicts the oldest idle one (default 1000)")
    parser.add_argument("--http-header-timeout", help="HTTP: seconds a client has to send a request's headers (default 10)")
    parser.add_argument("--http-body-timeout", help="HTTP: seconds a client has to send a POST body (default 10)")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The serve command's flags (argparse exits 2 on an unknown flag)."""
    return _parser().parse_args(argv)


def load_settings(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    """Settings from the environment, overridden by flags; raises SettingsError when invalid."""
    from polytomic_mcp.tools import SPECS

    values = from_environment(env)
    raw_tools = args.tools if args.tools is not None else env_value(os.environ if env is None else env, "POLYTOMIC_TOOLS")
    if raw_tools is not None:
        values["tools"] = parse_tools("--tools" if args.tools is not None else "POLYTOMIC_TOOLS", raw_tools, frozenset(SPECS))
    if args.api_version is not None:
        values["api_version"] = parse_version("--api-version", args.api_version)
    if args.base_url is not None:
        values["base_url"] = parse_url("--base-url", args.base_url)
    if args.sandbox:
        values["sandbox"] = True
    if args.read_only:
        values["read_only"] = True
    if args.key_from_request:
        values["key_from_request"] = True
    if args.allowed_hosts is not None:
        values["allowed_hosts"] = parse_allowed_hosts("--allowed-hosts", args.allowed_hosts)
    if args.allowed_origins is not None:
        values["allowed_origins"] = parse_allowed_origins("--allowed-origins", args.allowed_origins)
    if args.session_idle_timeout is not None:
        values["session_idle_timeout"] = parse_positive_number("--session-idle-timeout", args.session_idle_timeout)
    if args.max_sessions is not None:
        values["max_sessions"] = parse_positive_int("--max-sessions", args.max_sessions)
    if args.http_header_timeout is not None:
        values["http_header_timeout"] = parse_positive_number("--http-header-timeout", args.http_header_timeout)
    if args.http_body_timeout is not None:
        values["http_body_timeout"] = parse_positive_number("--http-body-timeout", args.http_body_timeout)
    values["transport"] = args.transport
    values["host"] = args.host
    values["port"] = parse_port("--port", args.port)
    values["stateless"] = args.stateless
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.key_from_request and settings.transport != "http":
        raise SettingsError("--key-from-request needs --transport http (keys come from each HTTP request)")
    if settings.key_from_request and settings.api_key:
        raise SettingsError("--key-from-request takes keys from requests only; unset POLYTOMIC_API_KEY")
    if not settings.sandbox and not settings.api_key and not settings.key_from_request:
        raise SettingsError("no API key: set POLYTOMIC_API_KEY, or pass --sandbox to try the server on a simulated workspace")
    return settings


def serve(settings: Settings) -> None:
    """Run the MCP server on the chosen transport until it is stopped."""
    from polytomic_mcp.server import build_server

    server = build_server(settings)
    if settings.transport == "stdio":
        server.run("stdio")
    else:
        from polytomic_mcp.server.http import serve_http

        serve_http(server, settings)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen command; exit code 2 for bad settings."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        from polytomic_mcp.server.demo import main as demo_main

        return demo_main(argv[1:])
    if argv[:1] == ["sandbox"]:
        return _sandbox(argv[1:])
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args)
    except SettingsError as error:
        print(f"polytomic-mcp: {error}", file=sys.stderr)
        return 2
    serve(settings)
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
