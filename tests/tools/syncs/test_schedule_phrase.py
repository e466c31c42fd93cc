"""A schedule in a few words, as list_syncs shows it per item."""

from __future__ import annotations

from typing import Any

import pytest

from polytomic_mcp.tools.syncs.views import schedule_phrase


@pytest.mark.parametrize(("schedule", "said"), [
    ({"frequency": "manual", "hour": "", "minute": ""}, "manual"),
    ({"frequency": "hourly", "minute": "15"}, "hourly :15"),
    ({"frequency": "daily", "hour": "5", "minute": "0"}, "daily 05:00 UTC"),
    ({"frequency": "weekly", "day_of_week": "monday", "hour": "17", "minute": "30"}, "weekly monday 17:30 UTC"),
    ({"frequency": "custom", "minute": "*/5", "hour": "*", "day_of_month": "*", "month": "*", "day_of_week": "1-5"}, "custom */5 * * * 1-5"),
    ({"frequency": "runafter", "run_after": {"sync_ids": ["a"]}}, "runafter"),
    ({}, None),
    (None, None),
])
def test_schedule_phrase(schedule: dict[str, Any] | None, said: str | None) -> None:
    assert schedule_phrase(schedule) == said
