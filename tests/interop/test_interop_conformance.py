"""The official MCP conformance suite (``@modelcontextprotocol/conformance server``), one scenario at a time,
against the Streamable HTTP server on the sandbox.

A scenario passes when the command exits 0 AND its checks.json has at least one check and every check is
SUCCESS (or INFO). The exit code alone is not enough: a scenario can exit 0 with only a WARNING (e.g.
server-sse-multiple-streams against a --stateless server, which gives no session id).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from interop_support import HttpServer, Toolchain, conformance

pytestmark = pytest.mark.slow

SCENARIOS = [
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "prompts-list",
    "dns-rebinding-protection",
    "server-sse-multiple-streams",
    "logging-set-level",
]
# The SSE multiple-streams scenario needs a session (Mcp-Session-Id), which only stateful mode gives.
STATELESS_SCENARIOS = [s for s in SCENARIOS if s != "server-sse-multiple-streams"]
PASSING = {"SUCCESS", "INFO"}


def assert_scenario_passes(toolchain: Toolchain, server: HttpServer, scenario: str, output_dir: Path) -> None:
    result, checks = conformance(toolchain, server.url, scenario, output_dir)
    report = "\n".join(
        f"  [{c.get('status')}] {c.get('id')}: {c.get('description')} {c.get('errorMessage') or ''} {c.get('details') or ''}"
        for c in checks
    )
    assert not result.timed_out, f"conformance scenario {scenario} timed out\n{result.describe()}"
    assert checks, f"conformance scenario {scenario} wrote no checks.json\n{result.describe()}"
    bad = [c for c in checks if c.get("status") not in PASSING]
    assert not bad and result.returncode == 0, (
        f"conformance scenario {scenario} did not pass (exit {result.returncode}):\n{report}\n"
        f"server alive: {server.alive()}\n--- server log ---\n{server.log_tail()}\n{result.describe()}"
    )
    assert any(c.get("status") == "SUCCESS" for c in checks), report
    assert server.alive(), server.log_tail()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_stateful_server(toolchain: Toolchain, stateful_server: HttpServer, scenario: str, tmp_path: Path) -> None:
    assert_scenario_passes(toolchain, stateful_server, scenario, tmp_path / "results")


@pytest.mark.parametrize("scenario", STATELESS_SCENARIOS)
def test_stateless_server(toolchain: Toolchain, stateless_server: HttpServer, scenario: str, tmp_path: Path) -> None:
    assert_scenario_passes(toolchain, stateless_server, scenario, tmp_path / "results")
