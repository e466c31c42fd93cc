"""Secrets in every shape: echoed and encoded by an upstream, embedded in URLs and SQL, in a process that never saw them."""

from __future__ import annotations

import base64
import json
import logging
from urllib.parse import quote, quote_plus

import httpx2
import pytest
from mcp import Client
from server_support import BASE_URL, MODES, call_error, call_ok, mcp_session

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.client.models import Model
from polytomic_mcp.redaction import MAX_BYTES, MAX_VALUES, SecretRegistry, scope, scrub
from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings
from polytomic_mcp.tools.core.masking import masked_mappings
from polytomic_mcp.tools.models.views import model_detail

pytestmark = pytest.mark.anyio

ORG_KEY = "pk_org_scoped_key_5c1e0a77"
QUOTED_PASSWORD = 'pa"ss\\word/with+plus&amp'
TINY_PASSWORD = "q7"


class EchoingUpstream(httpx2.AsyncBaseTransport):
    """The sandbox, except that creating a connection fails with an error that echoes the request in many encodings."""

    def __init__(self, sandbox: Sandbox, size: int = 0) -> None:
        self.inner = sandbox.transport()
        self.size = size

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST" and request.url.path == "/api/connections":
            body = (await request.aread()).decode()
            password = json.loads(body)["configuration"]["password"]
            message = (
                f"raw=[{password}] form={quote(password, safe='')} plus={quote_plus(password)} "
                f"b64={base64.b64encode(password.encode()).decode()} from {request.headers['authorization']} "
                f"invalid request {json.dumps(body)}" + "x" * self.size
            )
            return httpx2.Response(400, json={"status": 400, "message": message})
        return await self.inner.handle_async_request(request)


def forms(secret: str) -> list[str]:
    """Every shape of ``secret`` an echo could carry."""
    raw = secret.encode()
    return [secret, json.dumps(secret)[1:-1], json.dumps(json.dumps(secret))[1:-1], quote(secret, safe=""),
            quote_plus(secret), base64.b64encode(raw).decode().rstrip("=")]


@pytest.fixture
def org_sandbox() -> Sandbox:
    sandbox = Sandbox(base_url=BASE_URL)
    sandbox.add_workspace(ORG_KEY, org_name="Org")
    return sandbox


@pytest.mark.parametrize("password", [QUOTED_PASSWORD, TINY_PASSWORD], ids=["escaped", "under-4-chars"])
async def test_an_upstream_echo_of_the_request_is_scrubbed_in_every_encoding(org_sandbox: Sandbox, password: str) -> None:
    organization = org_sandbox.workspace(ORG_KEY).organization_id
    async with PolytomicClient(ORG_KEY, base_url=BASE_URL, organization_id=organization,
                               transport=EchoingUpstream(org_sandbox), max_retries=0) as api:
        basic = api.secrets_for_scrubbing()[1]
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            text = await call_error(client, "create_connection", {
                "name": "pg", "type": "postgresql", "configuration": {
                    "hostname": "db.example.com", "username": "u", "database": "acme", "password": password}})
    assert "rejected" in text and "******" in text
    for shape in [*forms(password), *forms(ORG_KEY), basic]:
        assert shape not in text, f"{shape!r} leaked: {text}"


async def test_an_upstream_error_body_is_bounded(org_sandbox: Sandbox) -> None:
    async with PolytomicClient(ORG_KEY, base_url=BASE_URL, transport=EchoingUpstream(org_sandbox, size=2_000_000), max_retries=0) as api:
        async with Client(build_server(Settings(sandbox=True), client=api)) as client:
            text = await call_error(client, "create_connection", {
                "name": "pg", "type": "postgresql", "configuration": {
                    "hostname": "db.example.com", "username": "u", "database": "acme", "password": "long-enough-pw"}})
    assert len(text) < 2_000 and "characters cut" in text


@pytest.mark.parametrize("mode", MODES)
async def test_env_references_only_fill_fields_the_type_marks_secret(sandbox: Sandbox, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYTOMIC_SECRET_MONGO_URL", "mongodb://user:from-env-pw-0451@example.mongodb.net")
    async with mcp_session(sandbox, mode=mode) as client:
        text = await call_error(client, "create_connection", {
            "name": "M", "type": "mongodb", "configuration": {"hosts": {"$env": "POLYTOMIC_SECRET_MONGO_URL"}}})
    assert "'hosts'" in text and "'password'" in text and "from-env-pw" not in text
    assert not [r for r in sandbox.requests if r.method == "POST" and r.path == "/api/connections"]


async def test_url_credentials_stay_masked_in_a_process_that_never_saw_them(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    hosts = "mongodb+srv://admin:url-pass-9f8e7d@example.mongodb.net/?authSource=admin"
    async with mcp_session(sandbox) as client:
        created = await call_ok(client, "create_connection", {"name": "M", "type": "mongodb", "configuration": {"hosts": hosts}})
    stored = sandbox.workspace(next(iter(sandbox.workspaces))).connections[created["id"]].configuration
    assert stored["hosts"] == hosts, "the API got the real connection string"
    async with mcp_session(sandbox) as fresh:
        seen = [json.dumps(await call_ok(fresh, "list_connections", {"connection_id": created["id"]}))]
        seen.append((await fresh.read_resource(f"polytomic://connections/{created['id']}")).contents[0].text)
    with scope(SecretRegistry()), caplog.at_level(logging.INFO):
        logging.getLogger("polytomic_mcp.test").info("connecting to %s", hosts)
    seen.append(caplog.text)
    assert all("url-pass-9f8e7d" not in text for text in seen)
    assert "mongodb+srv://admin:******@example.mongodb.net" in seen[0]


def test_pattern_masks_cover_authorization_values_and_leave_plain_urls() -> None:
    assert scrub("sent Authorization: Bearer pk_live_abcdefgh12345") == "sent Authorization: Bearer ******"
    assert scrub("Basic dXNlcjpwYXNzd29yZA== was refused") == "Basic ****** was refused"
    assert scrub("see https://app.polytomic.com/connections/1?x=1") == "see https://app.polytomic.com/connections/1?x=1"
    assert scrub("postgres://u:p@ss@db:5432/x") == "postgres://u:******@db:5432/x"


def test_model_sql_and_credential_overrides_are_masked_whatever_the_api_returns() -> None:
    model = Model(id="m1", name="Active users", configuration={
        "query": "select * from users where api_key = 'sk_live_123abc' and password=hunter2x",
        "access_token": "secret-value-123"})
    shown = model_detail(model).configuration
    assert "sk_live_123abc" not in json.dumps(shown) and "hunter2x" not in json.dumps(shown)
    assert shown["query"] == "select * from users where api_key = '******' and password=******", "the quotes around the value stay"
    assert shown["access_token"] == "******"
    mappings = masked_mappings([{"target": "Api_Key__c", "override_value": "sk_const_999"}, {"target": "Name", "override_value": "x"}])
    assert mappings == [{"target": "Api_Key__c", "override_value": "******"}, {"target": "Name", "override_value": "x"}]


async def test_secrets_in_a_model_configuration_are_scrubbed_from_the_agents_own_errors(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        mongo = await call_ok(client, "create_connection", {"name": "M", "type": "mongodb", "configuration": {"hosts": "example.mongodb.net"}})
        text = await call_error(client, "create_model", {
            "name": "Users", "connection_id": mongo["id"],
            "configuration": {"database": "example", "collection": "users where token=tok-7788-secret"}})
    assert "tok-7788-secret" not in text


def test_registry_scrubs_every_form_of_many_secrets_within_its_bounds() -> None:
    """A registry keeps its newest forms within a count and a size (scrubbing time grows with it: 20,000 forms took
    130 ms per 16,000 characters on the shared loop); the key it is for is pinned and never let go."""
    registry = SecretRegistry()
    registry.pin("pk_the_tenants_own_key")
    for index in range(5_000):
        registry.add(f"k{index}")
    registry.add("short", "a-much-longer-secret-value")
    text = registry.scrub("short k4998 a-much-longer-secret-value c2hvcnQ k4200x pk_the_tenants_own_key")
    assert text == "****** ****** ****** ****** k4200x ******"
    assert len(registry) <= MAX_VALUES + 10 and "k42" in registry.scrub("k42"), "the oldest went first"
    registry.add("x" * 2_000_000)
    assert registry.scrub("y" + "x" * 2_000_000).startswith("y******"), "a huge secret is still found by its start"
    assert registry._chars <= MAX_BYTES  # noqa: SLF001
    assert "client_secret" in registry.scrub("client_secret"), "short secrets mask whole tokens only"
