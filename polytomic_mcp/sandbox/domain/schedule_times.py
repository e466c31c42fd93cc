"""When an active sync runs next, from its schedule (UTC, minute precision, cron-style fields as strings).

``hourly`` uses ``minute``; ``daily`` ``hour`` and ``minute``; ``weekly`` adds ``day_of_week``; ``custom``
and ``builder`` use all five cron fields (``*``, numbers, ``a-b``, ``*/n``, lists; days of the week 0-6 from
Sunday, or their names). Frequencies with no clock (manual, continuous, runafter, multi, dbtcloud) and
inactive syncs have no next time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

_DAYS = {name: index for index, name in enumerate(("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"))}
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day_of_month", 1, 31), ("month", 1, 12), ("day_of_week", 0, 6))
_CLOCKED = {
    "hourly": ("minute",),
    "daily": ("minute", "hour"),
    "weekly": ("minute", "hour", "day_of_week"),
    "custom": ("minute", "hour", "day_of_month", "month", "day_of_week"),
    "builder": ("minute", "hour", "day_of_month", "month", "day_of_week"),
}
_HORIZON_DAYS = 366 * 4


def _number(token: str, low: int) -> int:
    token = token.strip().lower()
    if token in _DAYS:
        return _DAYS[token]
    if token[:3] in {d[:3] for d in _DAYS}:
        return next(i for d, i in _DAYS.items() if d.startswith(token[:3]))
    return int(token) if token.isdigit() else low


def allowed(spec: str, low: int, high: int) -> set[int]:
    """The values a cron field allows; an empty or unreadable field allows every value."""
    values: set[int] = set()
    for part in (spec or "*").split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else 1
        if base.strip() in ("*", ""):
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, low), _number(last, high)
        else:
            start = _number(base, low)
            end = high if step_text else start
        values.update(v for v in range(start, end + 1, step) if low <= v <= high)
    return values or set(range(low, high + 1))


def next_execution_time(sync: dict[str, Any], now: datetime | None = None) -> str | None:
    """The next run of an active clocked sync after ``now`` (default: the current time), or None."""
    schedule = sync["schedule"]
    used = _CLOCKED.get(schedule["frequency"])
    if not sync["active"] or used is None:
        return None
    rules = {name: allowed(schedule.get(name, "") if name in used else "", low, high) for name, low, high in _FIELDS}
    if schedule["frequency"] in ("daily", "weekly"):
        rules["hour"] = allowed(schedule.get("hour") or "0", 0, 23)
    rules["minute"] = allowed(schedule.get("minute") or "0", 0, 59)
    start = (now or datetime.now(UTC)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = start.replace(hour=0, minute=0)
    for offset in range(_HORIZON_DAYS):
        date = day + timedelta(days=offset)
        cron_weekday = (date.weekday() + 1) % 7
        if date.month not in rules["month"] or date.day not in rules["day_of_month"] or cron_weekday not in rules["day_of_week"]:
            continue
        for hour in sorted(rules["hour"]):
            for minute in sorted(rules["minute"]):
                candidate = date.replace(hour=hour, minute=minute)
                if candidate >= start:
                    return candidate.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None
