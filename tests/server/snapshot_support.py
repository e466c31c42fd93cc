"""Tool results as the model reads them, made stable for snapshots: ids and times replaced by placeholders.

``Workspace`` builds the reference pipeline (two connections, a model, a sync) and renders each
call as its structured result or ``{"error": text}``; a snapshot of that shows any change in
what the model reads, the way the contract snapshot does for tools/list.
"""

from __future__ import annotations

import re
from typing import Any

from mcp import Client
from mcp_types import TextContent
from workflow import MONGO, SALESFORCE, authorize, model_args, sync_args

from polytomic_mcp.sandbox import Sandbox

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")
_SANDBOX_URL = re.compile(r"http://sandbox\.polytomic\.test/[^\s\"']*")
_PYDANTIC_DOCS = re.compile(r"https://errors\.pydantic\.dev/[0-9.]+/")


class Stable:
    """Replaces each distinct id with ``<id1>``, ``<id2>``... in order of first appearance, and times with ``<time>``."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def _id(self, match: re.Match[str]) -> str:
        return self._ids.setdefault(match.group(0), f"<id{len(self._ids) + 1}>")

    def text(self, value: str) -> str:
        value = _PYDANTIC_DOCS.sub("https://errors.pydantic.dev/<version>/", _SANDBOX_URL.sub("<sandbox-url>", value))
        return _TIME.sub("<time>", _UUID.sub(self._id, value))

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value


class Workspace:
    """The reference pipeline on a sandbox, and its calls rendered stably."""

    def __init__(self, client: Client, sandbox: Sandbox) -> None:
        self.client = client
        self.sandbox = sandbox
        self.stable = Stable()
        self.ids: dict[str, str] = {}

    async def build(self) -> None:
        mongo = await self.client.call_tool("create_connection", MONGO)
        salesforce = await self.client.call_tool("create_connection", SALESFORCE)
        assert mongo.structured_content and salesforce.structured_content
        self.ids["mongo"], self.ids["salesforce"] = mongo.structured_content["id"], salesforce.structured_content["id"]
        await authorize(self.sandbox, salesforce.structured_content["auth_url"])
        model = await self.client.call_tool("create_model", model_args(self.ids["mongo"]))
        assert model.structured_content
        self.ids["model"] = model.structured_content["id"]
        sync = await self.client.call_tool("create_sync", sync_args(self.ids["model"], self.ids["salesforce"]))
        assert sync.structured_content, sync.content
        self.ids["sync"] = sync.structured_content["id"]
        for name, value in self.ids.items():
            self.stable._ids[value] = f"<{name}>"  # noqa: SLF001 - the pipeline's own ids read better by name

    async def call(self, name: str, arguments: dict[str, Any]) -> Any:
        """What the model reads, ids and times made stable: the structured result, or the error text."""
        result = await self.client.call_tool(name, arguments)
        text = "\n".join(c.text for c in result.content if isinstance(c, TextContent))
        if result.is_error:
            return {"error": self.stable.text(text)}
        marked = re.findall(r'<workspace-data field="([a-z_]+)">', text)
        rendered = self.stable.value(result.structured_content)
        return {**rendered, "<marked as workspace data>": marked} if marked else rendered
