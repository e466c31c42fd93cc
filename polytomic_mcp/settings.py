"""Server settings from flags and environment variables, parsed strictly (fail closed), all in this module.

``OPTIONS`` declares every setting once: its field, environment variable, flag, parser and
help. ``load`` reads the environment, lets flags override it and applies the rules that
join settings. A value that cannot be parsed refuses to start the server with a message
naming the setting: a typo in POLYTOMIC_READ_ONLY must never silently mean "writes
allowed", and neither may an empty value (``POLYTOMIC_READ_ONLY=``) quietly mean the default.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

from polytomic_mcp.client import DEFAULT_API_VERSION, DEFAULT_BASE_URL, SUPPORTED_API_VERSIONS
from polytomic_mcp.oauth_secret import SecretError, decode_secret
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
    toolsets: frozenset[str] = frozenset({"pipelines", "api"})
    allow_credential_minting: bool = False
    transport: str = "stdio"
    host: str = "127.0.0.1"
    port: int = 8000
    stateless: bool = False
    request_timeout: float = 30.0
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
    auth: str = "none"
    public_url: str | None = None
    oauth_secret: str | None = field(default=None, repr=False)
    consent: str = "relay"
    state_url: str | None = field(default=None, repr=False)
    """Redis or Valkey holding what replicas must agree on (None: this process); may carry a password."""

    @property
    def approval_base(self) -> str | None:
        """The origin approval links point at: the public URL, else the bound address (HTTP only)."""
        if self.transport != "http":
            return None
        if self.public_url is not None:
            return self.public_url
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

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


def parse_state_url(name: str, raw: str) -> str:
    """A ``redis://`` or ``rediss://`` URL with a host (a password may be in it, so errors never repeat the value)."""
    parsed = urlparse(raw.strip())
    example = "such as redis://redis:6379/0 or rediss://:PASSWORD@cache.example.com:6380/0"
    if parsed.scheme not in {"redis", "rediss"}:
        raise SettingsError(f"{name} must be a redis:// or rediss:// URL {example}; got scheme {parsed.scheme or 'none'!r}")
    try:
        port_ok = parsed.port != 0
    except ValueError:
        port_ok = False
    if not port_ok:
        raise SettingsError(f"{name} has an invalid port; give a URL {example}")
    if not parsed.hostname:
        raise SettingsError(f"{name} names no host; give a URL {example}")
    if parsed.path not in ("", "/") and not parsed.path[1:].isdigit():
        raise SettingsError(f"{name}: the path after the host is the database number (/0); give a URL {example}")
    return raw.strip()


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


TOOLSETS = ("pipelines", "api")
"""Groups of tools: the typed pipeline tools, and the generic path to every API operation (search_api, call_api)."""


def parse_toolsets(name: str, raw: str) -> frozenset[str]:
    """A comma-separated list of known toolset names."""
    names = frozenset(n.strip() for n in raw.split(",") if n.strip())
    unknown = sorted(names - set(TOOLSETS))
    if unknown or not names:
        raise SettingsError(f"{name} must list toolsets from {', '.join(TOOLSETS)}, got {raw!r}")
    return names


def parse_retries(name: str, raw: str) -> int:
    """A whole number of retries, 0 to 10."""
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number 0-10, got {raw!r}") from None
    if not 0 <= value <= 10:
        raise SettingsError(f"{name} must be a whole number 0-10, got {raw!r}")
    return value


def parse_choice(choices: tuple[str, ...]) -> Callable[[str, str], str]:
    """A parser accepting exactly one of ``choices``."""

    def parse(name: str, raw: str) -> str:
        if raw not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
        return raw

    return parse


def parse_text(name: str, raw: str) -> str:
    """Any value, as given."""
    return raw


@dataclass(frozen=True)
class Option:
    """One setting: where it comes from and how it is read. ``switch`` flags take no value and mean true."""

    field: str
    env: str | None
    flag: str | None
    parse: Callable[[str, str], object]
    help: str
    switch: bool = False
    empty_is_unset: bool = False
    """Only for settings whose safe default is "none" (the key, the organization): empty means unset."""


OPTIONS: tuple[Option, ...] = (
    Option("api_key", "POLYTOMIC_API_KEY", None, parse_text, "organization API key", empty_is_unset=True),
    Option("organization_id", "POLYTOMIC_ORGANIZATION_ID", None, parse_text,
           "with a partner key: the organization to act in", empty_is_unset=True),
    Option("base_url", "POLYTOMIC_BASE_URL", "--base-url", parse_url, "Polytomic API URL (default https://app.polytomic.com)"),
    Option("api_version", "POLYTOMIC_API_VERSION", "--api-version", parse_version,
           "pin X-Polytomic-Version (2025-09-18 or 2024-02-08)"),
    Option("sandbox", "POLYTOMIC_SANDBOX", "--sandbox", parse_bool, "use an in-process sandbox instead of the real API", switch=True),
    Option("read_only", "POLYTOMIC_READ_ONLY", "--read-only", parse_bool, "expose only tools that do not write", switch=True),
    Option("tools", "POLYTOMIC_TOOLS", "--tools", parse_text, "comma-separated tool names to expose (default: all)"),
    Option("toolsets", "POLYTOMIC_TOOLSETS", "--toolsets", parse_toolsets,
           "comma-separated tool groups: pipelines (typed tools), api (search_api, call_api); default both"),
    Option("allow_credential_minting", "POLYTOMIC_ALLOW_CREDENTIAL_MINTING", None, parse_bool,
           "let call_api run operations that create API keys or temporary credentials (default false)"),
    Option("secret_prefix", "POLYTOMIC_SECRET_PREFIX", None, parse_secret_prefix, "prefix of variables {\"$env\"} may read"),
    Option("request_timeout", "POLYTOMIC_REQUEST_TIMEOUT", None, parse_positive_number, "seconds one request to Polytomic may take"),
    Option("max_retries", "POLYTOMIC_MAX_RETRIES", None, parse_retries, "retries after a failed request (0-10)"),
    Option("consent", "POLYTOMIC_CONSENT", "--consent", parse_choice(("relay", "strict")),
           "when the client cannot ask: relay (default; a question and a token for the assistant) or strict (refuse)"),
    Option("tool_timeout", "POLYTOMIC_TOOL_TIMEOUT", "--tool-timeout", parse_positive_number,
           "seconds a tool call may take in all (default 45)"),
    Option("transport", None, "--transport", parse_choice(("stdio", "http")), "stdio (default) or http"),
    Option("host", None, "--host", parse_text, "HTTP bind address (default 127.0.0.1)"),
    Option("port", None, "--port", parse_port, "HTTP port (default 8000)"),
    Option("stateless", None, "--stateless", parse_bool, "HTTP: keep no per-session state", switch=True),
    Option("key_from_request", "POLYTOMIC_KEY_FROM_REQUEST", "--key-from-request", parse_bool,
           "HTTP: use each request's Bearer key (multi-tenant)", switch=True),
    Option("auth", "POLYTOMIC_AUTH", "--auth", parse_choice(("none", "oauth")),
           "HTTP: none (default) or oauth (remote connector: MCP authorization, per-request tenants)"),
    Option("public_url", "POLYTOMIC_PUBLIC_URL", "--public-url", parse_url,
           "HTTP with --auth oauth: the https URL clients reach (issuer and resource)"),
    Option("oauth_secret", "POLYTOMIC_OAUTH_SECRET", None, parse_text,
           "with --auth oauth: 32 random bytes (hex or base64) that seal tokens; the same on every replica"),
    Option("state_url", "POLYTOMIC_STATE_URL", None, parse_state_url,
           "redis:// or rediss:// URL of the Redis or Valkey that replicas share state through (default: in-process)"),
    Option("dns_rebinding_protection", "POLYTOMIC_DNS_REBINDING_PROTECTION", None, parse_bool,
           "false turns the Host/Origin checks off"),
    Option("allowed_hosts", "POLYTOMIC_ALLOWED_HOSTS", "--allowed-hosts", parse_allowed_hosts,
           "HTTP: extra Host values to accept (comma-separated, e.g. mcp.example.com)"),
    Option("allowed_origins", "POLYTOMIC_ALLOWED_ORIGINS", "--allowed-origins", parse_allowed_origins,
           "HTTP: extra Origin values to accept (comma-separated, e.g. https://app.example.com)"),
    Option("session_idle_timeout", "POLYTOMIC_SESSION_IDLE_TIMEOUT", "--session-idle-timeout", parse_positive_number,
           "HTTP: seconds without a request after which a session ends (default 600)"),
    Option("max_sessions", "POLYTOMIC_MAX_SESSIONS", "--max-sessions", parse_positive_int,
           "HTTP: open sessions at most; a new one evicts the oldest idle one (default 1000)"),
    Option("http_header_timeout", "POLYTOMIC_HTTP_HEADER_TIMEOUT", "--http-header-timeout", parse_positive_number,
           "HTTP: seconds a client has to send a request's headers (default 10)"),
    Option("http_body_timeout", "POLYTOMIC_HTTP_BODY_TIMEOUT", "--http-body-timeout", parse_positive_number,
           "HTTP: seconds a client has to send a POST body (default 10)"),
)


def load(flags: Mapping[str, object], env: Mapping[str, str] | None, known_tools: frozenset[str]) -> Settings:
    """Settings from the environment, overridden by flags (keyed by ``Option.field``; None or False: not given).

    Raises ``SettingsError`` naming the setting when a value is invalid, empty, or does not fit
    with the others.
    """
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    for option in OPTIONS:
        if option.env is not None:
            raw = optional_env_value(env, option.env) if option.empty_is_unset else env_value(env, option.env)
            if raw is not None:
                values[option.field] = option.parse(option.env, raw)
        given = flags.get(option.field)
        if option.flag is not None and given is not None and given is not False:
            values[option.field] = True if option.switch else option.parse(option.flag, _flag_value(option.flag, given))
    if "tools" in values:
        source = "--tools" if flags.get("tools") is not None else "POLYTOMIC_TOOLS"
        values["tools"] = parse_tools(source, str(values["tools"]), known_tools)
    if values.get("auth") == "oauth":
        values["key_from_request"] = True
    settings = Settings(**values)  # type: ignore[arg-type]
    _check_together(settings)
    return settings


def _flag_value(flag: str, given: object) -> str:
    """A flag's text; an empty one is refused like an empty environment variable."""
    text = str(given)
    if not text.strip():
        raise SettingsError(f"{flag} is empty; leave it out to use the default, or give it a value")
    return text


def _check_together(settings: Settings) -> None:
    """Rules that join several settings."""
    if settings.auth == "oauth":
        _check_oauth(settings)
    if settings.key_from_request and settings.transport != "http":
        raise SettingsError("--key-from-request needs --transport http (keys come from each HTTP request)")
    if settings.key_from_request and settings.api_key:
        raise SettingsError("--key-from-request takes keys from requests only; unset POLYTOMIC_API_KEY")
    if not settings.sandbox and not settings.api_key and not settings.key_from_request:
        raise SettingsError("no API key: set POLYTOMIC_API_KEY, or pass --sandbox to try the server on a simulated workspace")


def _check_oauth(settings: Settings) -> None:
    """``--auth oauth``: HTTP only, keys come from tokens, a public URL to name as issuer, a secret to seal with."""
    if settings.transport != "http":
        raise SettingsError("--auth oauth needs --transport http (clients authorize over HTTP)")
    if settings.api_key:
        raise SettingsError("--auth oauth takes keys from each user's authorization; unset POLYTOMIC_API_KEY")
    if settings.public_url is None:
        raise SettingsError("--auth oauth needs POLYTOMIC_PUBLIC_URL, the https URL clients reach (e.g. https://mcp.example.com)")
    if not settings.oauth_secret:
        raise SettingsError("--auth oauth needs POLYTOMIC_OAUTH_SECRET: 32 random bytes as hex "
                            "(python -c 'import secrets; print(secrets.token_hex(32))')")
    try:
        decode_secret(settings.oauth_secret)
    except SecretError as error:
        raise SettingsError(str(error)) from None
