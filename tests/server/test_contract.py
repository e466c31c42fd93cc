"""The tool surface is deliberate: tools/list, resources and prompts must match the committed snapshot.

After an intended change, regenerate it and review the diff:
    python -m polytomic_mcp.server.contract --write tests/server/contract.json
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from polytomic_mcp.server.contract import collect, render

SNAPSHOT = Path(__file__).with_name("contract.json")

pytestmark = pytest.mark.anyio


async def test_contract_matches_snapshot() -> None:
    current = render(await collect())
    committed = SNAPSHOT.read_text()
    if current != committed:
        diff = "".join(difflib.unified_diff(committed.splitlines(True), current.splitlines(True), "committed", "current"))
        pytest.fail(
            "tools/list, resources or prompts changed. If intended, run\n"
            "  python -m polytomic_mcp.server.contract --write tests/server/contract.json\n"
            f"and commit it.\n{diff[:6000]}"
        )
