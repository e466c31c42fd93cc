"""One masking pass for every free text that reaches the model: each shape a secret comes in, and the words it must spare.

Each row is (text, the secret part that must vanish, a nearby word that must stay). The pass is
``redaction.scrub``: results, errors, resources, log lines and console log tails all go through it.
"""

from __future__ import annotations

import base64
import json
import logging

import pytest
from server_support import call_error, call_ok, mcp_session

from polytomic_mcp.redaction import SecretRegistry, install_log_scrubbing, scrub
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.sandbox.domain import console_log

pytestmark = pytest.mark.anyio

REGISTERED = "blob-secret-value-42"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"
BASIC = base64.b64encode(b"sync:s3cret-basic").decode()
IN_BLOB = base64.b64encode(json.dumps({"user": "sync", "pass": REGISTERED}).encode()).decode()
IN_HEX = f"user={REGISTERED}".encode().hex()
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7vPemBody\nQ2xvc2VkUGVtQm9keQ\n-----END RSA PRIVATE KEY-----"

SHAPES = [
    ("Authorization: Token 9f8e7d6c5b4a3928", "9f8e7d6c5b4a3928", "Authorization"),
    ("sent Authorization: sk_live_51Hx9Q2abc with the call", "sk_live_51Hx9Q2abc", "with the call"),
    ("request failed with X-Api-Key: ak_live_51Hx9Q2 attached", "ak_live_51Hx9Q2", "attached"),
    ("curl -H 'x-api-key: 7c6b5a4d3e2f' https://api.example.com/v1", "7c6b5a4d3e2f", "https://api.example.com/v1"),
    ("Cookie: session=abc123def456; theme=dark", "abc123def456", "Cookie"),
    (f"upstream said token {JWT} expired", "eyJzdWIiOiIxMjM0NTYifQ", "expired"),
    ("POST body user%3Dsync%26password%3Dp4ssw0rd-enc%26db%3Dacme", "p4ssw0rd-enc", "db%3Dacme"),
    ("Driver={ODBC 18};Server=db.example.com;Uid=sa;Pwd=Odbc-Secret-77;Encrypt=yes", "Odbc-Secret-77", "db.example.com"),
    ("Driver={ODBC 18};Pwd={br;aced-77};Encrypt=yes", "aced-77", "Encrypt=yes"),
    (f"credentials {BASIC} were refused", BASIC, "were refused"),
    (f"loaded key {PEM} from disk", "MIIEowIBAAKCAQEA7vPemBody", "from disk"),
    ("key -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA", "b3BlbnNzaC1rZXktdjEAAAA", "key"),
    ("GET https://b.s3.amazonaws.com/l.json?X-Amz-Expires=900&X-Amz-Signature=5d41402abc4b2a76b9719d911017c592",
     "5d41402abc4b2a76b9719d911017c592", "X-Amz-Expires=900"),
    ("https://a.blob.core.windows.net/c/x?sv=2022&sig=Zm9vYmFyYmF6cXV4%3D&se=2026", "Zm9vYmFyYmF6cXV4", "sv=2022"),
    ('answer {"password":"json-pw-123","host":"db.example.com"}', "json-pw-123", "db.example.com"),
    ('echo {\\"client_secret\\":\\"esc-pw-456\\",\\"id\\":1}', "esc-pw-456", "id"),
    ("2025-10-01 ERROR connecting with password=ConsolePw-1 to warehouse", "ConsolePw-1", "warehouse"),
    ("2025-10-01 ERROR api-key=ak-console-555 rejected", "ak-console-555", "rejected"),
    ("db:\n  password: letmein\n  host: db.example.com", "letmein", "db.example.com"),
    ("login as sync, password: hunter2 was rejected", "hunter2", "was rejected"),
    (f"payload {IN_BLOB} end", IN_BLOB, "payload"),
    (f"hex {IN_HEX} end", IN_HEX, "hex"),
    (f"login failed for {REGISTERED.upper()}", REGISTERED.upper(), "login failed"),
]

SPARED = [
    "could not connect to db.unknown.test: no such host",
    "client_secret is required; the token expired at 10:00",
    "configuration.password: re-sends the value this server set at 2025-10-01T09:30:00Z (unchanged since)",
    "password: is required when username is set",
    "call again with consent_token='c0ns3nt-t0k3n-123' and page_token=next_page_token",
    "a result stays within about 4,000 tokens: 4000",
    "Authorization: invalid credentials for this key",
    "see https://app.polytomic.com/connections/1?x=1 and bypass: true",
    "id 6f1c2a9e-3b7d-4c55-9a0e-5d1f2b3c4a5e and 5d1f2b3c4a5e9a0e6f1c2a9e3b7d4c55 (a digest)",
]


@pytest.mark.parametrize(("text", "secret", "kept"), SHAPES, ids=[row[1][:16] for row in SHAPES])
def test_every_shape_of_a_secret_is_masked_and_the_words_around_it_stay(text: str, secret: str, kept: str) -> None:
    registry = SecretRegistry()
    registry.add(REGISTERED)
    shown = scrub(text, registry)
    assert secret not in shown, shown
    assert kept in shown and "******" in shown, shown


@pytest.mark.parametrize("text", SPARED)
def test_words_that_only_look_like_secrets_stay(text: str) -> None:
    assert scrub(text, SecretRegistry()) == text


def test_a_short_registered_secret_never_hides_a_host_name() -> None:
    registry = SecretRegistry()
    registry.add("nope", "db")
    assert scrub("could not connect to nope.example.org: no such host", registry) == "could not connect to nope.example.org: no such host"
    assert scrub("dial db.internal:5432 and mail ops@db.example.com", registry) == "dial db.internal:5432 and mail ops@db.example.com"
    assert scrub("password nope was refused; NOPE again.", registry) == "password ****** was refused; ****** again."


async def test_a_connection_test_error_names_the_host_whatever_the_password(sandbox: Sandbox) -> None:
    configuration = {"hostname": "warehouse.unknown.test", "username": "sync", "database": "acme", "password": "warehouse"}
    async with mcp_session(sandbox) as client:
        text = await call_error(client, "create_connection", {"name": "pg", "type": "postgresql", "configuration": configuration})
    assert "could not connect to warehouse.unknown.test: no such host" in text


async def test_console_log_lines_of_a_run_are_masked(sandbox: Sandbox) -> None:
    seeded = sandbox.workspace(EMPTY_API_KEY).seed_failing_sync(past_runs=1)
    execution = seeded["executions"][0]
    console_log.append(execution, "error", "retrying with password=ConsolePw-1 and api-key=ak-console-555 on warehouse")
    console_log.append(execution, "info", f"upstream answered Authorization: Bearer {JWT}")
    async with mcp_session(sandbox) as client:
        runs = await call_ok(client, "get_sync_runs", {"sync_id": seeded["sync"].id, "execution_id": execution.id})
    tail = "\n".join(runs["console_tail"])
    assert "ConsolePw-1" not in tail and "ak-console-555" not in tail and "eyJzdWIi" not in tail
    assert "on warehouse" in tail and "password=******" in tail


async def test_a_third_party_answer_through_call_api_is_masked_by_key_and_by_shape(sandbox: Sandbox) -> None:
    from api_support import ApiDouble, api_session

    upstream = {"data": {
        "request": {"headers": {"Authorization": "Token 9f8e7d6c5b4a3928", "X-Api-Key": "ak_live_51Hx9Q2", "Cookie": "sid=abc123def456"}},
        "body": "upstream said: password=ProxyPw-77; retry https://u:pw-in-url-1@h.example.com",
        "connection": {"id": "c1", "configuration": {"password": "untyped-pw-1", "api-key": "ak-untyped-2", "hostname": "db.example.com"}},
        "destination_configuration": {"aws-secret-access-key": "dc-secret-3", "private-key": "dc-key-4", "bucket": "logs-bucket"},
    }}
    double = ApiDouble(sandbox, {r"GET /api/connections/[^/]+/proxy/info": lambda r: (200, upstream)})
    async with api_session(sandbox, double) as client:
        result = await client.call_tool("call_api", {"operation": "connections.proxy.get_proxy_info", "path_params": {"id": "c1"}})
    shown = json.dumps(result.structured_content) + "".join(c.text for c in result.content if hasattr(c, "text"))
    assert not result.is_error, shown
    for secret in ("9f8e7d6c5b4a3928", "ak_live_51Hx9Q2", "abc123def456", "ProxyPw-77", "pw-in-url-1", "untyped-pw-1", "ak-untyped-2",
                   "dc-secret-3", "dc-key-4"):
        assert secret not in shown, secret
    for word in ("db.example.com", "logs-bucket", "h.example.com", "upstream said"):
        assert word in shown, word


async def test_log_lines_and_resources_get_the_same_pass(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    install_log_scrubbing()
    workspace = sandbox.workspace(EMPTY_API_KEY)
    warehouse = workspace.add_connection("Warehouse", "postgresql", {"hostname": "db.example.com", "username": "u", "password": "p-12345678",
                                                                     "database": "acme"})
    model = workspace.add_model("Tokens", warehouse.id, {"query": f"select '{JWT}' as token, 'Cookie: sid=abc123def456' as header"})
    async with mcp_session(sandbox) as client:
        resource = (await client.read_resource(f"polytomic://models/{model.id}")).contents[0]
    with caplog.at_level(logging.INFO):
        logging.getLogger("polytomic_mcp.test").info("upstream: %s", "X-Api-Key: ak_live_51Hx9Q2 then password=LogPw-123 for db.example.com")
    for text in (getattr(resource, "text", ""), caplog.text):
        assert "eyJzdWIi" not in text and "abc123def456" not in text and "ak_live_51Hx9Q2" not in text and "LogPw-123" not in text
    assert "select '******' as token" in getattr(resource, "text", "") and "db.example.com" in caplog.text
