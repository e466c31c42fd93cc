"""Background jobs for ``?async=true`` model calls: run deterministically on the second poll, no timers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ApiError, bad_request, listing, not_found
from ..ids import new_id
from ..records import Job

if TYPE_CHECKING:
    from ..store import Workspace

JOB_TYPES = ("createmodel", "updatemodel", "previewmodel", "samplemodel", "exportlogs", "connectionproxy")


def start_job(ws: Workspace, job_type: str, work: Callable[[], Any]) -> Job:
    """Register a job whose ``work`` runs when it is polled the second time."""
    job = Job(job_id=new_id(), type=job_type, work=work)
    ws.jobs[job.job_id] = job
    return job


def poll_job(ws: Workspace, job_type: str, job_id: str) -> Job:
    """Advance a job one step per poll (created → running → done/failed) and return it."""
    if job_type not in JOB_TYPES:
        raise bad_request(f'unknown job type "{job_type}"; valid: {listing(list(JOB_TYPES))}')
    job = ws.jobs.get(job_id)
    if job is None or job.type != job_type:
        raise not_found(f'{job_type} job "{job_id}" not found')
    job.polls += 1
    if job.status == "created":
        job.status = "running"
    elif job.status == "running":
        try:
            job.result = job.work()
            job.status = "done"
        except ApiError as exc:
            job.status, job.error = "failed", exc.message
    return job


def render_job(job: Job) -> dict[str, Any]:
    """Render the public ``{job_id, type, status, result, error}`` object."""
    return {"job_id": job.job_id, "type": job.type, "status": job.status, "result": job.result, "error": job.error}
