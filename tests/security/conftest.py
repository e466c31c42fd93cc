"""Fixtures for the safety guarantees: a sandbox with one empty workspace, and the access log's output."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from server_support import BASE_URL  # noqa: E402

from polytomic_mcp.redaction import install_log_scrubbing  # noqa: E402
from polytomic_mcp.sandbox import Sandbox  # noqa: E402
from polytomic_mcp.server.access_log import configure_access_log, logger  # noqa: E402


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox.with_empty_workspace(base_url=BASE_URL)


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """The access logger's output as configured for the server (scrubbing installed as the server does)."""
    install_log_scrubbing()
    stream = io.StringIO()
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.handlers.clear()
    configure_access_log(stream)
    yield stream
    logger.handlers[:], logger.propagate = saved[0], saved[1]
    logger.setLevel(saved[2])
