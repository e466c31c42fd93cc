"""The request pipeline against a scripted transport: headers, errors, retries, idempotency."""

from __future__ import annotations

import base64
import json

import httpx2
import pytest

from polytomic_mcp import __version__
from polytomic_mcp.client import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PolytomicClient,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)

pytestmark = pytest.mark.anyio

API_KEY = "pk_live_supersecret_1234"
ME = {"data": {"id": "u1", "email": "a@example.com", "organization_id": "o1"}}


class Script:
    """A transport that answers from a list of responses (or exceptions) and records requests."""

    def __init__(self, *answers: httpx2.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def client_for(script: Script, **kwargs: object) -> PolytomicClient:
    options = {"retry_backoff": 0.001, "max_retry_delay": 0.01}
    options.update(kwargs)
    return PolytomicClient(
        API_KEY, base_url="http://api.test", transport=httpx2.MockTransport(script), **options  # type: ignore[arg-type]
    )


def error(status: int, body: object, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers=headers)


async def test_every_request_sends_version_user_agent_and_bearer() -> None:
    script = Script(httpx2.Response(200, json=ME))
    async with client_for(script, api_version="2024-02-08") as client:
        me = await client.identity.get()
    sent = script.requests[0]
    assert me.email == "a@example.com"
    assert sent.headers["X-Polytomic-Version"] == "2024-02-08"
    assert sent.headers["Authorization"] == f"Bearer {API_KEY}"
    assert sent.headers["User-Agent"].startswith(f"polytomic-mcp/{__version__}")
    assert "Idempotency-Key" not in sent.headers


async def test_organization_id_switches_to_basic_auth() -> None:
    script = Script(httpx2.Response(200, json=ME))
    async with client_for(script, organization_id="org-123") as client:
        await client.identity.get()
    scheme, token = script.requests[0].headers["Authorization"].split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(token).decode() == f"org-123:{API_KEY}"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIStatusError),
    ],
)
async def test_status_maps_to_exception_class(status: int, cls: type[APIStatusError]) -> None:
    body = {"status": status, "message": "nope", "key": "some_key", "metadata": {"a": 1}}
    script = Script(error(status, body))
    async with client_for(script, max_retries=0) as client:
        with pytest.raises(cls) as caught:
            await client.identity.get()
    assert type(caught.value) is cls
    assert caught.value.status == status
    assert caught.value.message == "nope"
    assert caught.value.key == "some_key"
    assert caught.value.metadata == {"a": 1}


async def test_2024_401_body_shape_parses() -> None:
    body = {"status": "Unauthorized", "code": 401, "error": "invalid API key", "context": {}}
    async with client_for(Script(error(401, body)), max_retries=0) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.identity.get()
    assert caught.value.message == "invalid API key"
    assert caught.value.status == 401


async def test_legacy_nested_error_and_plain_text_bodies_parse() -> None:
    async with client_for(Script(error(400, {"error": {"message": "bad thing"}})), max_retries=0) as client:
        with pytest.raises(BadRequestError, match="bad thing"):
            await client.identity.get()
    async with client_for(Script(httpx2.Response(502, text="upstream gone")), max_retries=0) as client:
        with pytest.raises(ServerError, match="upstream gone"):
            await client.identity.get()


async def test_error_message_never_contains_the_api_key() -> None:
    body = {"status": 401, "message": f"key {API_KEY} is revoked"}
    async with client_for(Script(error(401, body)), max_retries=0) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.identity.get()
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    assert API_KEY not in repr(client)


async def test_request_id_is_kept() -> None:
    response = error(404, {"status": 404, "message": "model not found"}, {"X-Request-Id": "req-9"})
    async with client_for(Script(response)) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.models.get("m1")
    assert caught.value.request_id == "req-9"
    assert caught.value.path == "/api/models/m1"


async def test_retries_429_honouring_retry_after_then_succeeds() -> None:
    script = Script(
        error(429, {"status": 429, "message": "slow down"}, {"Retry-After": "0.02"}),
        httpx2.Response(200, json=ME),
    )
    async with client_for(script) as client:
        me = await client.identity.get()
    assert me.id == "u1"
    assert len(script.requests) == 2


async def test_retry_after_as_http_date_is_understood() -> None:
    from polytomic_mcp.client._retry import retry_after_seconds

    assert retry_after_seconds(httpx2.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert retry_after_seconds(httpx2.Headers({"retry-after-ms": "1500"})) == 1.5
    assert retry_after_seconds(httpx2.Headers({"Retry-After": "garbage"})) is None


async def test_post_retries_reuse_one_idempotency_key() -> None:
    created = {"data": {"id": "c1", "name": "n", "type": {"id": "mongodb"}, "configuration": {}}}
    script = Script(
        error(503, {"status": 503, "message": "unavailable"}),
        httpx2.ConnectError("reset"),
        httpx2.Response(200, json=created),
    )
    async with client_for(script) as client:
        connection = await client.connections.create(name="n", type="mongodb", configuration={"hosts": "h"})
    keys = {r.headers["Idempotency-Key"] for r in script.requests}
    assert connection.id == "c1"
    assert len(script.requests) == 3
    assert len(keys) == 1
    assert 8 <= len(keys.pop()) <= 255


async def test_separate_calls_get_separate_idempotency_keys() -> None:
    created = {"data": {"id": "c1", "name": "n", "type": {"id": "mongodb"}, "configuration": {}}}
    script = Script(httpx2.Response(200, json=created))
    async with client_for(script) as client:
        await client.connections.create(name="n", type="mongodb", configuration={})
        await client.connections.create(name="n", type="mongodb", configuration={})
    assert script.requests[0].headers["Idempotency-Key"] != script.requests[1].headers["Idempotency-Key"]


async def test_gives_up_after_max_retries_with_the_last_error() -> None:
    script = Script(error(500, {"status": 500, "message": "boom"}))
    async with client_for(script, max_retries=3) as client:
        with pytest.raises(ServerError) as caught:
            await client.connections.create(name="n", type="mongodb", configuration={})
    assert len(script.requests) == 4
    assert caught.value.may_have_succeeded
    assert caught.value.idempotency_key == script.requests[0].headers["Idempotency-Key"]


async def test_does_not_retry_client_errors() -> None:
    script = Script(error(422, {"status": 422, "message": "connection in use"}))
    async with client_for(script) as client:
        with pytest.raises(UnprocessableEntityError):
            await client.connections.delete("c1")
    assert len(script.requests) == 1


async def test_network_failures_map_to_transport_and_timeout_errors() -> None:
    async with client_for(Script(httpx2.ConnectError("refused")), max_retries=1) as client:
        with pytest.raises(TransportError) as caught:
            await client.identity.get()
    assert not isinstance(caught.value, RequestTimeoutError)
    assert not caught.value.may_have_succeeded
    async with client_for(Script(httpx2.ReadTimeout("slow")), max_retries=0) as client:
        with pytest.raises(RequestTimeoutError) as timeout:
            await client.connections.create(name="n", type="t", configuration={})
    assert timeout.value.may_have_succeeded


async def test_deep_object_params_and_booleans_are_encoded() -> None:
    script = Script(httpx2.Response(200, json={"data": []}))
    async with client_for(script) as client:
        await client.sources.fields("c1", {"database": "example", "collection": "users"})
        await client.connections.delete("c1", force=True)
    assert script.requests[0].url.params.multi_items() == [
        ("params[database]", "example"),
        ("params[collection]", "users"),
    ]
    assert script.requests[1].url.params["force"] == "true"


async def test_ids_are_quoted_as_one_path_segment() -> None:
    script = Script(error(404, {"status": 404, "message": "not found"}))
    async with client_for(script) as client:
        with pytest.raises(NotFoundError):
            await client.connections.get("../syncs/x")
    assert script.requests[0].url.raw_path == b"/api/connections/..%2Fsyncs%2Fx"


async def test_unsupported_version_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="2025-09-18"):
        PolytomicClient(API_KEY, api_version="2023-01-01")


async def test_json_body_is_what_the_model_dumps() -> None:
    created = {"data": {"id": "c1", "name": "n", "type": {"id": "mongodb"}, "configuration": {}}}
    script = Script(httpx2.Response(200, json=created))
    async with client_for(script) as client:
        await client.connections.create(name="n", type="mongodb", configuration={"hosts": "h"}, validate=False)
    assert json.loads(script.requests[0].content) == {
        "name": "n",
        "type": "mongodb",
        "configuration": {"hosts": "h"},
        "validate": False,
    }


async def test_an_overlong_id_is_an_invalid_request_not_a_crash() -> None:
    from polytomic_mcp.client import InvalidRequestError

    script = Script(httpx2.Response(200, json=ME))
    async with client_for(script) as client:
        with pytest.raises(InvalidRequestError, match="too long"):
            await client.connections.get("é" * 30_000)
    assert script.requests == []
