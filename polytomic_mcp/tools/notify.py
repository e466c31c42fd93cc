"""Tell the client that the resource list changed (after a create), on both protocol eras."""

from __future__ import annotations

import logging

from mcp.server.mcpserver import Context

logger = logging.getLogger("polytomic_mcp.tools")


async def resources_changed(ctx: Context) -> None:
    """Send resources/list_changed; a client that cannot receive it is not an error."""
    try:
        await ctx.notify_resources_changed()
        if ctx.protocol_version != "2026-07-28":
            await ctx.session.send_resource_list_changed()
    except Exception as error:  # noqa: BLE001 - a notification must never fail the tool
        logger.debug("resources/list_changed not sent: %s", type(error).__name__)
