"""Fixtures for the safety guarantees: a sandbox with the demo workspace."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from server_support import BASE_URL  # noqa: E402

from polytomic_mcp.sandbox import Sandbox  # noqa: E402


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox.with_demo_workspace(base_url=BASE_URL)
