"""The conftest guard: a test not marked slow that binds a socket or starts a subprocess fails, even in a
module-scoped fixture or when the code under test swallows the refusal; slow tests and in-memory tests pass."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PROBES = '''
import socket
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def listener():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock


def test_binds_in_a_module_fixture(listener):
    pass


def test_swallows_the_refusal():
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    except Exception:
        pass


@pytest.mark.slow
def test_slow_may_do_both():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))


def test_in_memory():
    assert sorted([2, 1]) == [1, 2]
'''


@pytest.mark.slow
def test_guard_fails_only_unmarked_tests_that_bind_or_spawn(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makeini('[pytest]\nmarkers =\n    slow: subprocesses, sockets\n')
    pytester.makepyfile(test_probes=PROBES)
    reports = pytester.inline_run("-p", "no:cacheprovider").getreports("pytest_runtest_logreport")
    failed = sorted({report.nodeid.rsplit("::", 1)[-1] for report in reports if report.failed})
    assert failed == ["test_binds_in_a_module_fixture", "test_swallows_the_refusal"]
    messages = "".join(report.longreprtext for report in reports if report.failed)
    assert "test_swallows_the_refusal is not marked slow but starts a subprocess" in messages
