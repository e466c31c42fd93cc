"""What an update changes: the top-level keys (and configuration keys) whose values differ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NESTED = frozenset({"configuration"})
"""Keys whose own keys are compared one by one (a connection's configuration merges key by key)."""


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Keys of ``after`` whose values differ from ``before`` (``configuration.hosts`` for nested ones), sorted."""
    found: list[str] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if key in NESTED and isinstance(old, Mapping) and isinstance(new, Mapping):
            found += [f"{key}.{k}" for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
        elif old != new:
            found.append(key)
    return found
