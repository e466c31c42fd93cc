"""Creates that never make twins: one create per kind and name at a time, and model jobs remembered while they run.

The unique-name guard lists what exists and then creates; two concurrent calls with one name
would both pass the check, so creates of one kind and name hold a lock in the shared state (across
replicas). A model appears in the API's list only once its asynchronous job is done, so a job whose
outcome is unknown (still running, its polling failed or timed out, its replica restarted) is remembered
there too, and a second create with that name is refused while the job may still make the model.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

from polytomic_mcp.client.models import Job
from polytomic_mcp.shared_state import LockBusy, SharedState, StateUnavailable, digest, namespaced

from .errors import fail

PENDING_TTL = 3600.0
"""Seconds a model job of unknown outcome is remembered (Polytomic finishes or fails them well before)."""
LOCK_MARGIN = 15.0
"""Seconds a create lock lasts beyond the tool timeout: a call ends within that timeout, so the lock outlives every
create that holds it, and a replica that died holding it blocks the name no longer than this."""
UNREACHABLE = "could not reach the shared state (POLYTOMIC_STATE_URL); nothing was done. Try again shortly"


@contextmanager
def reaching_state(not_done: str) -> Iterator[None]:
    """Turn an unreachable shared state inside the block into the refusal of a write that did nothing (fail closed)."""
    try:
        yield
    except StateUnavailable:
        raise fail(f"{not_done}: {UNREACHABLE}.") from None


@dataclass
class CreateGuard:
    """One tenant's twin guard: locks by (kind, name) and model jobs by name, under the tenant's namespace."""

    state: SharedState
    tenant: str
    wait: float = 45.0
    """Seconds a create waits for another create of the same name to finish (the tool timeout)."""

    def _key(self, *parts: str) -> str:
        return namespaced("t", self.tenant, *parts[:-1], digest(parts[-1]))

    @asynccontextmanager
    async def one_at_a_time(
        self, kind: str, name: str, *, not_done: str = "Nothing was done", label: str = "",
    ) -> AsyncIterator[None]:
        """Hold the lock for creating a ``kind`` named ``name``; a ToolError starting with ``not_done`` when it cannot
        be had (the state is unreachable, or another change of ``label``, by default "the kind 'name'", outlasts
        ``wait``)."""
        body: list[BaseException | None] = []
        try:
            async with self.state.locked(self._key("lock", kind, name), ttl=self.wait + LOCK_MARGIN, wait=self.wait):
                try:
                    yield
                except BaseException as error:
                    body.append(error)
                    raise
                body.append(None)
        except StateUnavailable as error:
            if body and body[0] is not error:
                if body[0] is not None:  # the release failed after the body's own error: that error is the answer
                    raise body[0] from None
                return  # done; only the release failed, and the lock expires by itself
            raise fail(f"{not_done}: {UNREACHABLE}.") from None
        except LockBusy:
            raise fail(f"{not_done}: another request is still changing {label or f'the {kind} {name!r}'} after {self.wait:g}s; "
                       "call it again shortly (it then sees what that request made).") from None

    async def job_started(self, name: str, job: Job) -> None:
        """Remember the job creating model ``name`` until it is known to have finished."""
        await self.state.put(self._key("model-job", name), job.model_dump_json(), PENDING_TTL)

    async def job_settled(self, name: str) -> None:
        """The job for ``name`` is known to have finished (the model exists) or failed."""
        await self.state.delete(self._key("model-job", name))

    async def running_job(self, name: str) -> Job | None:
        """The remembered job creating model ``name``, if any and recent."""
        text = await self.state.get(self._key("model-job", name))
        return Job.model_validate_json(text) if text is not None else None
