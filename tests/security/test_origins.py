"""Origin and Host values are split into scheme, host and port and compared part by part."""

from __future__ import annotations

import pytest

from polytomic_mcp.origins import allowed, parse_host, parse_host_pattern, parse_origin, parse_origin_pattern

LOOPBACK = tuple(p for p in map(parse_origin_pattern, ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")) if p)
APP = tuple(p for p in map(parse_origin_pattern, ("https://app.example.com",)) if p)


@pytest.mark.parametrize("origin", [
    "http://127.0.0.1:1@evil.com", "http://localhost:80@evil.com", "http://127.0.0.1.evil.com", "https://127.0.0.1:8000",
    "http://127.0.0.1:8000/", "http://127.0.0.1:8000?x", "http://127.0.0.1:8000#x", "http://127.0.0.1:", "http://127.0.0.1:99999",
    "http://127.0.0.1:８０００", "http://[::1", "null", "", "ftp://127.0.0.1:21", "http://127.0.0.1:8000 ", "http://127.0.0.1\\@evil.com",
])
def test_foreign_or_malformed_origins_do_not_match_loopback(origin: str) -> None:
    assert not allowed(parse_origin(origin), LOOPBACK)


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8000", "http://localhost:3000", "http://[::1]:9", "http://LocalHost:1", "http://127.0.0.1"])
def test_loopback_origins_match_on_any_port(origin: str) -> None:
    assert allowed(parse_origin(origin), LOOPBACK)


@pytest.mark.parametrize(("origin", "ok"), [
    ("https://app.example.com", True), ("https://app.example.com:443", True), ("http://app.example.com", False),
    ("https://app.example.com:8443", False), ("https://evil-app.example.com", False), ("https://app.example.com.evil.com", False),
])
def test_a_configured_origin_matches_scheme_host_and_port(origin: str, ok: bool) -> None:
    assert allowed(parse_origin(origin), APP) is ok


@pytest.mark.parametrize("pattern", ["app.example.com", "https://user@app.example.com", "https://app.example.com/", "https://a:1:*", "https://*.example.com"])
def test_malformed_origin_patterns_are_refused(pattern: str) -> None:
    assert parse_origin_pattern(pattern) is None


def test_hosts() -> None:
    loopback = tuple(p for p in map(parse_host_pattern, ("127.0.0.1:*", "localhost")) if p)
    assert allowed(parse_host("127.0.0.1:8000"), loopback) and allowed(parse_host("localhost"), loopback)
    assert not allowed(parse_host("localhost:8000"), loopback)
    for host in ("127.0.0.1:1@evil.com", "127.0.0.1:80.evil.com", "evil.com", "127.0.0.1:8000/x", ""):
        assert not allowed(parse_host(host), loopback), host
    assert parse_host_pattern("https://mcp.example.com") is None and parse_host_pattern("mcp.example.com:x") is None
