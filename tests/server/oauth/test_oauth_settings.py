"""``--auth oauth`` settings: HTTP only, per-request tenants, a public URL and a secret, else a clear refusal."""

from __future__ import annotations

import pytest

from polytomic_mcp.settings import SettingsError, load
from polytomic_mcp.tools import load_tools

SPECS = load_tools()

SECRET = "3f9a1c07be52d84e6a0f7b19c2d5e83a47b60c1f9e2d8a5b3c7e0f14a96d2b58"
URL = "https://mcp.example.com"


def oauth(flags: dict[str, object], env: dict[str, str]) -> object:
    return load({"auth": "oauth", "transport": "http", **flags}, env, frozenset(SPECS))


def test_oauth_implies_per_request_tenants_and_keeps_the_secret_out_of_repr() -> None:
    settings = load({"auth": "oauth", "transport": "http"},
                    {"POLYTOMIC_PUBLIC_URL": URL, "POLYTOMIC_OAUTH_SECRET": SECRET}, frozenset(SPECS))
    assert (settings.auth, settings.key_from_request, settings.public_url) == ("oauth", True, URL)
    assert SECRET not in repr(settings)


def test_default_is_no_auth() -> None:
    assert load({}, {"POLYTOMIC_SANDBOX": "true"}, frozenset(SPECS)).auth == "none"


@pytest.mark.parametrize(("flags", "env", "named"), [
    ({"transport": "stdio"}, {"POLYTOMIC_PUBLIC_URL": URL, "POLYTOMIC_OAUTH_SECRET": SECRET}, "--transport http"),
    ({}, {"POLYTOMIC_OAUTH_SECRET": SECRET}, "POLYTOMIC_PUBLIC_URL"),
    ({}, {"POLYTOMIC_PUBLIC_URL": URL}, "POLYTOMIC_OAUTH_SECRET"),
    ({}, {"POLYTOMIC_PUBLIC_URL": URL, "POLYTOMIC_OAUTH_SECRET": "short"}, "POLYTOMIC_OAUTH_SECRET"),
    ({}, {"POLYTOMIC_PUBLIC_URL": URL, "POLYTOMIC_OAUTH_SECRET": "z" * 64}, "POLYTOMIC_OAUTH_SECRET"),
    ({}, {"POLYTOMIC_PUBLIC_URL": URL, "POLYTOMIC_OAUTH_SECRET": "A" * 44}, "POLYTOMIC_OAUTH_SECRET"),
    ({}, {"POLYTOMIC_PUBLIC_URL": URL, "POLYTOMIC_OAUTH_SECRET": SECRET, "POLYTOMIC_API_KEY": "pk"}, "POLYTOMIC_API_KEY"),
    ({}, {"POLYTOMIC_AUTH": "basic"}, "POLYTOMIC_AUTH"),
])
def test_incomplete_oauth_settings_refuse_to_start(flags: dict[str, object], env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        oauth(flags, env)
