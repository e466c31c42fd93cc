"""Per-type configuration rules a JSON Schema cannot express, e.g. which credentials each auth mode needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import bad_request
from .hosts import bigquery_key

Rule = Callable[[dict[str, Any]], list[str]]


def _needs(config: dict[str, Any], switch: str, value: Any, keys: tuple[str, ...]) -> list[str]:
    if config.get(switch) != value:
        return []
    shown = str(value).lower() if isinstance(value, bool) else value
    return [f"{key} is required when {switch} is {shown}" for key in keys if not config.get(key)]


def _salesforce(config: dict[str, Any]) -> list[str]:
    return _needs(config, "connect_mode", "clientcredentials", ("client_id", "client_secret")) + _needs(
        config, "connect_mode", "api", ("client_id", "client_secret", "oauth_refresh_token")
    )


def _bigquery(config: dict[str, Any]) -> list[str]:
    problems = _needs(config, "auth_method", "service_account_key", ("service_account",))
    problems += _needs(config, "auth_method", "workload_identity_federation", ("credential_config", "wif_project_id"))
    if config.get("auth_method") == "service_account_key" and config.get("service_account") and bigquery_key(config) is None:
        problems.append("service_account must be a JSON service account key with project_id and client_email")
    return problems


def _s3(config: dict[str, Any]) -> list[str]:
    return _needs(config, "auth_mode", "access_key_and_secret", ("aws_access_key_id", "aws_secret_access_key")) + _needs(
        config, "auth_mode", "iam_role", ("iam_role_arn",)
    )


def _snowflake(config: dict[str, Any]) -> list[str]:
    if config.get("key_pair_auth"):
        return _needs(config, "key_pair_auth", True, ("private_key",))
    return [] if config.get("password") else ["password is required when key_pair_auth is false"]


def _webhook(config: dict[str, Any]) -> list[str]:
    problems = []
    if not str(config.get("url", "")).startswith(("http://", "https://")):
        problems.append("url must be an http:// or https:// URL")
    method = config.get("auth_method")
    nested = {"basic": ("basic", "username"), "header": ("header", "name"), "oauth_client_credentials": ("oauth", "token_endpoint")}
    if method in nested:
        block, key = nested[method]
        if not (config.get(block) or {}).get(key):
            problems.append(f"{block}.{key} is required when auth_method is {method}")
    if method == "query" and not config.get("query"):
        problems.append("query is required when auth_method is query")
    return problems


RULES: dict[str, Rule] = {
    "salesforce": _salesforce,
    "bigquery": _bigquery,
    "s3": _s3,
    "snowflake": _snowflake,
    "webhook": _webhook,
}


def check_rules(type_id: str, config: dict[str, Any]) -> None:
    """Raise a 400 ``invalid configuration: …`` when a conditional requirement of ``type_id`` is not met."""
    rule = RULES.get(type_id)
    problems = rule(config) if rule else []
    if problems:
        raise bad_request("invalid configuration: " + "; ".join(problems))
