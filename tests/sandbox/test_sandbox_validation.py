"""Sandbox configuration rules beside JSON Schema: a secret's mask sent back is stored as is, at any depth."""

from __future__ import annotations

from polytomic_mcp.sandbox.credentials import masked_secrets
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


def test_a_nested_secrets_mask_is_kept_as_its_value() -> None:
    """The API does not guard against a mask sent back: it is stored, and the login probe finds it."""
    cleaned = clean_configuration(SCHEMA, {"oauth": {"client_id": "id", "client_secret": "******"}})
    assert cleaned == {"oauth": {"client_id": "id", "client_secret": "******"}}
    assert masked_secrets(SCHEMA, cleaned) == ["oauth.client_secret"]


def test_a_read_only_secrets_mask_sent_back_is_dropped_not_refused() -> None:
    assert clean_configuration(SCHEMA, {"secret": "******", "oauth": {"client_id": "id", "client_secret": "real"}}) == {
        "oauth": {"client_id": "id", "client_secret": "real"}
    }
