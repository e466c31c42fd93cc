"""Builders shared by the bulk-sync sandbox tests: seeded connections and the reference Salesforce → Snowflake body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2
from sandbox_support import POSTGRES_CONFIG

from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox, SeededWorkspace

SNOWFLAKE_CONFIG = {"account": "acme-xy12345", "username": "loader", "password": "sf-s3cret", "dbname": "ANALYTICS"}
BIGQUERY_CONFIG = {"auth_method": "application_default_credentials"}
S3_CONFIG = {"auth_mode": "access_key_and_secret", "aws_access_key_id": "AKIA", "aws_secret_access_key": "x", "s3_bucket_region": "us-east-1", "s3_bucket_name": "acme-lake"}
DAILY = {"frequency": "daily", "hour": "5", "minute": "0"}


@dataclass
class Connections:
    """The connections the bulk tests use, seeded healthy (ids by role)."""

    salesforce: str
    hubspot: str
    postgres: str
    snowflake: str
    bigquery: str
    s3: str
    webhook: str


def seed(sandbox: Sandbox) -> Connections:
    ws = workspace(sandbox)
    return Connections(
        salesforce=ws.add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"}).id,
        hubspot=ws.add_connection("HubSpot", "hubspot", {}).id,
        postgres=ws.add_connection("Postgres", "postgresql", {**POSTGRES_CONFIG, "port": 5432}).id,
        snowflake=ws.add_connection("Snowflake", "snowflake", SNOWFLAKE_CONFIG).id,
        bigquery=ws.add_connection("BigQuery", "bigquery", BIGQUERY_CONFIG).id,
        s3=ws.add_connection("Lake", "s3", S3_CONFIG).id,
        webhook=ws.add_connection("Hook", "webhook", {"url": "https://hooks.example.com/in"}).id,
    )


def workspace(sandbox: Sandbox) -> SeededWorkspace:
    return sandbox.workspace(EMPTY_API_KEY)


def reference_body(conns: Connections, *, legacy: bool = False, **overrides: Any) -> dict[str, Any]:
    """The issue's reference bulk sync: Account and Contact from Salesforce to Snowflake schema SALESFORCE, daily at 05:00."""
    body: dict[str, Any] = {
        "name": "Salesforce to Snowflake",
        "source_connection_id": conns.salesforce,
        "destination_connection_id": conns.snowflake,
        "destination_configuration": {"schema": "SALESFORCE"},
        "mode": "replicate",
        "schemas": ["Account", "Contact"],
        ("schedule" if legacy else "default_schedule"): dict(DAILY),
    }
    body.update(overrides)
    return body


async def data(response: httpx2.Response, status: int = 200) -> Any:
    """The ``data`` of a response that must have ``status``."""
    assert response.status_code == status, response.text
    return response.json()["data"]


def error(response: httpx2.Response, status: int) -> str:
    """The message of an error response that must have ``status``."""
    assert response.status_code == status, response.text
    message: str = response.json()["message"]
    return message


async def poll_until_done(client: httpx2.AsyncClient, sync_id: str, execution_id: str, reads: int = 5) -> dict[str, Any]:
    """Read an execution until it is terminal (each read advances it one step)."""
    for _ in range(reads):
        execution: dict[str, Any] = await data(await client.get(f"/api/bulk/syncs/{sync_id}/executions/{execution_id}"))
        if execution["status"] in ("completed", "failed", "canceled"):
            return execution
    raise AssertionError(f"execution {execution_id} still {execution['status']} after {reads} reads")
