"""The precomputed output schemas shipped in the package match the tools' result models."""

from __future__ import annotations

from polytomic_mcp.server.contract import output_schemas
from polytomic_mcp.tools._framework.output_schemas import load


def test_committed_output_schemas_are_current() -> None:
    assert load() == output_schemas(), (
        "result models changed: run `python -m polytomic_mcp.server.contract --write-output-schemas` and commit the file"
    )
