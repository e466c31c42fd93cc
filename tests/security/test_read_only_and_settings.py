"""Read-only mode and tool filtering fail closed; every setting is parsed strictly."""

from __future__ import annotations

import os

import pytest
from server_support import MODES, call_ok, mcp_session
from workflow import MONGO

from polytomic_mcp import cli
from polytomic_mcp.cli import load_settings, main, parse_args
from polytomic_mcp.sandbox import Sandbox
from polytomic_mcp.settings import Settings, SettingsError, parse_bool
from polytomic_mcp.tools import load_tools

SPECS = load_tools()

pytestmark = pytest.mark.anyio
READ_ONLY = {name for name, spec in SPECS.items() if spec.kept_in_read_only_mode}
"""The reading tools, and call_api, which runs only reads in read-only mode (tests/server/test_api_tools.py)."""


@pytest.mark.parametrize("mode", MODES)
async def test_read_only_lists_only_read_tools_and_refuses_writes(sandbox: Sandbox, mode: str) -> None:
    async with mcp_session(sandbox, mode=mode, settings=Settings(sandbox=True, read_only=True)) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert names == READ_ONLY and "create_connection" not in names
        assert names - {n for n, spec in SPECS.items() if spec.read_only} == {"call_api"}
        for tool in ("create_connection", "create_sync", "activate_sync", "start_sync"):
            result = await client.call_tool(tool, MONGO if tool == "create_connection" else {"sync_id": "x"})
            assert result.is_error
            assert "read-only mode" in result.content[0].text and tool in result.content[0].text
        assert (await call_ok(client, "list_connections", {}))["total"] == 0
    assert sandbox.workspace(next(iter(sandbox.workspaces))).connections == {}
    assert not [r for r in sandbox.requests if r.method != "GET"]


@pytest.mark.parametrize("mode", MODES)
async def test_tool_filter_and_read_only_wins(sandbox: Sandbox, mode: str) -> None:
    chosen = frozenset({"create_connection", "list_target_objects", "list_connections"})
    async with mcp_session(sandbox, mode=mode, settings=Settings(sandbox=True, tools=chosen)) as client:
        assert {t.name for t in (await client.list_tools()).tools} == chosen
        refused = await client.call_tool("list_models", {"model_id": "m"})
        assert refused.is_error and "not in this server's tool list" in refused.content[0].text
    both = Settings(sandbox=True, tools=chosen, read_only=True)
    async with mcp_session(sandbox, mode=mode, settings=both) as client:
        assert {t.name for t in (await client.list_tools()).tools} == {"list_target_objects", "list_connections"}
        refused = await client.call_tool("create_connection", MONGO)
        assert refused.is_error and "read-only mode" in refused.content[0].text


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "Yes"])
def test_true_words(raw: str) -> None:
    assert parse_bool("X", raw) is True


@pytest.mark.parametrize("raw", ["read_only-true", "ture", "on", "", "y", "truee", "2"])
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(SettingsError, match="X must be one of true/false"):
        parse_bool("X", raw)


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        ((), {"POLYTOMIC_READ_ONLY": "read_only-true", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_READ_ONLY"),
        ((), {"POLYTOMIC_READ_ONLY": "ture", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_READ_ONLY"),
        ((), {"POLYTOMIC_API_VERSION": "2023-01-01", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_API_VERSION"),
        ((), {"POLYTOMIC_BASE_URL": "app.polytomic.com", "POLYTOMIC_API_KEY": "k"}, "POLYTOMIC_BASE_URL"),
        (("--port", "70000", "--sandbox"), {}, "--port"),
        (("--port", "http", "--sandbox"), {}, "--port"),
        (("--tools", "create_connection,drop_database", "--sandbox"), {}, "drop_database"),
        ((), {"POLYTOMIC_TOOLS": "list_connectionz", "POLYTOMIC_SANDBOX": "1"}, "POLYTOMIC_TOOLS"),
        ((), {"POLYTOMIC_SECRET_PREFIX": "POLYTOMIC_", "POLYTOMIC_SANDBOX": "1"}, "POLYTOMIC_SECRET_PREFIX"),
        (("--key-from-request",), {}, "--transport http"),
        ((), {"POLYTOMIC_SANDBOX": "maybe"}, "POLYTOMIC_SANDBOX"),
    ],
)
def test_bad_settings_refuse_to_start_with_exit_2(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], env: dict[str, str], named: str
) -> None:
    """In-process ``main``; the real ``python -m polytomic_mcp`` exit path is test_transports' missing-key test."""
    for name, value in env.items():
        clean_env.setenv(name, value)
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 2, err
    assert named in err
    assert out == ""


EMPTY_IS_REFUSED = [
    "POLYTOMIC_READ_ONLY", "POLYTOMIC_SANDBOX", "POLYTOMIC_KEY_FROM_REQUEST", "POLYTOMIC_DNS_REBINDING_PROTECTION",
    "POLYTOMIC_TOOLS", "POLYTOMIC_BASE_URL", "POLYTOMIC_API_VERSION", "POLYTOMIC_SECRET_PREFIX",
    "POLYTOMIC_ALLOWED_HOSTS", "POLYTOMIC_ALLOWED_ORIGINS", "POLYTOMIC_SESSION_IDLE_TIMEOUT", "POLYTOMIC_MAX_SESSIONS",
    "POLYTOMIC_HTTP_HEADER_TIMEOUT", "POLYTOMIC_HTTP_BODY_TIMEOUT", "POLYTOMIC_TOOL_TIMEOUT",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No POLYTOMIC_* variable from the machine leaks into a settings test, and ``main`` returns instead of serving."""
    for name in [n for n in os.environ if n.startswith("POLYTOMIC_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(cli, "serve", lambda settings: None)
    return monkeypatch


@pytest.mark.parametrize("name", EMPTY_IS_REFUSED)
@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_setting_refuses_to_start(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, empty: str) -> None:
    clean_env.setenv("POLYTOMIC_API_KEY", "k")
    clean_env.setenv(name, empty)
    assert main(["--transport", "http"]) == 2
    assert f"{name} is set but empty" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--tools", "--base-url", "--api-version", "--allowed-hosts", "--allowed-origins",
                                  "--session-idle-timeout", "--max-sessions", "--http-header-timeout", "--http-body-timeout"])
def test_an_empty_flag_refuses_to_start(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], flag: str) -> None:
    assert main(["--sandbox", "--transport", "http", flag, ""]) == 2
    assert flag in capsys.readouterr().err


@pytest.mark.parametrize(("name", "raw"), [
    ("POLYTOMIC_SESSION_IDLE_TIMEOUT", "0"), ("POLYTOMIC_SESSION_IDLE_TIMEOUT", "-5"), ("POLYTOMIC_SESSION_IDLE_TIMEOUT", "inf"),
    ("POLYTOMIC_SESSION_IDLE_TIMEOUT", "nan"), ("POLYTOMIC_SESSION_IDLE_TIMEOUT", "10m"), ("POLYTOMIC_MAX_SESSIONS", "0"),
    ("POLYTOMIC_MAX_SESSIONS", "2.5"), ("POLYTOMIC_MAX_SESSIONS", "-1"), ("POLYTOMIC_HTTP_HEADER_TIMEOUT", "0"),
    ("POLYTOMIC_HTTP_BODY_TIMEOUT", "soon"), ("POLYTOMIC_TOOL_TIMEOUT", "0"), ("POLYTOMIC_TOOL_TIMEOUT", "inf"),
    ("POLYTOMIC_ALLOWED_ORIGINS", "app.example.com"),
    ("POLYTOMIC_ALLOWED_ORIGINS", "https://user@app.example.com"), ("POLYTOMIC_ALLOWED_ORIGINS", "https://app.example.com/path"),
    ("POLYTOMIC_ALLOWED_HOSTS", "https://mcp.example.com"), ("POLYTOMIC_ALLOWED_HOSTS", "mcp.example.com:port"),
])
def test_invalid_http_settings_refuse_to_start(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, raw: str) -> None:
    clean_env.setenv(name, raw)
    assert main(["--sandbox", "--transport", "http"]) == 2
    assert name in capsys.readouterr().err


def test_http_settings_from_environment_and_flags(clean_env: pytest.MonkeyPatch) -> None:
    env = {"POLYTOMIC_SANDBOX": "1", "POLYTOMIC_SESSION_IDLE_TIMEOUT": "90.5", "POLYTOMIC_MAX_SESSIONS": "20",
           "POLYTOMIC_HTTP_HEADER_TIMEOUT": "3", "POLYTOMIC_HTTP_BODY_TIMEOUT": "4",
           "POLYTOMIC_ALLOWED_ORIGINS": "https://app.example.com,http://localhost:*"}
    from_env = load_settings(parse_args(["--transport", "http"]), env)
    assert (from_env.session_idle_timeout, from_env.max_sessions, from_env.http_header_timeout, from_env.http_body_timeout) == (90.5, 20, 3.0, 4.0)
    assert from_env.allowed_origins == ("https://app.example.com", "http://localhost:*")
    flags = ["--transport", "http", "--max-sessions", "7", "--session-idle-timeout", "30", "--http-body-timeout", "2"]
    from_flags = load_settings(parse_args(flags), env)
    assert (from_flags.max_sessions, from_flags.session_idle_timeout, from_flags.http_body_timeout) == (7, 30.0, 2.0)
    assert load_settings(parse_args([]), {**env, "POLYTOMIC_TOOL_TIMEOUT": "12.5"}).tool_timeout == 12.5
    defaults = load_settings(parse_args([]), {"POLYTOMIC_SANDBOX": "true"})
    assert defaults.tool_timeout == 45.0
    assert (defaults.session_idle_timeout, defaults.max_sessions, defaults.http_header_timeout, defaults.http_body_timeout) == (600.0, 1000, 10.0, 10.0)


def test_an_empty_api_key_still_means_no_key(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings(parse_args(["--sandbox"]), {"POLYTOMIC_API_KEY": "", "POLYTOMIC_ORGANIZATION_ID": ""})
    assert settings.api_key is None and settings.organization_id is None
    with pytest.raises(SettingsError, match="no API key"):
        load_settings(parse_args([]), {"POLYTOMIC_API_KEY": ""})


def test_every_setting_is_documented_in_the_readme() -> None:
    from pathlib import Path

    from polytomic_mcp.settings import OPTIONS

    table = Path(__file__).resolve().parents[2].joinpath("README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = [name for o in OPTIONS for name in (o.env, o.flag) if name is not None and f"`{name}" not in table]
    assert missing == [], f"README's configuration table does not mention {missing}"


def test_request_timeout_and_retries_reach_the_client(clean_env: pytest.MonkeyPatch) -> None:
    from polytomic_mcp.server import make_client

    settings = load_settings(parse_args([]), {"POLYTOMIC_API_KEY": "k", "POLYTOMIC_REQUEST_TIMEOUT": "7.5", "POLYTOMIC_MAX_RETRIES": "0"})
    client = make_client(settings)
    assert (client._core.timeout, client._core.max_retries) == (7.5, 0)  # noqa: SLF001 - the settings must reach the pipeline
    for raw in ("11", "-1", "two"):
        with pytest.raises(SettingsError, match="POLYTOMIC_MAX_RETRIES"):
            load_settings(parse_args([]), {"POLYTOMIC_API_KEY": "k", "POLYTOMIC_MAX_RETRIES": raw})
