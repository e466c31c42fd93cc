"""The precomputed output schemas shipped in the package match the tools' result models."""

from __future__ import annotations

import polytomic_mcp.tools  # noqa: F401 - registers the tools
from polytomic_mcp.tools.output_schemas import generate, load


def test_committed_output_schemas_are_current() -> None:
    assert load() == generate(), (
        "result models changed: run `python -m polytomic_mcp.tools.output_schemas --write` and commit the file"
    )
