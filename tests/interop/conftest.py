"""Fixtures for the interop tests: the pinned Node toolchain and HTTP servers on the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from interop_support import HttpServer, InteropSetupError, Toolchain, ensure_toolchain, http_server


@pytest.fixture(scope="session")
def toolchain() -> Toolchain:
    """Node >= 22 and the pinned npm clients. Fails (never skips) when they cannot be had."""
    try:
        return ensure_toolchain()
    except InteropSetupError as error:
        problem = str(error)
    pytest.fail(f"interop toolchain unavailable: {problem}", pytrace=False)


@pytest.fixture(scope="module")
def stateful_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    """One stateful Streamable HTTP server on the sandbox, shared by a module's tests."""
    with http_server(tmp_path_factory.mktemp("stateful-server")) as server:
        yield server


@pytest.fixture(scope="module")
def stateless_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    """One ``--stateless`` Streamable HTTP server on the sandbox, shared by a module's tests."""
    with http_server(tmp_path_factory.mktemp("stateless-server"), stateless=True) as server:
        yield server
