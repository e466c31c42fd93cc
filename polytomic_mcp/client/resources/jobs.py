"""Asynchronous API jobs: fetch one, or poll it until it finishes."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

import anyio

from .._deadline import time_left
from .._exceptions import JobFailedError, JobPollError, JobTimeoutError, PolytomicError
from .._http import HTTPCore
from .._parse import parse_model
from ..models.models import Job
from ._resource import Resource, segment

DEADLINE_MARGIN = 1.0
"""Seconds kept free before the caller's deadline to report a job that is still running."""

DEFAULT_POLL_INTERVAL = 0.25
"""Seconds before the first status poll of a job; later polls wait 1.5 times longer each."""

DEFAULT_MAX_POLL_INTERVAL = 2.0
"""Upper bound of the wait between two polls."""

JobCallback = Callable[[Job, int], Awaitable[None] | None]
"""Called after each poll with the job and the poll number (for progress reporting)."""


class JobsResource(Resource):
    """GET /api/jobs/{type}/{id}."""

    def __init__(
        self, core: HTTPCore, *, poll_interval: float = DEFAULT_POLL_INTERVAL, max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL
    ) -> None:
        super().__init__(core)
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval

    async def get(self, job_type: str, job_id: str) -> Job:
        """The job's current state."""
        path = f"/api/jobs/{segment(job_type)}/{segment(job_id)}"
        return parse_model(Job, await self._data("GET", path), f"GET {path}")

    async def wait(
        self,
        job: Job,
        *,
        timeout: float = 120.0,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        on_poll: JobCallback | None = None,
    ) -> Job:
        """Poll until ``done`` (returned) or ``failed`` (raises); raise on timeout or when polling fails.

        The interval grows from ``poll_interval`` to ``max_poll_interval`` (this resource's own
        when not given); the wait ends at ``timeout`` or a second before the caller's deadline
        (see ``deadline``), whichever is first. ``JobTimeoutError`` and ``JobPollError`` mean the job may still finish later.
        """
        interval = self.poll_interval if poll_interval is None else poll_interval
        max_interval = self.max_poll_interval if max_poll_interval is None else max_poll_interval
        polls = 0
        timeout = max(0.0, min(timeout, time_left() - DEADLINE_MARGIN))
        with anyio.move_on_after(timeout) as scope:
            while not job.finished:
                await anyio.sleep(interval)
                interval = min(max_interval, interval * 1.5)
                try:
                    job = await self.get(job.type, job.job_id)
                except PolytomicError as error:
                    raise JobPollError(
                        f"job {job.type} {job.job_id} was started but its status could not be read ({error.message}); "
                        "it may still finish",
                        job_id=job.job_id, job_type=job.type,
                    ) from error
                polls += 1
                if on_poll is not None:
                    outcome = on_poll(job, polls)
                    if inspect.isawaitable(outcome):
                        await outcome
        if scope.cancelled_caught and not job.finished:
            raise JobTimeoutError(
                f"job {job.type} {job.job_id} still {job.status!r} after {timeout:g}s; it may still finish",
                job_id=job.job_id,
                job_type=job.type,
            )
        if job.status == "failed":
            raise JobFailedError(job.error or f"job {job.type} {job.job_id} failed", job_id=job.job_id, job_type=job.type)
        return job
