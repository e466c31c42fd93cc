"""Typed records of a workspace's model-sync objects: what the API shows as fields, sandbox bookkeeping as fields of its own.

Records hold plain values and no rendering rules: ``render`` (and ``domain.jobs``) turn them into the API's JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    """A background job of an ``?async=true`` model call; ``work`` runs on its second poll."""

    job_id: str
    type: str
    work: Callable[[], Any] = field(repr=False)
    status: str = "created"
    result: Any = None
    error: str = ""
    polls: int = 0


@dataclass
class Execution:
    """One run of a model sync: the API's members, then the run's own bookkeeping (never rendered)."""

    id: str
    sync_id: str
    type: str
    created_at: str
    seq: int
    """Start order among all runs (history is newest first by it)."""
    status: str = "created"
    started_at: str | None = None
    completed_at: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    version: str = ""
    resync: bool = False
    limit: int = 0
    """Records a test run stops after (0: no limit)."""
    only: set[str] = field(default_factory=set)
    """Identities the run is restricted to (empty: all)."""
    polls: int = 0
    console: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """Console log lines as ``GET …/consolelog`` answers them."""
    result: object | None = field(default=None, repr=False)
    """The domain's ``RunResult`` once the run has finished (typed ``object`` so the store needs no domain import)."""
