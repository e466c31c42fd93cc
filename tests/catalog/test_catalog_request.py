"""build_request: shallow checks whose errors name the fix, path parameters that cannot escape their segment."""

from __future__ import annotations

import pytest

from polytomic_mcp.catalog import CatalogError, build_request, find

SCHEDULE = "GET /api/bulk/syncs/{sync_id}/schedules/{schedule_id}"


def test_a_valid_call_resolves_to_method_path_query_and_body() -> None:
    request = build_request("PUT /api/webhooks/{id}", {"id": "w1"}, None, {"endpoint": "https://example.com/hook", "secret": "s3cret"})
    assert (request.method, request.path, request.query) == ("PUT", "/api/webhooks/w1", {})
    assert request.body == {"endpoint": "https://example.com/hook", "secret": "s3cret"}
    assert request.operation is find("webhooks.update")


def test_query_values_of_none_are_dropped_and_known_names_kept() -> None:
    request = build_request("model_sync.list", query={"active": True, "page_token": None})
    assert (request.path, request.query, request.body) == ("/api/syncs", {"active": True}, None)


def test_an_operation_with_an_optional_body_gets_an_empty_object() -> None:
    assert build_request("POST /api/syncs/{id}/executions", {"id": "s1"}).body == {}


def test_a_missing_path_parameter_names_every_parameter() -> None:
    with pytest.raises(CatalogError) as error:
        build_request(SCHEDULE, {"sync_id": "s1"})
    assert "missing 'schedule_id'" in str(error.value)
    assert "path_params={'sync_id': '...', 'schedule_id': '...'}" in str(error.value)


def test_an_unknown_path_parameter_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"unknown 'id'.*exactly 'sync_id', 'schedule_id'"):
        build_request(SCHEDULE, {"sync_id": "s1", "schedule_id": "x", "id": "y"})


@pytest.mark.parametrize("value", ["", "   ", 7, None, ["a"]])
def test_path_parameters_must_be_non_empty_strings(value: object) -> None:
    with pytest.raises(CatalogError, match=r"path_params\['id'\] must be a non-empty string"):
        build_request("GET /api/webhooks/{id}", {"id": value})


@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segments_are_refused_so_a_call_cannot_climb_to_another_endpoint(value: str) -> None:
    with pytest.raises(CatalogError, match="cannot be '.' or '..'"):
        build_request("GET /api/webhooks/{id}", {"id": value})


def test_path_parameters_are_quoted_into_one_segment() -> None:
    request = build_request("GET /api/webhooks/{id}", {"id": "../organizations/o1/users?x=1#f"})
    assert request.path == "/api/webhooks/..%2Forganizations%2Fo1%2Fusers%3Fx%3D1%23f"
    assert build_request("GET /api/webhooks/{id}", {"id": "a%2Fb"}).path == "/api/webhooks/a%252Fb", "no double decoding"


def test_an_unknown_query_parameter_names_the_valid_ones() -> None:
    with pytest.raises(CatalogError, match=r"no query parameter 'colour'; it takes 'active', 'limit', 'mode', 'page_token', 'target_connection_id'"):
        build_request("GET /api/syncs", query={"colour": "red"})
    with pytest.raises(CatalogError, match="it takes none"):
        build_request("GET /api/webhooks", query={"limit": 5})


def test_a_body_field_sent_as_query_is_pointed_to_the_body() -> None:
    with pytest.raises(CatalogError, match="Body fields go in body"):
        build_request("POST /api/webhooks", query={"endpoint": "https://example.com"})


def test_a_required_query_parameter_must_be_given() -> None:
    with pytest.raises(CatalogError, match=r"needs the query parameter\(s\) 'connection_id', 'schema_id'"):
        build_request("GET /api/record-view-links/capabilities")


def test_a_body_on_a_get_is_refused_and_the_query_named() -> None:
    with pytest.raises(CatalogError, match=r"GET /api/syncs takes no body; its query parameters are 'active'"):
        build_request("GET /api/syncs", body={"active": True})
    assert build_request("GET /api/syncs", body={}).body is None, "an empty object is no body"


def test_a_body_must_be_an_object_with_known_fields_and_its_required_ones() -> None:
    with pytest.raises(CatalogError, match="body must be a JSON object"):
        build_request("POST /api/webhooks", body=["https://example.com"])
    with pytest.raises(CatalogError, match=r"body has no field 'url'; its fields are 'endpoint', 'organization_id', 'secret'"):
        build_request("POST /api/webhooks", body={"url": "https://example.com", "endpoint": "x", "secret": "y"})
    with pytest.raises(CatalogError, match=r"body needs 'secret'"):
        build_request("POST /api/webhooks", body={"endpoint": "https://example.com"})


def test_errors_never_repeat_the_values_given() -> None:
    secret = "sk-live-DO-NOT-ECHO"
    attempts = [
        lambda: build_request("POST /api/webhooks", body={"endpoint": secret}),
        lambda: build_request("POST /api/webhooks", body={"secret": secret, "nope": secret}),
        lambda: build_request("GET /api/webhooks/{id}", {"id": secret, "extra": secret}),
        lambda: build_request("GET /api/webhooks/{id}", {"id": [secret]}),
        lambda: build_request("GET /api/webhooks", body={"secret": secret}),
    ]
    for attempt in attempts:
        with pytest.raises(CatalogError) as error:
            attempt()
        assert secret not in str(error.value)


def test_an_unknown_operation_suggests_what_was_meant() -> None:
    with pytest.raises(CatalogError, match=r"Give the method too: GET /api/webhooks, POST /api/webhooks"):
        build_request("/api/webhooks")
    with pytest.raises(CatalogError, match=r"GET /api/syncs/\{id\} \(path_params \['id'\]\)"):
        build_request("GET /api/syncs/abc-123")
    with pytest.raises(CatalogError, match=r"Did you mean 'webhooks.list'"):
        build_request("webhook.list")
    with pytest.raises(CatalogError, match="Use search"):
        build_request("fly me to the moon")
