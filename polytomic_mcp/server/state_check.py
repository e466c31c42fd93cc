"""Start only when the shared state answers: a replica that cannot reach Redis would refuse every single-use step."""

from __future__ import annotations

from urllib.parse import urlparse

import anyio

from polytomic_mcp.settings import Settings, SettingsError
from polytomic_mcp.shared_state import StateUnavailable, open_state


def require_shared_state(settings: Settings) -> None:
    """Ping ``POLYTOMIC_STATE_URL`` once (when set); ``SettingsError`` naming the setting, host and port, never the password."""
    if settings.state_url is None:
        return
    try:
        anyio.run(_ping, settings.state_url)
    except StateUnavailable as error:
        parsed = urlparse(settings.state_url)
        kind = str(error).rsplit(": ", 1)[-1]
        raise SettingsError(
            f"POLYTOMIC_STATE_URL: Redis at {parsed.hostname}:{parsed.port or 6379} did not answer ({kind}); start it, "
            "fix the URL, or unset POLYTOMIC_STATE_URL to keep state in this process (one replica only)"
        ) from None


async def _ping(url: str) -> None:
    state = open_state(url)
    try:
        await state.ping()
    finally:
        await state.aclose()
