"""Where a log file's redirect may lead: https to public addresses only (checked before connecting and at the
connected peer), or the API's own origin; anything else is refused unfetched, without the URL's query."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from polytomic_mcp.client import PolytomicClient, ResponseParseError

pytestmark = pytest.mark.anyio

API = "http://api.test"
LOG_PATH = f"{API}/api/syncs/s/executions/e/errors/errors-00000.jsonl"
PUBLIC_IP = "93.184.216.34"
SIGNATURE = "X-Amz-Signature=s3cr3t-signature"
CREDENTIALS = b'{"AccessKeyId": "ASIA-STOLEN", "SecretAccessKey": "stolen"}\n'


class Peer:
    """A network stream as httpx2 reports it: the address the connection actually reached."""

    def __init__(self, address: str) -> None:
        self.address = address

    def get_extra_info(self, name: str) -> object:
        return (self.address, 443) if name == "server_addr" else None


def resolving(table: dict[str, list[str]]) -> Any:
    async def resolve(host: str, port: int) -> list[str]:
        return table.get(host, [])
    return resolve


def upstream(location: str, peer: str | None = None) -> tuple[list[str], httpx2.MockTransport]:
    """The API redirects the log file to ``location``; whatever else is asked answers with credentials."""
    fetched: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        if str(request.url) == LOG_PATH:
            return httpx2.Response(302, headers={"location": location})
        fetched.append(str(request.url))
        extensions = {"network_stream": Peer(peer)} if peer else {}
        return httpx2.Response(200, content=CREDENTIALS, extensions=extensions)

    return fetched, httpx2.MockTransport(handle)


def client(transport: httpx2.MockTransport) -> PolytomicClient:
    resolver = resolving({"storage.example.com": [PUBLIC_IP], "rebound.example.com": [PUBLIC_IP],
                          "internal.example.com": [PUBLIC_IP, "169.254.169.254"]})
    return PolytomicClient("pk_test_123456", base_url=API, transport=transport, max_retries=0, resolver=resolver)


@pytest.mark.parametrize(("location", "why"), [
    (f"http://127.0.0.1:8080/latest/meta-data/iam/security-credentials/admin?{SIGNATURE}", "not https"),
    (f"https://127.0.0.1/latest/meta-data/iam/security-credentials/admin?{SIGNATURE}", "public addresses"),
    (f"https://[::1]/logs/errors.jsonl?{SIGNATURE}", "public addresses"),
    (f"https://[::ffff:169.254.169.254]/latest/meta-data/?{SIGNATURE}", "public addresses"),
    (f"https://10.0.0.5/logs/errors.jsonl?{SIGNATURE}", "public addresses"),
    (f"https://0.0.0.0/logs/errors.jsonl?{SIGNATURE}", "public addresses"),
    (f"https://internal.example.com/logs/errors.jsonl?{SIGNATURE}", "public addresses"),
    (f"https://unknown.example.com/logs/errors.jsonl?{SIGNATURE}", "public addresses"),
    (f"http://storage.example.com/logs/errors.jsonl?{SIGNATURE}", "not https"),
])
async def test_a_redirect_to_a_non_public_or_plain_http_target_is_not_followed(location: str, why: str) -> None:
    fetched, transport = upstream(location)
    async with client(transport) as api:
        with pytest.raises(ResponseParseError) as refused:
            await api.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert fetched == [], "nothing is fetched from a refused target"
    assert why in refused.value.message and "s3cr3t" not in str(refused.value)
    assert location.split("?")[0] in refused.value.message, "the message names the target without its query"


async def test_a_redirect_to_https_on_a_public_host_is_followed() -> None:
    location = f"https://storage.example.com/logs/errors.jsonl?{SIGNATURE}"
    fetched, transport = upstream(location, peer=PUBLIC_IP)
    async with client(transport) as api:
        log = await api.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert fetched == [location] and log.lines() == [{"AccessKeyId": "ASIA-STOLEN", "SecretAccessKey": "stolen"}]


async def test_a_connection_that_reached_a_non_public_peer_is_refused() -> None:
    """DNS rebinding: the name resolved to a public address at the check, then to a private one at the connect."""
    fetched, transport = upstream(f"https://rebound.example.com/logs/errors.jsonl?{SIGNATURE}", peer="127.0.0.1")
    async with client(transport) as api:
        with pytest.raises(ResponseParseError, match="non-public address") as refused:
            await api.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert "s3cr3t" not in str(refused.value)


async def test_a_redirect_back_to_the_api_origin_is_followed_whatever_its_address() -> None:
    """The API host is the one the key is sent to; a self-hosted one may well be private or plain http."""
    fetched, transport = upstream(f"{API}/files/errors.jsonl", peer="10.0.0.2")
    async with client(transport) as api:
        log = await api.syncs.read_log("s", "e", "errors", "errors-00000.jsonl")
    assert fetched == [f"{API}/files/errors.jsonl"] and log.lines()
