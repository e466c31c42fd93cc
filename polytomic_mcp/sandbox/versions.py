"""API versions the sandbox serves via ``X-Polytomic-Version`` and how older ones map onto 2024-02-08 behaviour."""

from __future__ import annotations

from .errors import ApiError, bad_request, not_found

LATEST = "2025-09-18"
LEGACY = "2024-02-08"
SUPPORTED = (LATEST, LEGACY, "2023-04-25", "2022-12-12", "2021-05-23")
HEADER = "x-polytomic-version"


def resolve(requested: str | None) -> str:
    """Return the version to serve: the requested one, ``LATEST`` when absent, 400 when unknown."""
    if not requested:
        return LATEST
    if requested.strip() in SUPPORTED:
        return requested.strip()
    raise bad_request(f'unsupported X-Polytomic-Version "{requested}"; supported: {", ".join(SUPPORTED)}')


def is_legacy(version: str) -> bool:
    """Whether ``version`` behaves like 2024-02-08 (every supported version older than the latest does)."""
    return version != LATEST


def missing_route(method: str, path: str, version: str, operation_id: str, since: str) -> ApiError:
    """The 404 for an operation the requested version does not have, naming the version that added it."""
    return not_found(f"not found: no route for {method} {path} in API version {version}; "
                     f"{operation_id} is in API version {since} and later")
