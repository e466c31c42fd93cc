"""Move seeded objects and finished runs back in time, so a seeded history reads like things that happened earlier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from .records import Execution

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _stamp(moment: datetime) -> str:
    return moment.strftime(_FORMAT)


def _before_now(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def backdate(execution: Execution, *, hours_ago: float) -> Execution:
    """Shift a model-sync execution's timestamps so it started ``hours_ago`` hours ago; its console lines fall between
    its start and its end, as a live run's do."""
    start = _before_now(hours_ago)
    execution.created_at = _stamp(start)
    if execution.started_at:
        execution.started_at = _stamp(start + timedelta(seconds=5))
    if execution.completed_at:
        execution.completed_at = _stamp(start + timedelta(seconds=42))
    for index, line in enumerate(execution.console):
        line["timestamp"] = _stamp(start + timedelta(seconds=min(5 + index, 42)))
    return execution


def backdate_bulk(execution: dict[str, Any], *, hours_ago: float) -> dict[str, Any]:
    """Shift a bulk-sync execution's timestamps (its schemas' and log lines' too) so it started ``hours_ago`` hours ago."""
    start = _before_now(hours_ago)
    stamps = {"created_at": start, "started_at": start + timedelta(seconds=5), "completed_at": start + timedelta(minutes=4),
              "updated_at": start + timedelta(minutes=4)}
    for row in (execution, *execution["schemas"]):
        row.update({key: _stamp(moment) for key, moment in stamps.items() if row.get(key)})
    for index, line in enumerate(execution["_log"]):
        line["timestamp"] = _stamp(start + timedelta(seconds=index))
    return execution


class Stamped(Protocol):
    """A typed record with creation and change times."""

    created_at: str
    updated_at: str


def backdate_object(obj: dict[str, Any] | Stamped, *, hours_ago: float) -> None:
    """Set a stored object's ``created_at``/``updated_at`` (those a dict has) to ``hours_ago`` hours ago."""
    stamp = _stamp(_before_now(hours_ago))
    if isinstance(obj, dict):
        obj.update({key: stamp for key in ("created_at", "updated_at") if key in obj})
    else:
        obj.created_at = obj.updated_at = stamp
