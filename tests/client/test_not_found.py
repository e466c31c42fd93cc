"""A 404 says whether the server lacks the route or the object its path names (``NotFoundError.names_the_route``)."""

from __future__ import annotations

import pytest

from polytomic_mcp.client import NotFoundError


@pytest.mark.parametrize(("message", "route"), [
    ("not found: no route for GET /api/events", True),
    ("404 page not found", True),
    ("Not Found", True),
    ("unknown endpoint", True),
    ('not found: no webhook "wh_1"', False),
    ('connection "c-1" not found', False),
    ("not found: no route for GET /api/harbors in API version 2024-02-08; harbors.list is in API version 2025-09-18 and later", True),
])
def test_the_message_tells_a_missing_route_from_a_missing_object(message: str, route: bool) -> None:
    assert NotFoundError(message, status=404).names_the_route is route
