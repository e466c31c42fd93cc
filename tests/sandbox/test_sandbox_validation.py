"""Sandbox configuration rules beside JSON Schema: a secret's mask is never taken back, at any depth."""

from __future__ import annotations

import pytest

from polytomic_mcp.sandbox.errors import ApiError
from polytomic_mcp.sandbox.validation import clean_configuration

SCHEMA = {
    "type": "object",
    "properties": {
        "secret": {"type": "string", "readOnly": True, "sensitive": True},
        "oauth": {
            "type": "object",
            "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string", "sensitive": True}},
            "additionalProperties": False,
        },
    },
}


def test_a_nested_secrets_mask_is_rejected() -> None:
    with pytest.raises(ApiError) as raised:
        clean_configuration(SCHEMA, {"oauth": {"client_id": "id", "client_secret": "******"}})
    assert raised.value.status == 400
    assert 'oauth.client_secret is the masked placeholder "******"' in raised.value.message


def test_a_read_only_secrets_mask_sent_back_is_dropped_not_refused() -> None:
    assert clean_configuration(SCHEMA, {"secret": "******", "oauth": {"client_id": "id", "client_secret": "real"}}) == {
        "oauth": {"client_id": "id", "client_secret": "real"}
    }
