"""Notifications to the client: resources/list_changed after a create, and MCP log messages."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Literal, get_args

from mcp import MCPDeprecationWarning
from mcp.server.mcpserver import Context

from polytomic_mcp.redaction import scrub

Level = Literal["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
LEVELS: tuple[Level, ...] = get_args(Level)

logger = logging.getLogger("polytomic_mcp.tools")


async def resources_changed(ctx: Context) -> None:
    """Send resources/list_changed; a client that cannot receive it is not an error."""
    try:
        await ctx.notify_resources_changed()
        if ctx.protocol_version != "2026-07-28":
            await ctx.session.send_resource_list_changed()
    except Exception as error:  # noqa: BLE001 - a notification must never fail the tool
        logger.debug("resources/list_changed not sent: %s", type(error).__name__)


def progress_to(ctx: Context) -> Callable[[str], Awaitable[None]]:
    """A callback that reports each step of a long check (a schema cache refresh) as a progress message."""

    async def progress(message: str) -> None:
        await ctx.report_progress(0, None, message)

    return progress


async def tell(ctx: Context, level: Level, message: str) -> None:
    """Send an MCP log message at ``level`` if the client's chosen level lets it through.

    Progress and warnings go to the user's log view this way; a client that cannot take
    them is not an error. MCP logging is deprecated in newer protocol versions, so the
    SDK's deprecation warning is silenced here on purpose.
    """
    chosen = getattr(ctx.request_context.lifespan_context, "log_level", None)
    minimum = str(chosen(ctx.session)) if callable(chosen) else "info"
    if LEVELS.index(level) < LEVELS.index(minimum if minimum in LEVELS else "info"):
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MCPDeprecationWarning)
            await ctx.log(level, scrub(message), logger_name="polytomic")
    except Exception as error:  # noqa: BLE001 - a log message must never fail the tool
        logger.debug("log notification not sent: %s", type(error).__name__)
