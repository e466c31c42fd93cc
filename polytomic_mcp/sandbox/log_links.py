"""Signed URLs of execution log files: what ``GET …/executions/{id}/{type}`` hands out and ``/sandbox-logs/`` serves.

The API answers log files as short-lived signed URLs on a storage host, fetched without the API key. The
sandbox issues an unguessable token per URL (kept until ``Sandbox.reset``) and serves the file under its own
base URL, outside ``/api/``, so a client that sends its key there, or fails to follow the redirect, shows up.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .store import Workspace

PATH_PREFIX = "/sandbox-logs"
LIFETIME = timedelta(minutes=15)
"""What ``expires`` announces; the sandbox itself does not expire links (its tests need no clock)."""


@dataclass(frozen=True)
class LogLink:
    """What one signed URL points at."""

    workspace: Workspace
    sync_id: str
    execution_id: str
    log_type: str
    filename: str


@dataclass
class LogLinks:
    """The tokens issued so far, per sandbox."""

    base_url: str
    links: dict[str, LogLink] = field(default_factory=dict, repr=False)

    def issue(self, link: LogLink) -> str:
        """Register ``link`` under a fresh token and return its URL."""
        token = secrets.token_urlsafe(18)
        self.links[token] = link
        return f"{self.base_url}{PATH_PREFIX}/{token}/{quote(link.filename, safe='')}"

    def resolve(self, token: str) -> LogLink | None:
        """The link a token was issued for, if any."""
        return self.links.get(token)

    def clear(self) -> None:
        """Forget every token."""
        self.links.clear()


def expires_at() -> str:
    """When URLs issued now are announced to expire."""
    return (datetime.now(UTC) + LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")
