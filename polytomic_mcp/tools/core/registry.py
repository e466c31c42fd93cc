"""How tools are declared: names, titles, all four hints, the toolset, model-facing errors.

Every tool is declared with ``@tool(...)``, which requires a title and each hint, reads the
description from its family's ``descriptions/<name>.md``, turns leftover client errors into
``ToolError``s and returns structured content with a compact JSON text fallback. The server
lists tools from the generated manifest (``core.manifest``) and adds a declared tool on its
first call.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from polytomic_mcp.client import PolytomicError, deadline
from polytomic_mcp.redaction import scrub

from .. import Toolset
from .bounds import clean_message, dumped, fitted, off_loop
from .consent import call_ended, remaining
from .errors import ConsentNeeded, explain, fail
from .icons import family_icon
from .result_text import as_text
from .services import DEFAULT_TOOL_TIMEOUT, serving_now
from .views import UNTRUSTED, untrusted_paths

DEADLINE_GRACE = 5.0
"""Seconds past the deadline before a tool is stopped outright (the client stops its own calls at the deadline)."""


@dataclass(frozen=True)
class ToolSpec:
    """A declared tool: its function plus everything the server advertises about it."""

    name: str
    title: str
    fn: Callable[..., Awaitable[Any]]
    """What the server calls: the declared function wrapped with deadline, scrubbing and rendering."""
    declared: Callable[..., Awaitable[Any]]
    """The function as written (its return annotation gives the output schema)."""
    annotations: ToolAnnotations
    toolset: Toolset = Toolset.PIPELINES
    """The group the tool belongs to (``POLYTOMIC_TOOLSETS``): typed ``pipelines`` tools or the generic ``api``."""
    guards_writes: bool = False
    """The tool checks read-only mode itself (reads pass, writes are refused unsent), so read-only mode keeps it."""

    @property
    def read_only(self) -> bool:
        """Whether the tool only reads (kept in read-only mode)."""
        return bool(self.annotations.read_only_hint)

    @property
    def kept_in_read_only_mode(self) -> bool:
        """Whether read-only mode still exposes the tool."""
        return self.read_only or self.guards_writes

    @property
    def family(self) -> str:
        """The package the tool is declared in (``polytomic_mcp.tools.syncs``)."""
        return self.declared.__module__.rsplit(".", 1)[0]

    @property
    def icon(self) -> str:
        """The tool's icon, its family's (a ``data:`` URI of a small SVG)."""
        return family_icon(self.family)

    @property
    def description(self) -> str:
        """The model-facing description, from the family's ``descriptions/<name>.md``."""
        return resources.files(self.family).joinpath("descriptions", f"{self.name}.md").read_text().strip()


SPECS: dict[str, ToolSpec] = {}


def tool(
    *,
    title: str,
    read_only: bool,
    destructive: bool,
    idempotent: bool,
    open_world: bool,
    toolset: Toolset = Toolset.PIPELINES,
    guards_writes: bool = False,
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Declare a tool; every hint must be chosen, there are no defaults.

    A read-only tool advertises only readOnlyHint and openWorldHint: the spec gives destructiveHint and
    idempotentHint meaning only when readOnlyHint is false, and every tools/list pays for what is sent.
    """

    def declare(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        name = fn.__name__

        @functools.wraps(fn)
        async def run(*args: Any, **kwargs: Any) -> Any:
            svc = serving_now()
            seconds = svc.tool_timeout if svc is not None else DEFAULT_TOOL_TIMEOUT
            ctx = kwargs.get("ctx")
            left = remaining(ctx) if isinstance(ctx, Context) else seconds
            try:
                with deadline(left), anyio.fail_after(left + DEADLINE_GRACE):
                    result = await fn(*args, **kwargs)
            except TimeoutError:
                raise fail(out_of_time(name, seconds)) from None
            except ConsentNeeded as error:
                shown = scrub(str(error), svc.server_secrets) if svc is not None else scrub(str(error))
                raise ConsentNeeded(clean_message(shown)) from None
            except ToolError as error:
                raise fail(clean_message(scrub(str(error)))) from None
            except PolytomicError as error:
                raise fail(clean_message(scrub(explain(error, action=f"run {name}")))) from None
            finally:
                call_ended()
            return await off_loop(compact_result, result) if isinstance(result, BaseModel) else result

        SPECS[name] = ToolSpec(
            name=name,
            title=title,
            fn=run,
            declared=fn,
            annotations=ToolAnnotations(
                read_only_hint=read_only,
                destructive_hint=None if read_only else destructive,
                idempotent_hint=None if read_only else idempotent,
                open_world_hint=open_world,
            ),
            toolset=toolset,
            guards_writes=guards_writes,
        )
        return run

    return declare


def out_of_time(name: str, seconds: float) -> str:
    """The error for a call that ran past its deadline (the client gave up on Polytomic before this)."""
    return (
        f"{name} did not finish within {seconds:g}s (POLYTOMIC_TOOL_TIMEOUT) and was stopped. If it creates or changes "
        "something, it may have been applied: check with the matching list or get tool before calling it again."
    )


def compact_result(model: BaseModel) -> CallToolResult:
    """Structured content plus its text form (see ``result_text``): unset fields left out, secrets scrubbed, size bounded,
    workspace data marked (in the text, and as the paths listed under ``untrusted``)."""
    untrusted = untrusted_paths(model)
    listed = len(json.dumps(untrusted)) + len(UNTRUSTED) + 4 if untrusted else 0
    structured, text = fitted(dumped(model), lambda shown: as_text(shown, untrusted), scrub=scrub, reserve=listed)
    if untrusted:
        structured[UNTRUSTED] = untrusted
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)
