"""The HTML views (MCP Apps ``ui://`` resources): self-contained documents whose CSP admits only their own script."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources

_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def view_html(name: str) -> str:
    """The view ``name`` (e.g. ``workspace.html``) with its CSP ``script-src`` set to the hash of its one inline script."""
    html = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    scripts = _SCRIPT.findall(html)
    if len(scripts) != 1:
        raise ValueError(f"View {name} must hold exactly one inline <script>, found {len(scripts)}")
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    return html.replace("'SCRIPT_HASH'", f"'sha256-{digest}'")
