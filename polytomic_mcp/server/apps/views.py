"""The views: one self-contained HTML document per view, each attached to the tools whose results it draws."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class AppView:
    """A view: its ``ui://`` address, its document in ``html/``, and the tools whose results it draws."""

    uri: str
    file: str
    title: str
    description: str
    tools: tuple[str, ...]

    @property
    def html(self) -> str:
        """The document as served (read once per process)."""
        return _read(self.file)


VIEWS: tuple[AppView, ...] = (
    AppView(
        uri="ui://polytomic/sync.html",
        file="sync.html",
        title="Sync runs",
        description="A sync's recent runs as a chart, the run in progress, rejected records and per-schema results.",
        tools=("get_sync_status", "get_sync_runs"),
    ),
    AppView(
        uri="ui://polytomic/workspace.html",
        file="workspace.html",
        title="Workspace syncs",
        description="A list_syncs page drawn from source and model through each sync to its destination, failing first.",
        tools=("list_syncs",),
    ),
)


def view_of_tool() -> dict[str, str]:
    """Tool name -> the ``ui://`` address of the view that draws its result."""
    return {name: view.uri for view in VIEWS for name in view.tools}


@cache
def _read(file: str) -> str:
    return resources.files(__package__).joinpath("html", file).read_text(encoding="utf-8")
