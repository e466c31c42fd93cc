"""Merging a connection's configuration for a full-replacement PUT without losing or corrupting its secrets.

Polytomic returns secret fields masked and never returns them again, and a PUT replaces the
whole configuration: sending the mask back would store the mask as the password, leaving a
set secret out would clear it. So the merge takes every secret it sends from the call
itself, or from what this server sent for that connection earlier (``WrittenSecrets``), and
otherwise names the secret fields the caller must supply.

A remembered secret is used only while the connection is exactly as this server left it: its
``fingerprint`` (last update, who made it, name, masked configuration) read back right after the
write must match the one just read. Otherwise someone may have rotated the secret, and re-sending
ours would silently restore the old one. Every result that re-sends one says so (``resent``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from polytomic_mcp.client import PolytomicError
from polytomic_mcp.client.models import Connection

from ..core.approvals import digest
from ..core.secrets import Remembered, at_path, is_mask
from ..core.services import Services

_CHANGED_ELSEWHERE = (
    " (it changed after this server last set it: the secret may have been rotated elsewhere, so the one this server sent "
    "is not re-sent)"
)


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
    resent: list[str] = field(default_factory=list)
    """Secret fields filled from what this server sent earlier (the connection unchanged since)."""
    sent_at: str = ""

    def notes(self) -> list[str]:
        """What the result says of each secret sent again without the call giving it."""
        return [f"configuration.{path}: re-sends the value this server set at {self.sent_at} (unchanged since)" for path in self.resent]

    def refusal(self, label: str, *, changed_elsewhere: bool = False) -> str | None:
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
                f"its secrets, and this server does not know {_listed(self.secrets_missing)}"
                f"{_CHANGED_ELSEWHERE if changed_elsewhere else ''}. Call update_connection again "
                f"with configuration including {_listed(self.secrets_missing)} (the value, or "
                "{\"$env\": \"POLYTOMIC_SECRET_...\"} if the user set one on the server)."
            )
        return None


def merge_configuration(
    current: Mapping[str, Any], given: Mapping[str, Any], secret_paths: Iterable[str], remembered: Remembered | None,
) -> Merged:
    """``current`` with ``given`` replacing it key by key, and each secret taken from the call or from ``remembered``."""
    merged: dict[str, Any] = {**current, **given}
    masks_given: list[str] = []
    missing: list[str] = []
    resent: list[str] = []
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
        if not (is_mask(value) or (value in (None, "") and is_mask(at_path(current, path)))):
            continue
        if remembered is not None and (known := remembered.values.get(path)) is not None:
            _set(merged, path, known)
            resent.append(path)
        else:
            missing.append(path)
    return Merged(merged, masks_given, missing, resent, remembered.at if remembered is not None else "")


def fingerprint(connection: Connection) -> str:
    """What must not change for a remembered secret to still be the stored one: last update and its author, name, configuration."""
    author = connection.updated_by.id if connection.updated_by is not None else None
    return digest([connection.updated_at, author, connection.name, connection.configuration])


async def fingerprint_after_write(svc: Services, answer: Connection) -> str | None:
    """The fingerprint of the connection this server just wrote, read back (the write's answer has no timestamps).

    None when it cannot be read or no longer matches the write's answer (someone wrote in between): then nothing is
    remembered, and the next update asks for the secrets.
    """
    try:
        stored = await svc.client.connections.get(answer.id)
    except PolytomicError:
        return None
    if digest([stored.name, stored.configuration]) != digest([answer.name, answer.configuration]):
        return None
    return fingerprint(stored)


def _listed(paths: list[str]) -> str:
    """Field paths as a short quoted list."""
    return ", ".join(f"'{p}'" for p in paths)
