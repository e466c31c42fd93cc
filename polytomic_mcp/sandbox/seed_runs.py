"""Move a finished execution back in time, so seeded run history reads like runs that happened earlier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def backdate(execution: dict[str, Any], *, hours_ago: float) -> dict[str, Any]:
    """Shift the execution's timestamps (and its console lines') so it started ``hours_ago`` hours ago."""
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    stamps = {"created_at": start, "started_at": start + timedelta(seconds=5), "completed_at": start + timedelta(seconds=42)}
    for key, moment in stamps.items():
        if execution.get(key):
            execution[key] = moment.strftime(_FORMAT)
    for index, line in enumerate(execution["_console"]):
        line["timestamp"] = (start + timedelta(seconds=index)).strftime(_FORMAT)
    return execution
