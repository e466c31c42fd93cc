"""The committed catalog, read once on first use, and lookups by id or by ``METHOD /path``."""

from __future__ import annotations

import difflib
import functools
import json
import re
from importlib import resources

from .operation import CatalogError, Operation

FILE = "operations.json"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@functools.cache
def load() -> tuple[Operation, ...]:
    """Every operation, sorted by (path, method); the file is read on the first call only."""
    text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    return tuple(Operation.model_validate(entry) for entry in json.loads(text))


@functools.cache
def _by_name() -> dict[str, Operation]:
    """Each operation under its id and under its ``METHOD /path``."""
    index: dict[str, Operation] = {}
    for operation in load():
        index[operation.id] = operation
        index[operation.key] = operation
    return index


def lookup(name: str) -> Operation | None:
    """The operation with exactly this id or ``METHOD /path`` (after ``normalize``), or None."""
    return _by_name().get(normalize(name))


def normalize(name: str) -> str:
    """``" get   /api/x "`` -> ``"GET /api/x"``; ``"bulk_sync/schedules.get"`` (ALL_PATHS' spelling) -> dotted."""
    words = name.split()
    if len(words) == 2 and words[0].upper() in METHODS:
        return f"{words[0].upper()} {words[1]}"
    if len(words) == 1 and not words[0].startswith("/"):
        return words[0].replace("/", ".")
    return " ".join(words)


def find(id_or_method_path: str) -> Operation:
    """The operation with this id (``webhooks.list``) or this ``METHOD /path`` (``GET /api/webhooks``).

    Raises ``CatalogError`` naming the nearest names, the methods a bare path has, or the template a concrete
    path fits (``GET /api/syncs/abc`` -> ``GET /api/syncs/{id}``).
    """
    found = lookup(id_or_method_path)
    if found is not None:
        return found
    name = normalize(id_or_method_path)
    raise CatalogError(f"No operation {name!r}. {_hint(name)}")


def fitting(method: str, path: str) -> Operation | None:
    """The operation a concrete ``method path`` is (``GET /api/syncs/abc`` -> ``GET /api/syncs/{id}``), preferring the
    template with the most literal segments, or None."""
    candidates = [operation for operation in load() if operation.method == method and _fits(operation.path, path)]
    return max(candidates, key=lambda operation: operation.path.count("/") - operation.path.count("{"), default=None)


def _hint(name: str) -> str:
    """What the caller may have meant."""
    if name.startswith("/"):
        keys = [operation.key for operation in load() if operation.path == name]
        if keys:
            return f"Give the method too: {', '.join(keys)}."
    method, _, path = name.partition(" ")
    if path.startswith("/") and (best := fitting(method, path)) is not None:
        return f"Name the template and pass the ids as path_params: {best.key} (path_params {list(best.path_params)})."
    close = difflib.get_close_matches(name, list(_by_name()), n=3, cutoff=0.6)
    if close:
        return f"Did you mean {' or '.join(repr(key) for key in close)}? Use search to find others."
    return "Use search with a few words (e.g. 'list webhooks') to find the operation id."


def _fits(template: str, path: str) -> bool:
    """Whether a concrete path has the shape of a path template."""
    pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]*\})", template))
    return re.fullmatch(pattern, path) is not None
