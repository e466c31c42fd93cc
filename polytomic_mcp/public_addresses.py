"""Fences for outbound fetches to a URL someone else chose (an OAuth client ID document, a log file the API redirects to).

The host must resolve to public addresses only, checked before connecting, and the address actually connected to is
checked again (DNS may answer differently the second time). Not public: loopback, private, link-local, shared,
multicast, reserved and unspecified addresses, IPv4 and IPv6, an IPv4-mapped IPv6 address judged as its IPv4 one.
Shared by the client and the server, so it imports neither.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import anyio

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Every address a host name resolves to (tests pass a fake; the default asks DNS)."""


class NotPublicError(ValueError):
    """A host or connected peer that is not on the public internet."""


def is_public_address(address: str) -> bool:
    """Whether an IP address is globally routable (not loopback, private, link-local, reserved or multicast)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(str(embedded))
        if ip.is_site_local or ip in _NAT64_LOCAL:
            return False
    return ip.is_global and not ip.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4, Teredo client), judged in its place."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    return ip.teredo[1] if ip.teredo is not None else None


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


async def check_public_host(host: str, port: int, resolver: Resolver = resolve_host) -> None:
    """Raise ``NotPublicError`` unless ``host`` (a name, or an IP address checked as is) is public at every address."""
    try:
        addresses = [host.strip("[]")] if _is_ip(host) else await resolver(host, port)
    except OSError:
        addresses = []
    if not addresses or not all(is_public_address(a) for a in addresses):
        raise NotPublicError("the host does not resolve to public addresses only")


def check_peer(extensions: Mapping[str, Any]) -> None:
    """Raise ``NotPublicError`` when a response's connection reached a non-public address (``extensions``: httpx2's)."""
    stream = extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer is not None and not is_public_address(str(peer[0])):
        raise NotPublicError("connected to a non-public address")
