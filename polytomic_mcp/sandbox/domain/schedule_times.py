"""When an active sync runs next, from its schedule (UTC, minute precision, cron fields as strings), via ``cronsim``.

``hourly`` uses ``minute``; ``daily`` ``hour`` and ``minute``; ``weekly`` adds ``day_of_week``; ``custom``
and ``builder`` use all five cron fields, with standard cron meaning (day of month and day of week restricted
together match either). Frequencies with no clock (manual, continuous, runafter, multi, dbtcloud), inactive
syncs and schedules cron cannot read have no next time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from cronsim import CronSim, CronSimError

_FIELDS = ("minute", "hour", "day_of_month", "month", "day_of_week")
_CLOCKED = {
    "hourly": ("minute",),
    "daily": ("minute", "hour"),
    "weekly": ("minute", "hour", "day_of_week"),
    "custom": _FIELDS,
    "builder": _FIELDS,
}
_ZERO_WHEN_EMPTY = {"minute": tuple(_CLOCKED), "hour": ("daily", "weekly")}
"""Fields an empty value means ``0`` for, by frequency (a daily sync with no hour runs at midnight)."""
_DAY_NAME = re.compile(r"\b(sun|mon|tue|wed|thu|fri|sat)[a-z]*\b", re.IGNORECASE)


def cron_expression(schedule: dict[str, Any]) -> str | None:
    """The five-field cron expression of a clocked schedule (unused fields ``*``), or None."""
    used = _CLOCKED.get(schedule.get("frequency", ""))
    if used is None:
        return None
    parts = []
    for name in _FIELDS:
        value = str(schedule.get(name) or "").strip() if name in used else ""
        if not value:
            value = "0" if schedule["frequency"] in _ZERO_WHEN_EMPTY.get(name, ()) else "*"
        parts.append(_DAY_NAME.sub(lambda m: m.group(1).upper(), value) if name == "day_of_week" else value)
    return " ".join(parts)


def next_execution_time(sync: dict[str, Any], now: datetime | None = None) -> str | None:
    """The next run of an active clocked sync after ``now`` (default: the current time), or None."""
    expression = cron_expression(sync["schedule"]) if sync["active"] else None
    if expression is None:
        return None
    start = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    try:
        upcoming = next(iter(CronSim(expression, start)))
    except (CronSimError, StopIteration):
        return None
    return upcoming.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
