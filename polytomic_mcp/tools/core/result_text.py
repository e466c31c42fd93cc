"""What a tool's result looks like to the client: its text form, with workspace data marked as data.

- Size and encoding: ``bounds`` keeps every result within ``MAX_RESULT_CHARS`` (4,000 tokens at 4
  characters a token), cut visibly, and replaces unpaired UTF-16 surrogates before this renders it.
- Untrusted text: records, names and messages from the user's workspace can carry
  instructions. Each top-level field holding a value at an untrusted path (``connections[].name``,
  see ``views.untrusted_paths``) leaves the JSON text and follows it inside ``<workspace-data>``
  markers; ``<`` is escaped everywhere else, so no value can forge a marker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

DATA_OPEN = '<workspace-data field="{field}">'
DATA_CLOSE = "</workspace-data>"


def as_text(structured: dict[str, Any], untrusted: Sequence[str] = ()) -> str:
    """The text form: one line of JSON, then each top-level field holding an ``untrusted`` path in its own marked block."""
    marked = [f for f in dict.fromkeys(re.split(r"[.\[]", path, maxsplit=1)[0] for path in untrusted) if f in structured]
    parts = [_json({k: v for k, v in structured.items() if k not in marked})]
    parts += [f"{DATA_OPEN.format(field=field)}\n{_json(structured[field])}\n{DATA_CLOSE}" for field in marked]
    return "\n".join(parts)


def _json(value: Any) -> str:
    """Compact JSON in which ``<`` only ever appears escaped (it can occur only inside strings)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def quoted(text: str) -> str:
    """Upstream or workspace free text inside a plain-text message, marked as data (markers cannot be forged)."""
    return f"<workspace-data>{text.replace('<', '‹').replace('>', '›')}</workspace-data>"
