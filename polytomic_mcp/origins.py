"""Parse HTTP Origin and Host values into parts and match them exactly against allow-list patterns.

A prefix match lets ``http://127.0.0.1:1@evil.com`` pass for ``http://127.0.0.1:*``; here a value is
split into scheme, host and port with urllib, anything else in it (credentials, a path, a query)
rejects it, and each part must equal the pattern's. A pattern's port may be ``*`` (any port).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
ANY_PORT = -1
"""The port of a pattern written ``host:*``."""
NOT_IN_AN_AUTHORITY = frozenset("@?#\\ \t\r\n")
"""Characters that never belong in ``scheme://host:port``: userinfo, query, fragment, whitespace."""
HOST_NAME = re.compile(r"[a-z0-9_.-]+")
"""A DNS name or IPv4 address, lower-cased (no wildcards: ``*.example.com`` is refused, not silently inert)."""


@dataclass(frozen=True)
class Endpoint:
    """A scheme ('' for a Host value), a lower-case host without IPv6 brackets, and a port (None: none given)."""

    scheme: str
    host: str
    port: int | None


def _parse(text: str, *, with_scheme: bool, pattern: bool) -> Endpoint | None:
    """``scheme://host[:port]`` (with_scheme) or ``host[:port]``; a pattern may end in ``:*``. None if malformed."""
    if not text or NOT_IN_AN_AUTHORITY.intersection(text):
        return None
    any_port = pattern and text.endswith(":*")
    authority = text[:-2] if any_port else text
    if authority.endswith(":"):
        return None
    try:
        parts = urlsplit(authority if with_scheme else f"//{authority}")
        port = parts.port
    except ValueError:
        return None
    if with_scheme and parts.scheme not in DEFAULT_PORTS:
        return None
    if parts.path or not parts.hostname or not _valid_host(parts.hostname) or (any_port and port is not None):
        return None
    if any_port:
        port = ANY_PORT
    elif port is None and with_scheme:
        port = DEFAULT_PORTS[parts.scheme]
    return Endpoint(parts.scheme if with_scheme else "", parts.hostname, port)


def _valid_host(host: str) -> bool:
    """A host name, an IPv4 address, or (as urllib returns it, without brackets) an IPv6 address."""
    if ":" not in host:
        return HOST_NAME.fullmatch(host) is not None
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def parse_origin(value: str) -> Endpoint | None:
    """An Origin header, its port defaulted from the scheme; None if malformed."""
    return _parse(value, with_scheme=True, pattern=False)


def parse_origin_pattern(value: str) -> Endpoint | None:
    """An allow-list origin: ``scheme://host``, ``scheme://host:port`` or ``scheme://host:*``; None if malformed."""
    return _parse(value, with_scheme=True, pattern=True)


def parse_host(value: str) -> Endpoint | None:
    """A Host header (``host`` or ``host:port``); None if malformed."""
    return _parse(value, with_scheme=False, pattern=False)


def parse_host_pattern(value: str) -> Endpoint | None:
    """An allow-list host: ``host``, ``host:port`` or ``host:*``; None if malformed."""
    return _parse(value, with_scheme=False, pattern=True)


def matches(value: Endpoint, pattern: Endpoint) -> bool:
    """Same scheme and host, and the same port unless the pattern's is ``*``."""
    if (value.scheme, value.host) != (pattern.scheme, pattern.host):
        return False
    return pattern.port == ANY_PORT or value.port == pattern.port


def allowed(value: Endpoint | None, patterns: tuple[Endpoint, ...]) -> bool:
    """Whether a parsed header (None: malformed) matches any pattern."""
    return value is not None and any(matches(value, pattern) for pattern in patterns)
