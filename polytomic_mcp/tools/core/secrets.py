"""Secret values in tool arguments: which to register, ``{"$env": NAME}`` references, and secrets this server wrote.

A reference is accepted only for a field the connection type marks sensitive: such a field
comes back masked from the API in every process, while a value put into an ordinary field
(say a connection string in ``hosts``) would be shown in plain text by any process that did
not resolve it. ``WrittenSecrets`` keeps what this server sent per connection, so an update can
re-send a secret Polytomic returns only masked, as long as the connection is as this server left it
(see ``connections.secret_merge``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from polytomic_mcp.client import looks_secret
from polytomic_mcp.secret_shapes import inline_credentials, url_passwords

from .errors import fail

DEFAULT_SECRET_PREFIX = "POLYTOMIC_SECRET_"
_MASK = re.compile(r"^\*{3,}$")


def secret_values(configuration: Any, secret_paths: Iterable[str] = (), _prefix: str = "") -> list[str]:
    """Values in a configuration that the schema marks sensitive, whose key looks like a credential, or in URLs' passwords."""
    paths = set(secret_paths)
    found: list[str] = []
    if isinstance(configuration, str):
        return url_passwords(configuration) + inline_credentials(configuration)
    if isinstance(configuration, Mapping):
        for key, value in configuration.items():
            path = f"{_prefix}{key}"
            if isinstance(value, str) and (path in paths or looks_secret(str(key))):
                found.append(value)
            else:
                found += secret_values(value, paths, f"{path}.")
    elif isinstance(configuration, list):
        list_prefix = _prefix[:-1] + "[]." if _prefix else ""
        for item in configuration:
            found += secret_values(item, paths, list_prefix)
    return found


def is_env_reference(value: Any) -> bool:
    """``{"$env": "NAME"}`` and nothing else."""
    return isinstance(value, Mapping) and set(value) == {"$env"}


@dataclass(frozen=True)
class Reference:
    """One ``{"$env": NAME}`` inside a JSON value, and where it sits."""

    path: str
    """Dotted member names, list items as ``[]``: ``password``, ``headers[].value``, ``queries[]``."""
    key: str
    """The member that holds it (for a list item, the list's member): what a name-based secret rule looks at."""
    name: Any


def map_references(value: Any, visit: Callable[[Reference], Any], _path: str = "", _key: str = "") -> Any:
    """``value`` with each ``{"$env": ...}`` replaced by ``visit(reference)``: the one walk behind every check and resolution."""
    if is_env_reference(value):
        return visit(Reference(_path, _key, value["$env"]))
    if isinstance(value, Mapping):
        return {k: map_references(v, visit, f"{_path}.{k}" if _path else str(k), str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [map_references(v, visit, f"{_path}[]", _key) for v in value]
    return value


def env_references(value: Any) -> list[Reference]:
    """Every ``{"$env": ...}`` reference in ``value``, wherever it sits (members and list items alike)."""
    found: list[Reference] = []
    map_references(value, found.append)
    return found


def env_reference_paths(value: Any) -> list[str]:
    """Dotted paths (``a.b``, ``list[].c``) of every ``{"$env": ...}`` reference in a configuration."""
    return [reference.path for reference in env_references(value)]


def secret_fields_only(secret_paths: Iterable[str], type_id: str) -> Callable[[list[Reference]], None]:
    """The placement check of a connection configuration: references only in fields the type marks sensitive."""
    allowed = set(secret_paths)

    def check(references: list[Reference]) -> None:
        refused = [r.path for r in references if r.path not in allowed]
        if refused:
            sensitive = ", ".join(repr(p) for p in sorted(allowed)) or "none"
            raise fail(
                f"Credential reference at {', '.join(repr(p) for p in refused)} refused: {{\"$env\": ...}} is accepted only "
                f"in fields that type '{type_id}' marks secret ({sensitive}), because other fields are shown back in plain "
                "text. Put the value in the configuration directly, or ask the user."
            )

    return check


def resolve_env_references(
    value: Any,
    *,
    placed: Callable[[list[Reference]], None],
    registry: Callable[[str], None],
    prefix: str = DEFAULT_SECRET_PREFIX,
    environ: Mapping[str, str] | None = None,
) -> Any:
    """Replace each ``{"$env": "NAME"}`` with the variable's value, after ``placed`` checked where every one sits.

    ``placed`` raises for a reference outside a secret field; it sees exactly the references resolved here (one walk,
    ``map_references``). Only names starting with ``prefix`` are read. Each value is handed to ``registry``
    (``Services.env_secret``), so it never appears in that key's results, errors, logs or questions.
    """
    placed(env_references(value))
    environ = os.environ if environ is None else environ

    def read(reference: Reference) -> str:
        name, where = reference.name, reference.path or "configuration"
        if not isinstance(name, str) or not name.startswith(prefix) or name == prefix:
            raise fail(
                f"Credential reference at '{where}' refused: only environment variables whose names start "
                f"with {prefix} can be referenced (got {str(name)[:80]!r}). Ask the user to set one on the server."
            )
        if name not in environ or environ[name] == "":
            raise fail(
                f"Credential reference at '{where}': environment variable {name} is not set on the server. "
                "Ask the user to set it and restart the server."
            )
        registry(environ[name])
        return environ[name]

    return map_references(value, read)


def is_mask(value: Any) -> bool:
    """A value the API puts in place of a secret (``******``, ``********``, ...)."""
    return isinstance(value, str) and bool(_MASK.match(value))


def at_path(config: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``ssh.password``), or None."""
    value: Any = config
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class Remembered:
    """The secrets this server sent for one connection, and the connection's fingerprint right after that write."""

    values: dict[str, str]
    """Secret value by dotted path."""
    fingerprint: str
    at: str
    """When they were sent (UTC, ``2025-10-01T09:30:00Z``), as results name it."""


@dataclass
class WrittenSecrets:
    """Secrets this server sent for each connection, re-sendable only while nothing else can have changed them.

    Each write is remembered with the fingerprint of the connection as read back right after it (see
    ``connections.secret_merge``); a later update uses the secrets only if the connection it just read has the
    same fingerprint. A password rotated elsewhere (another process, key or person) changes the connection, so the
    stale one is never restored: the update asks for the secret as a fresh process does.
    """

    _kept: dict[str, Remembered] = field(default_factory=dict)

    def remember(
        self, connection_id: str, configuration: Mapping[str, Any], secret_paths: Iterable[str], fingerprint: str | None,
    ) -> None:
        """Keep the secrets of a configuration just sent, replacing earlier ones; without a fingerprint, forget them."""
        if fingerprint is None:
            self.forget(connection_id)
            return
        values = {path: value for path in secret_paths if "[]" not in path
                  and isinstance(value := at_path(configuration, path), str) and value and not is_mask(value)}
        self._kept[connection_id] = Remembered(values, fingerprint, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def current(self, connection_id: str, fingerprint: str) -> Remembered | None:
        """What this server sent for the connection, if it still has the fingerprint it had right after (else None)."""
        kept = self._kept.get(connection_id)
        return kept if kept is not None and kept.fingerprint == fingerprint else None

    def outdated(self, connection_id: str, fingerprint: str) -> bool:
        """Whether this server sent secrets for the connection and it changed since (they may no longer be its secrets)."""
        return connection_id in self._kept and self.current(connection_id, fingerprint) is None

    def forget(self, connection_id: str) -> None:
        self._kept.pop(connection_id, None)
