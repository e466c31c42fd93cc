"""Tool icons (MCP 2025-11-25 ``icons``): one small self-contained SVG per tool family, as a ``data:`` URI.

Drawn filled on an 8x8 grid with comma-separated path data, so each URI stays near 130 characters: every
tools/list carries one per tool. ``<``, ``>`` and spaces are percent-encoded so the URI is a valid one.
"""

from __future__ import annotations

from urllib.parse import quote

SHAPES = {
    "connections": "M0,2h3v4H0zM5,2h3v4H5zM3,3.5h2v1H3z",
    "models": "M0,1h8v2H0zM0,4h3v3H0zM4,4h4v3H4z",
    "syncs": "M0,3h5V1l3,3-3,3V5H0z",
    "deletion": "M1,1h6v1H1zM3,0h2v1H3zM2,3h4v5H2z",
    "api": "M3,1L0,4l3,3zM5,1l3,3-3,3z",
}
"""Path data per family (the last part of its package): two joined plugs, a table, an arrow, a bin, ``<>``."""


def svg_uri(path: str) -> str:
    """A ``data:`` URI of an 8x8 SVG filling ``path``."""
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0,0,8,8' fill='slateblue'><path d='{path}'/></svg>"
    return "data:image/svg+xml," + quote(svg, safe="/:=',.")


def family_icon(family: str) -> str:
    """The icon URI of a tool family (``polytomic_mcp.tools.syncs`` or ``syncs``); KeyError names a family without one."""
    return svg_uri(SHAPES[family.rsplit(".", 1)[-1]])
