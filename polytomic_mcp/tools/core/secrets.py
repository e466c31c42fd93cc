"""Secret values in tool arguments: which to register, ``{"$env": NAME}`` references, and secrets this server wrote.

A reference is accepted only for a field the connection type marks sensitive: such a field
comes back masked from the API in every process, while a value put into an ordinary field
(say a connection string in ``hosts``) would be shown in plain text by any process that did
not resolve it. ``WrittenSecrets`` keeps what this server sent per connection, so an update can
re-send a secret Polytomic returns only masked (see ``connections.secret_merge``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from polytomic_mcp.client import looks_secret
from polytomic_mcp.redaction import url_passwords

from .errors import fail

DEFAULT_SECRET_PREFIX = "POLYTOMIC_SECRET_"
_MASK = re.compile(r"^\*{3,}$")

_INLINE_CREDENTIAL = re.compile(
    r"(?P<key>\b\w*(?:pass(?:wd|word)?|secret|token|api_?key|credential)\w*\b)(?P<sep>\s*(?:=|:)\s*)"
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s,;)&]+)",
    re.IGNORECASE,
)


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


def inline_credentials(text: str) -> list[str]:
    """Values written as ``password='x'`` / ``api_key: y`` inside free text such as model SQL."""
    return [m["value"].strip("'\"") for m in _INLINE_CREDENTIAL.finditer(text) if m["value"].strip("'\"")]


def mask_inline_credentials(text: str) -> str:
    """``text`` with the value of every credential-looking ``key=value`` / ``key: value`` masked."""
    return _INLINE_CREDENTIAL.sub(lambda m: f"{m['key']}{m['sep']}******", text)


def is_env_reference(value: Any) -> bool:
    """``{"$env": "NAME"}`` and nothing else."""
    return isinstance(value, Mapping) and set(value) == {"$env"}


def env_reference_paths(configuration: Any, _path: str = "") -> list[str]:
    """Dotted paths (``a.b``, ``list[].c``) of every ``{"$env": ...}`` reference in a configuration."""
    if is_env_reference(configuration):
        return [_path]
    if isinstance(configuration, Mapping):
        return [p for k, v in configuration.items() for p in env_reference_paths(v, f"{_path}.{k}" if _path else str(k))]
    if isinstance(configuration, list):
        return [p for item in configuration for p in env_reference_paths(item, f"{_path}[]" if _path else "[]")]
    return []


def refuse_references_outside(configuration: Any, secret_paths: Iterable[str], type_id: str) -> None:
    """A ToolError when a reference sits in a field the type does not mark sensitive (names the fields that are)."""
    allowed = set(secret_paths)
    refused = [p for p in env_reference_paths(configuration) if p not in allowed]
    if refused:
        sensitive = ", ".join(repr(p) for p in sorted(allowed)) or "none"
        raise fail(
            f"Credential reference at {', '.join(repr(p) for p in refused)} refused: {{\"$env\": ...}} is accepted only "
            f"in fields that type '{type_id}' marks secret ({sensitive}), because other fields are shown back in plain "
            "text. Put the value in the configuration directly, or ask the user."
        )


def resolve_env_references(
    configuration: Any,
    *,
    registry: Callable[[str], None],
    prefix: str = DEFAULT_SECRET_PREFIX,
    environ: Mapping[str, str] | None = None,
    _path: str = "",
) -> Any:
    """Replace each ``{"$env": "NAME"}`` with the variable's value; only names starting with ``prefix``.

    Each value is handed to ``registry`` (``Services.env_secret``), so it never appears in that key's results,
    errors, logs or questions.
    """
    environ = os.environ if environ is None else environ
    if is_env_reference(configuration):
        name = configuration["$env"]
        where = _path or "configuration"
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
    if isinstance(configuration, Mapping):
        return {
            k: resolve_env_references(
                v, registry=registry, prefix=prefix, environ=environ, _path=f"{_path}.{k}" if _path else str(k)
            )
            for k, v in configuration.items()
        }
    if isinstance(configuration, list):
        return [
            resolve_env_references(v, registry=registry, prefix=prefix, environ=environ, _path=f"{_path}[{i}]")
            for i, v in enumerate(configuration)
        ]
    return configuration


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


@dataclass
class WrittenSecrets:
    """Secret values this server sent for each connection (by id and dotted path), so a later update can re-send them."""

    _values: dict[str, dict[str, str]] = field(default_factory=dict)

    def remember(self, connection_id: str, configuration: Mapping[str, Any], secret_paths: Iterable[str]) -> None:
        """Keep the secrets of a configuration just sent for ``connection_id``."""
        kept = self._values.setdefault(connection_id, {})
        for path in secret_paths:
            value = at_path(configuration, path) if "[]" not in path else None
            if isinstance(value, str) and value and not is_mask(value):
                kept[path] = value

    def get(self, connection_id: str, path: str) -> str | None:
        return self._values.get(connection_id, {}).get(path)

    def forget(self, connection_id: str) -> None:
        self._values.pop(connection_id, None)
