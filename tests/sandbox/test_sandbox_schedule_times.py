"""next_execution_time from a sync's schedule: cron-style fields in UTC, nothing for unclocked or inactive syncs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from polytomic_mcp.sandbox.domain.schedule_times import cron_expression, next_execution_time

NOW = datetime(2025, 10, 1, 10, 30, 15, tzinfo=UTC)
"""A Wednesday."""


def sync(frequency: str, active: bool = True, **fields: str) -> dict[str, Any]:
    return {"active": active, "schedule": {"frequency": frequency, "minute": "", "hour": "", "day_of_week": "", "day_of_month": "", "month": "", **fields}}


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (sync("hourly", minute="45"), "2025-10-01T10:45:00Z"),
        (sync("hourly", minute="15"), "2025-10-01T11:15:00Z"),
        (sync("daily", hour="5", minute="0"), "2025-10-02T05:00:00Z"),
        (sync("daily", hour="23", minute="30"), "2025-10-01T23:30:00Z"),
        (sync("weekly", day_of_week="1", hour="9", minute="0"), "2025-10-06T09:00:00Z"),
        (sync("weekly", day_of_week="friday", hour="9", minute="0"), "2025-10-03T09:00:00Z"),
        (sync("custom", minute="*/20", hour="10-12"), "2025-10-01T10:40:00Z"),
        (sync("custom", minute="0", hour="6", day_of_month="1", month="1"), "2026-01-01T06:00:00Z"),
        (sync("builder", minute="0", hour="8,17", day_of_week="1-5"), "2025-10-01T17:00:00Z"),
    ],
)
def test_the_next_run_follows_the_schedule(schedule: dict[str, Any], expected: str) -> None:
    assert next_execution_time(schedule, NOW) == expected


@pytest.mark.parametrize("frequency", ["manual", "continuous", "runafter", "multi", "dbtcloud"])
def test_unclocked_frequencies_have_no_next_run(frequency: str) -> None:
    assert next_execution_time(sync(frequency, minute="0"), NOW) is None


def test_an_inactive_sync_has_no_next_run() -> None:
    assert next_execution_time(sync("daily", active=False, hour="5", minute="0"), NOW) is None


def test_schedules_become_standard_cron_expressions() -> None:
    assert cron_expression(sync("hourly", minute="15")["schedule"]) == "15 * * * *"
    assert cron_expression(sync("daily", minute="")["schedule"]) == "0 0 * * *"
    assert cron_expression(sync("weekly", day_of_week="mon-wed", hour="9")["schedule"]) == "0 9 * * MON-WED"
    assert cron_expression(sync("custom", minute="5")["schedule"]) == "5 * * * *"
    assert cron_expression(sync("manual")["schedule"]) is None


def test_day_of_month_and_day_of_week_together_match_either_as_in_cron() -> None:
    """``0 6 13 * fri``: the 13th or any Friday, whichever comes first (Friday 2025-10-03 here)."""
    assert next_execution_time(sync("custom", minute="0", hour="6", day_of_month="13", day_of_week="fri"), NOW) == "2025-10-03T06:00:00Z"


def test_a_schedule_cron_cannot_read_has_no_next_run() -> None:
    assert next_execution_time(sync("custom", minute="61"), NOW) is None
    assert next_execution_time(sync("custom", minute="0", hour="0", day_of_month="31", month="2"), NOW) is None
