"""Merging a connection's configuration for a full-replacement PUT without losing or corrupting its secrets.

Polytomic returns secret fields masked and never returns them again, and a PUT replaces the
whole configuration: sending the mask back would store the mask as the password, leaving a
set secret out would clear it. So the merge takes every secret it sends from the call
itself, or from what this server sent for that connection earlier (``WrittenSecrets``), and
otherwise names the secret fields the caller must supply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.secrets import WrittenSecrets, at_path, is_mask


def _set(config: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path, making the enclosing objects if needed."""
    *parents, leaf = path.split(".")
    node = config
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[leaf] = value


def _masked_in_list(config: Mapping[str, Any], path: str) -> bool:
    """Whether any item of a list path (``headers[].value``) holds a mask."""
    head, _, rest = path.partition("[].")
    items = at_path(config, head)
    return isinstance(items, list) and any(isinstance(i, Mapping) and is_mask(at_path(i, rest)) for i in items)


@dataclass(frozen=True)
class Merged:
    """The configuration to send, and what stops it from being sent."""

    configuration: dict[str, Any]
    masks_given: list[str]
    """Secret fields the call gave as the mask (copied from a result): sending them would store the mask."""
    secrets_missing: list[str]
    """Set secret fields neither given now nor known to this server."""

    def refusal(self, label: str) -> str | None:
        """Why this configuration must not be sent (a mask given back, a secret unknown), or None."""
        if self.masks_given:
            return (
                f"Nothing was changed: {_listed(self.masks_given)} of {label} was given as the mask '******' copied from a "
                "result; Polytomic would store the mask itself. Give the real value or {\"$env\": \"POLYTOMIC_SECRET_...\"}, "
                "or leave the field out to keep it."
            )
        if self.secrets_missing:
            return (
                f"Nothing was changed: Polytomic replaces the whole configuration of {label} on every change and never returns "
                f"its secrets, and this server does not know {_listed(self.secrets_missing)}. Call update_connection again "
                f"with configuration including {_listed(self.secrets_missing)} (the value, or "
                "{\"$env\": \"POLYTOMIC_SECRET_...\"} if the user set one on the server)."
            )
        return None


def merge_configuration(
    current: Mapping[str, Any], given: Mapping[str, Any], secret_paths: Iterable[str],
    connection_id: str, written: WrittenSecrets,
) -> Merged:
    """``current`` with ``given`` replacing it key by key, and each secret taken from the call or from ``written``."""
    merged: dict[str, Any] = {**current, **given}
    masks_given: list[str] = []
    missing: list[str] = []
    for path in sorted(set(secret_paths)):
        if "[]" in path:
            if _masked_in_list(given, path):
                masks_given.append(path)
            elif path.partition("[].")[0].split(".")[0] not in given and _masked_in_list(current, path):
                missing.append(path)
            continue
        if is_mask(at_path(given, path)):
            masks_given.append(path)
            continue
        value = at_path(merged, path)
        kept_mask = is_mask(value)
        dropped = value in (None, "") and is_mask(at_path(current, path))
        if not (kept_mask or dropped):
            continue
        if (known := written.get(connection_id, path)) is not None:
            _set(merged, path, known)
        else:
            missing.append(path)
    return Merged(merged, masks_given, missing)


def _listed(paths: list[str]) -> str:
    """Field paths as a short quoted list."""
    return ", ".join(f"'{p}'" for p in paths)
