"""Creates that never make twins: one create per kind and name at a time, and model jobs remembered while they run.

The unique-name guard lists what exists and then creates; two concurrent calls with one name
would both pass the check, so creates of one kind and name are serialized in this process. A
model appears in the API's list only once its asynchronous job is done, so a job whose outcome
is unknown (its polling failed or timed out) is remembered, and a second create with that
name is refused while the job may still make the model.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio

from polytomic_mcp.bounded_cache import BoundedCache
from polytomic_mcp.client.models import Job

PENDING_TTL = 3600.0
"""Seconds a model job of unknown outcome is remembered (Polytomic finishes or fails them well before)."""
MAX_PENDING_JOBS = 1_000


@dataclass
class _NameLock:
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    users: int = 0


@dataclass
class CreateGuard:
    """Per-key state of the twin guard: locks by (kind, name) and model jobs by name."""

    _locks: dict[tuple[str, str], _NameLock] = field(default_factory=dict)
    _jobs: BoundedCache[str, Job] = field(default_factory=lambda: BoundedCache(MAX_PENDING_JOBS, ttl=PENDING_TTL))

    @asynccontextmanager
    async def one_at_a_time(self, kind: str, name: str) -> AsyncIterator[None]:
        """Hold the lock for creating a ``kind`` named ``name`` (dropped once nobody waits for it)."""
        key = (kind, name)
        entry = self._locks.setdefault(key, _NameLock())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                self._locks.pop(key, None)

    def job_started(self, name: str, job: Job) -> None:
        """Remember the job creating model ``name`` until it is known to have finished."""
        self._jobs.put(name, job)

    def job_settled(self, name: str) -> None:
        """The job for ``name`` is known to have finished (the model exists) or failed."""
        self._jobs.pop(name)

    def running_job(self, name: str) -> Job | None:
        """The remembered job creating model ``name``, if any and recent."""
        return self._jobs.get(name)
