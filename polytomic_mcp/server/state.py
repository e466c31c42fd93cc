"""Server-wide state shared by the lifespan, resources and completions."""

from __future__ import annotations

from dataclasses import dataclass

from polytomic_mcp.tools import Services


@dataclass
class ServerState:
    """Holds the Services object while the server's lifespan is active."""

    services: Services | None = None

    def require(self) -> Services:
        """The live Services, or an error when used outside the lifespan."""
        if self.services is None:
            raise RuntimeError("the Polytomic client is not started (server lifespan not entered)")
        return self.services
