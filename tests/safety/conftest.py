"""Fixtures for the safety tests (fuzzing and protocol edges)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from polytomic_mcp.client.resources.jobs import JobsResource


@pytest.fixture
def fast_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Poll sandbox jobs (create_model) every millisecond instead of every 0.25 s.

    The sandbox finishes a job on its second poll, so this only removes idle sleeping; every request the
    server makes is unchanged. Without it each successful fuzzed create_model costs ~0.6 s.
    """
    original = JobsResource.wait

    async def wait(self: JobsResource, job: Any, **kwargs: Any) -> Any:
        kwargs["poll_interval"] = min(kwargs.get("poll_interval", 0.25), 0.001)
        kwargs["max_poll_interval"] = min(kwargs.get("max_poll_interval", 2.0), 0.002)
        return await original(self, job, **kwargs)

    monkeypatch.setattr(JobsResource, "wait", wait)
    yield
