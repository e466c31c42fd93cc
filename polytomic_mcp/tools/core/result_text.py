"""What a tool's result looks like to the client: bounded, encodable, and with workspace data marked as data.

- Size: every string is capped at ``MAX_STRING_CHARS`` and the whole result kept within
  ``MAX_RESULT_CHARS`` (4,000 tokens at 4 characters a token) by cutting the longest lists
  first; every cut is visible, in the string itself or in a top-level ``truncated`` note.
- Encoding: an unpaired UTF-16 surrogate cannot be written as UTF-8 and would break the
  transport, so each becomes U+FFFD.
- Untrusted text: records, names and messages from the user's workspace can carry
  instructions. Fields a result model lists in ``workspace_data`` leave the JSON text and
  follow it inside ``<workspace-data>`` markers; ``<`` is escaped everywhere else, so no
  value can forge a marker.
"""

from __future__ import annotations

import json
from typing import Any

MAX_RESULT_CHARS = 16_000
MAX_STRING_CHARS = 2_000
MAX_ERROR_CHARS = 2_000
DATA_OPEN = '<workspace-data field="{field}">'
DATA_CLOSE = "</workspace-data>"


def clean_text(text: str, limit: int = MAX_STRING_CHARS) -> str:
    """``text`` without unpaired surrogates, cut at ``limit`` characters with a visible marker."""
    if not text.isascii():
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if len(text) > limit:
        return f"{text[:limit]}... [{len(text) - limit} more characters cut]"
    return text


def clean_message(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """An error message cleaned and cut in the middle, so both what went wrong and the next step survive."""
    text = clean_text(text, len(text))
    if len(text) <= limit:
        return text
    head, tail = text[: limit * 2 // 3], text[-(limit // 3):]
    return f"{head}... [{len(text) - len(head) - len(tail)} characters cut] ...{tail}"


def clip(value: str, limit: int = 120) -> str:
    """An argument echoed in a message (an id, a name), shortened when an agent passed something huge."""
    return value if len(value) <= limit else f"{value[:limit]}...({len(value)} characters)"


def _clean(value: Any, limit: int) -> Any:
    """Every string inside ``value`` cleaned and capped (dictionary keys too)."""
    if isinstance(value, str):
        return clean_text(value, limit)
    if isinstance(value, dict):
        return {clean_text(str(k), 200): _clean(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, limit) for v in value]
    return value


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _lists(value: Any, path: str = "result") -> list[tuple[str, list[Any]]]:
    """Every non-empty list inside ``value`` with a readable path to it."""
    found: list[tuple[str, list[Any]]] = []
    if isinstance(value, list):
        if value:
            found.append((path, value))
        for index, child in enumerate(value):
            found += _lists(child, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, child in value.items():
            found += _lists(child, str(key) if path == "result" else f"{path}.{key}")
    return found


def bounded(structured: dict[str, Any]) -> dict[str, Any]:
    """``structured`` cleaned and within ``MAX_RESULT_CHARS`` (see the module docstring)."""
    limit = MAX_STRING_CHARS
    value: dict[str, Any] = _clean(structured, limit)
    cut: dict[int, tuple[str, int, list[Any]]] = {}
    while _size(value) > MAX_RESULT_CHARS:
        lists = [(path, items) for path, items in _lists(value) if len(items) > 1]
        if lists:
            path, items = max(lists, key=lambda found: _size(found[1]))
            cut.setdefault(id(items), (path, len(items), items))
            del items[max(1, len(items) // 2):]
            continue
        if limit <= 100:
            break
        limit //= 2
        value = _clean(value, limit)
    if cut:
        shown = "; ".join(f"{path} shows the first {len(items)} of {total}" for path, total, items in cut.values())
        value["truncated"] = f"Result cut to fit the size limit: {shown}. Narrow the request (search, limit, cursor) for the rest."
    return value


def as_text(structured: dict[str, Any], workspace_data: tuple[str, ...] = ()) -> str:
    """The text form: one line of JSON, then each workspace-data field in its own marked block."""
    main = {k: v for k, v in structured.items() if k not in workspace_data}
    parts = [_json(main)]
    for field in workspace_data:
        if field in structured:
            parts.append(f"{DATA_OPEN.format(field=field)}\n{_json(structured[field])}\n{DATA_CLOSE}")
    return "\n".join(parts)


def _json(value: Any) -> str:
    """Compact JSON in which ``<`` only ever appears escaped (it can occur only inside strings)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def quoted(text: str) -> str:
    """Upstream or workspace free text inside a plain-text message, marked as data (markers cannot be forged)."""
    return f"<workspace-data>{text.replace('<', '‹').replace('>', '›')}</workspace-data>"
