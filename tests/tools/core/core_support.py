"""Stand-ins shared by the write-pipeline and consent tests."""

from __future__ import annotations


class Ctx:
    """A client that declared no elicitation."""

    client_capabilities = None
    protocol_version = "2025-11-25"
    request_id = 1
    session = None

    async def notify_resources_changed(self) -> None:
        return None
