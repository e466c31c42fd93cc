"""API versions this client speaks (sent as ``X-Polytomic-Version``)."""

from __future__ import annotations

API_2025_09_18 = "2025-09-18"
API_2024_02_08 = "2024-02-08"
DEFAULT_API_VERSION = API_2025_09_18
SUPPORTED_API_VERSIONS = (API_2025_09_18, API_2024_02_08)


def supports_identities(api_version: str) -> bool:
    """Whether syncs take ``identities`` (2025-09-18 and later) rather than ``identity``."""
    return api_version >= API_2025_09_18


def since_2025_09_18(api_version: str) -> bool:
    """Whether the endpoints new in 2025-09-18 exist: per-execution cancel, console logs, the record-log index."""
    return api_version >= API_2025_09_18
