"""Bulk-sync schedules: ``default_schedule`` + ``additional_schedules`` (2025-09-18) or one ``schedule`` (2024-02-08).

Times are strings in UTC; for hourly, daily and weekly runs they must be numbers in range, so ``"hour": 5``
(a number) or ``"hour": "25"`` is refused with the field named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import bad_request
from ..ids import new_id, now_iso
from .body import optional, require_object
from .syncs import FREQUENCIES, SCHEDULE_STRINGS

if TYPE_CHECKING:
    from ..store import Workspace

SCHEDULE_KEYS = ("id", "frequency", *SCHEDULE_STRINGS)
EXTRA_KEYS = ("resync_mode", "schemas", "selective_mode")
RESYNC_MODES = ("normal", "refetch", "resync", "rebuild")
SELECTIVE_MODES = ("none", "incrementalFields", "nonincrementalFields")
_RANGES = {"minute": 59, "hour": 23}
_TIMED = ("hourly", "daily", "weekly")


def _times(schedule: dict[str, Any], where: str) -> dict[str, str]:
    times = {key: optional(schedule, key, str, "", f"{where}.") for key in SCHEDULE_STRINGS}
    if schedule.get("frequency") in _TIMED:
        for key, top in _RANGES.items():
            value = times[key]
            if value and (not value.isdigit() or int(value) > top):
                raise bad_request(f'{where}.{key} must be a number from 0 to {top} written as a string, got "{value}"')
    return times


def parse(value: Any, where: str, *, extra: bool = False) -> dict[str, Any]:
    """Validate one schedule object; ``extra`` allows the additional-schedule members."""
    if value is None:
        raise bad_request(f"{where} is required")
    schedule = require_object(value, where)
    allowed = SCHEDULE_KEYS + (EXTRA_KEYS if extra else ())
    unknown = [k for k in schedule if k not in allowed]
    if unknown:
        raise bad_request(f'unknown {where} field "{unknown[0]}"; valid: {", ".join(allowed)}')
    frequency = schedule.get("frequency")
    if frequency not in FREQUENCIES:
        raise bad_request(f'{where}.frequency: unknown schedule frequency "{frequency}"; valid: {", ".join(FREQUENCIES)}')
    parsed: dict[str, Any] = {"frequency": frequency, **_times(schedule, where)}
    if extra:
        resync = optional(schedule, "resync_mode", str, "normal", f"{where}.")
        if resync not in RESYNC_MODES:
            raise bad_request(f'{where}.resync_mode must be one of {", ".join(RESYNC_MODES)}; got "{resync}"')
        selective = optional(schedule, "selective_mode", str, "none", f"{where}.")
        if selective not in SELECTIVE_MODES:
            raise bad_request(f'{where}.selective_mode must be one of {", ".join(SELECTIVE_MODES)}; got "{selective}"')
        parsed.update(resync_mode=resync, selective_mode=selective, schemas=optional(schedule, "schemas", list, [], f"{where}."))
    return parsed


def stamp(ws: Workspace, parsed: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Give a parsed schedule its id and timestamps (kept from ``previous`` when it is the same schedule)."""
    now, actor = now_iso(), ws.actor()
    kept = previous or {"id": new_id(), "created_at": now, "created_by": actor}
    return {**parsed, "id": kept["id"], "created_at": kept["created_at"], "created_by": kept["created_by"], "updated_at": now, "updated_by": actor}


def render(schedule: dict[str, Any], *, legacy: bool) -> dict[str, Any]:
    """Render a stored schedule: the 2025 response object, or the bare 2024 ``schedule`` (no ids or actors)."""
    if legacy:
        return {key: schedule[key] for key in ("frequency", *SCHEDULE_STRINGS)}
    return dict(schedule)
