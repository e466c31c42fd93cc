"""Secrets the server must never show: a process-wide registry, log scrubbing and ``{"$env": NAME}`` references.

Every API key, every secret configuration value an agent passes, and every value read
through a credential reference is registered; tool errors, resources and every log
record are scrubbed against the registry before they leave the process.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from polytomic_mcp.client import MASK, looks_secret

from .errors import fail

MIN_SECRET_LENGTH = 4
WHOLE_WORD_BELOW = 12
"""Shorter secrets (``secret``, ``hunter2``) are masked only as whole tokens, so ``client_secret`` stays readable."""
DEFAULT_SECRET_PREFIX = "POLYTOMIC_SECRET_"


class SecretRegistry:
    """Strings that must never appear in output; longest first so overlapping secrets scrub fully."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._ordered: list[str] = []
        self._short: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, *values: Any) -> None:
        """Remember secret strings (very short values are ignored: they would mask ordinary words)."""
        fresh = {v for v in values if isinstance(v, str) and len(v) >= MIN_SECRET_LENGTH and v != MASK}
        with self._lock:
            if fresh - self._values:
                self._values |= fresh
                self._ordered = sorted((v for v in self._values if len(v) >= WHOLE_WORD_BELOW), key=len, reverse=True)
                short = sorted((v for v in self._values if len(v) < WHOLE_WORD_BELOW), key=len, reverse=True)
                alternatives = "|".join(re.escape(v) for v in short)
                self._short = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if short else None

    def scrub(self, text: str) -> str:
        """``text`` with every registered secret replaced by the mask."""
        for secret in self._ordered:
            if secret in text:
                text = text.replace(secret, MASK)
        if self._short is not None:
            text = self._short.sub(MASK, text)
        return text

    def scrub_value(self, value: Any) -> Any:
        """Scrub every string inside a JSON-like value."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, Mapping):
            return {k: self.scrub_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub_value(v) for v in value]
        return value


SECRETS = SecretRegistry()
"""The process-wide registry (logs are process-wide too)."""


def secret_values(configuration: Any, secret_paths: Iterable[str] = (), _prefix: str = "") -> list[str]:
    """Values in a configuration that the schema marks sensitive or whose key looks like a credential."""
    paths = set(secret_paths)
    found: list[str] = []
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


def resolve_env_references(
    configuration: Any, *, prefix: str = DEFAULT_SECRET_PREFIX, environ: Mapping[str, str] | None = None, _path: str = ""
) -> Any:
    """Replace each ``{"$env": "NAME"}`` with the variable's value; only names starting with ``prefix``.

    The value is registered as a secret, so it never appears in results, errors or logs.
    """
    environ = os.environ if environ is None else environ
    if is_env_reference(configuration):
        name = configuration["$env"]
        where = _path or "configuration"
        if not isinstance(name, str) or not name.startswith(prefix) or name == prefix:
            raise fail(
                f"Credential reference at '{where}' refused: only environment variables whose names start "
                f"with {prefix} can be referenced (got {name!r}). Ask the user to set one on the server."
            )
        if name not in environ or environ[name] == "":
            raise fail(
                f"Credential reference at '{where}': environment variable {name} is not set on the server. "
                "Ask the user to set it and restart the server."
            )
        SECRETS.add(environ[name])
        return environ[name]
    if isinstance(configuration, Mapping):
        return {
            k: resolve_env_references(v, prefix=prefix, environ=environ, _path=f"{_path}.{k}" if _path else str(k))
            for k, v in configuration.items()
        }
    if isinstance(configuration, list):
        return [
            resolve_env_references(v, prefix=prefix, environ=environ, _path=f"{_path}[{i}]")
            for i, v in enumerate(configuration)
        ]
    return configuration


_installed = False
_install_lock = threading.Lock()


def install_log_scrubbing() -> None:
    """Scrub every log record at creation (message, arguments and traceback), for every handler."""
    global _installed
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken format string must not break logging
                return record
            record.msg, record.args = SECRETS.scrub(message), None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = SECRETS.scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
