"""Server settings from flags and environment variables, parsed strictly (fail closed).

A value that cannot be parsed refuses to start the server with a message naming the
setting: a typo in POLYTOMIC_READ_ONLY must never silently mean "writes allowed", and
neither may an empty value (``POLYTOMIC_READ_ONLY=``) quietly mean the default.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

from polytomic_mcp.client import DEFAULT_API_VERSION, DEFAULT_BASE_URL, SUPPORTED_API_VERSIONS
from polytomic_mcp.origins import parse_host_pattern, parse_origin_pattern

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names it and says what to set."""


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to start."""

    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    organization_id: str | None = None
    sandbox: bool = False
    read_only: bool = False
    tools: frozenset[str] | None = None
    transport: str = "stdio"
    host: str = "127.0.0.1"
    port: int = 8000
    stateless: bool = False
    timeout: float = 30.0
    max_retries: int = 2
    secret_prefix: str = "POLYTOMIC_SECRET_"
    key_from_request: bool = False
    dns_rebinding_protection: bool = True
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    session_idle_timeout: float = 600.0
    max_sessions: int = 1000
    http_header_timeout: float = 10.0
    http_body_timeout: float = 10.0
    tool_timeout: float = 45.0

    def __repr__(self) -> str:
        key = "'******'" if self.api_key else "None"
        return (
            f"Settings(api_key={key}, base_url={self.base_url!r}, api_version={self.api_version!r}, "
            f"sandbox={self.sandbox}, read_only={self.read_only}, transport={self.transport!r})"
        )


def parse_bool(name: str, raw: str) -> bool:
    """true/false/1/0/yes/no in any case; anything else is an error naming ``name``."""
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be one of true/false/1/0/yes/no, got {raw!r}")


def parse_version(name: str, raw: str) -> str:
    """A supported Polytomic API version."""
    if raw not in SUPPORTED_API_VERSIONS:
        raise SettingsError(f"{name} must be one of {', '.join(SUPPORTED_API_VERSIONS)}, got {raw!r}")
    return raw


def parse_url(name: str, raw: str) -> str:
    """An absolute http(s) URL without credentials."""
    parsed = urlparse(raw)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise SettingsError(f"{name} must be an http(s) URL such as https://app.polytomic.com, got {raw!r}")
    if parsed.username or parsed.password:
        raise SettingsError(f"{name} must not contain credentials")
    return raw.rstrip("/")


def parse_port(name: str, raw: str | int) -> int:
    """A TCP port number 1-65535."""
    try:
        port = int(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a port number 1-65535, got {raw!r}") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"{name} must be a port number 1-65535, got {port}")
    return port


def parse_tools(name: str, raw: str, known: frozenset[str]) -> frozenset[str]:
    """A comma-separated list of known tool names."""
    names = frozenset(n.strip() for n in raw.split(",") if n.strip())
    unknown = sorted(names - known)
    if unknown:
        raise SettingsError(f"{name} names unknown tools: {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if not names:
        raise SettingsError(f"{name} is empty; list tool names separated by commas")
    return names


def parse_positive_number(name: str, raw: str | float) -> float:
    """A finite number greater than zero (seconds, for the HTTP timeouts)."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a number of seconds greater than 0, got {raw!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise SettingsError(f"{name} must be a number of seconds greater than 0, got {raw!r}")
    return value


def parse_positive_int(name: str, raw: str | int) -> int:
    """A whole number greater than zero."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{name} must be a whole number greater than 0, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be a whole number greater than 0, got {raw!r}")
    return value


def parse_allowed_hosts(name: str, raw: str) -> tuple[str, ...]:
    """A comma-separated list of Host values (``host``, ``host:port`` or ``host:*``)."""
    hosts = parse_list(name, raw)
    for host in hosts:
        if parse_host_pattern(host) is None:
            raise SettingsError(f"{name}: {host!r} is not a host name, host:port or host:* (e.g. mcp.example.com)")
    return hosts


def parse_allowed_origins(name: str, raw: str) -> tuple[str, ...]:
    """A comma-separated list of origins (``scheme://host``, ``scheme://host:port`` or ``scheme://host:*``)."""
    origins = parse_list(name, raw)
    for origin in origins:
        if parse_origin_pattern(origin) is None:
            raise SettingsError(f"{name}: {origin!r} is not an origin such as https://app.example.com (scheme, host and optional port, nothing else)")
    return origins


def env_value(env: Mapping[str, str], name: str) -> str | None:
    """An environment variable; None when unset. Set but empty (or blank) is an error, never the default."""
    value = env.get(name)
    if value is None:
        return None
    if not value.strip():
        raise SettingsError(f"{name} is set but empty; unset it to use the default, or give it a value")
    return value


def optional_env_value(env: Mapping[str, str], name: str) -> str | None:
    """An environment variable whose empty value means "none", which is also its safe default (key, organization)."""
    value = env.get(name)
    return value if value not in (None, "") else None


NUMERIC_SETTINGS: tuple[tuple[str, str, Callable[[str, str], float | int]], ...] = (
    ("session_idle_timeout", "POLYTOMIC_SESSION_IDLE_TIMEOUT", parse_positive_number),
    ("max_sessions", "POLYTOMIC_MAX_SESSIONS", parse_positive_int),
    ("http_header_timeout", "POLYTOMIC_HTTP_HEADER_TIMEOUT", parse_positive_number),
    ("http_body_timeout", "POLYTOMIC_HTTP_BODY_TIMEOUT", parse_positive_number),
    ("tool_timeout", "POLYTOMIC_TOOL_TIMEOUT", parse_positive_number),
)
"""(Settings field, environment variable, parser) of the numeric settings."""


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, object]:
    """Settings values present in the environment (flags override these)."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if (key := optional_env_value(env, "POLYTOMIC_API_KEY")) is not None:
        values["api_key"] = key
    if (url := env_value(env, "POLYTOMIC_BASE_URL")) is not None:
        values["base_url"] = parse_url("POLYTOMIC_BASE_URL", url)
    if (version := env_value(env, "POLYTOMIC_API_VERSION")) is not None:
        values["api_version"] = parse_version("POLYTOMIC_API_VERSION", version)
    if (org := optional_env_value(env, "POLYTOMIC_ORGANIZATION_ID")) is not None:
        values["organization_id"] = org
    if (read_only := env_value(env, "POLYTOMIC_READ_ONLY")) is not None:
        values["read_only"] = parse_bool("POLYTOMIC_READ_ONLY", read_only)
    if (sandbox := env_value(env, "POLYTOMIC_SANDBOX")) is not None:
        values["sandbox"] = parse_bool("POLYTOMIC_SANDBOX", sandbox)
    if (prefix := env_value(env, "POLYTOMIC_SECRET_PREFIX")) is not None:
        values["secret_prefix"] = parse_secret_prefix("POLYTOMIC_SECRET_PREFIX", prefix)
    if (tenant := env_value(env, "POLYTOMIC_KEY_FROM_REQUEST")) is not None:
        values["key_from_request"] = parse_bool("POLYTOMIC_KEY_FROM_REQUEST", tenant)
    if (rebinding := env_value(env, "POLYTOMIC_DNS_REBINDING_PROTECTION")) is not None:
        values["dns_rebinding_protection"] = parse_bool("POLYTOMIC_DNS_REBINDING_PROTECTION", rebinding)
    if (hosts := env_value(env, "POLYTOMIC_ALLOWED_HOSTS")) is not None:
        values["allowed_hosts"] = parse_allowed_hosts("POLYTOMIC_ALLOWED_HOSTS", hosts)
    if (origins := env_value(env, "POLYTOMIC_ALLOWED_ORIGINS")) is not None:
        values["allowed_origins"] = parse_allowed_origins("POLYTOMIC_ALLOWED_ORIGINS", origins)
    for setting, variable, parse in NUMERIC_SETTINGS:
        if (raw := env_value(env, variable)) is not None:
            values[setting] = parse(variable, raw)
    return values


def parse_secret_prefix(name: str, raw: str) -> str:
    """An environment-variable prefix for credential references; must be specific enough to be safe."""
    if len(raw) < 4 or not raw.replace("_", "").isalnum() or not raw.endswith("_"):
        raise SettingsError(f"{name} must be letters, digits and underscores ending in '_' (e.g. POLYTOMIC_SECRET_), got {raw!r}")
    if raw in {"POLYTOMIC_", "POLYTOMIC_API_"}:
        raise SettingsError(f"{name} {raw!r} would expose the server's own settings; use e.g. POLYTOMIC_SECRET_")
    return raw


def parse_list(name: str, raw: str) -> tuple[str, ...]:
    """A comma-separated list of non-empty items."""
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    if not items:
        raise SettingsError(f"{name} is empty; list values separated by commas")
    return items
