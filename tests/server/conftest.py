"""Fixtures for server tests: a sandbox with one empty workspace."""

from __future__ import annotations

import pytest
from server_support import BASE_URL

from polytomic_mcp.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox.with_empty_workspace(base_url=BASE_URL)
