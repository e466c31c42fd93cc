"""Which hosts, accounts and buckets the simulated world can reach, and the probe run when ``validate`` is true."""

from __future__ import annotations

import json
from typing import Any

MONGO_HOSTS = frozenset({"example.mongodb.net", "cluster0.example.mongodb.net", "mongo.example.com", "localhost", "127.0.0.1"})
POSTGRES_HOSTS = frozenset({"db.example.com", "postgres.example.com", "acme.us-west-2.rds.amazonaws.com", "localhost", "127.0.0.1"})
POSTGRES_DATABASES = frozenset({"acme", "example", "analytics", "postgres"})
MYSQL_HOSTS = frozenset({"mysql.example.com", "db.example.com", "localhost", "127.0.0.1"})
SNOWFLAKE_ACCOUNTS = frozenset({"acme-xy12345", "xy12345.us-east-1", "example"})
BIGQUERY_PROJECTS = frozenset({"example-project", "acme-analytics"})
S3_BUCKETS = {"example-bucket": "us-east-1", "acme-data": "us-west-2"}
SANDBOX_SUFFIX = ".sandbox.test"


def _known(host: str, hosts: frozenset[str]) -> bool:
    return host in hosts or host.endswith(SANDBOX_SUFFIX)


def _no_such_host(host: str) -> str:
    return f"could not connect to {host}: no such host"


def _mongo_hosts(value: str) -> list[str]:
    """Host names in a ``hosts`` value: ``h1,h2:27017`` or a ``mongodb[+srv]://user:pw@h1,h2/db?opts`` string."""
    if "://" in value:
        value = value.split("://", 1)[1].rsplit("@", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    return [raw.strip().split(":")[0] for raw in value.split(",")]


def _probe_mongodb(config: dict[str, Any]) -> str | None:
    for host in _mongo_hosts(str(config.get("hosts", ""))):
        if not _known(host, MONGO_HOSTS):
            return _no_such_host(host)
    return None


def _probe_postgresql(config: dict[str, Any]) -> str | None:
    host = config.get("hostname", "")
    if not _known(host, POSTGRES_HOSTS):
        return _no_such_host(host)
    if not host.endswith(SANDBOX_SUFFIX) and config.get("database") not in POSTGRES_DATABASES:
        return f'could not connect to {host}: database "{config.get("database")}" does not exist'
    return None


def _probe_snowflake(config: dict[str, Any]) -> str | None:
    account = config.get("account", "")
    return None if _known(account, SNOWFLAKE_ACCOUNTS) else _no_such_host(f"{account}.snowflakecomputing.com")


def bigquery_key(config: dict[str, Any]) -> dict[str, Any] | None:
    """Parse the service-account key JSON of a BigQuery configuration (None if absent or invalid)."""
    try:
        key = json.loads(config.get("service_account") or "")
    except ValueError:
        return None
    return key if isinstance(key, dict) and key.get("project_id") and key.get("client_email") else None


def _probe_bigquery(config: dict[str, Any]) -> str | None:
    if config.get("auth_method") != "service_account_key":
        return None
    project = config.get("override_project_id") or (bigquery_key(config) or {}).get("project_id", "")
    return None if project in BIGQUERY_PROJECTS else f'could not connect to BigQuery project "{project}": project not found'


def _probe_s3(config: dict[str, Any]) -> str | None:
    bucket, region = config.get("s3_bucket_name", ""), config.get("s3_bucket_region", "")
    if bucket not in S3_BUCKETS:
        return f"could not connect to s3://{bucket}: no such bucket"
    if S3_BUCKETS[bucket] != region:
        return f"could not connect to s3://{bucket}: bucket is in region {S3_BUCKETS[bucket]}, not {region}"
    return None


def _probe_salesforce(config: dict[str, Any]) -> str | None:
    domain = config.get("domain", "")
    return None if domain.endswith(("salesforce.com", "force.com", SANDBOX_SUFFIX)) else _no_such_host(domain)


_PROBES = {
    "mongodb": _probe_mongodb,
    "postgresql": _probe_postgresql,
    "mysql": lambda c: None if _known(c.get("hostname", ""), MYSQL_HOSTS) else _no_such_host(c.get("hostname", "")),
    "snowflake": _probe_snowflake,
    "bigquery": _probe_bigquery,
    "s3": _probe_s3,
    "salesforce": _probe_salesforce,
}


def probe(type_id: str, config: dict[str, Any]) -> str | None:
    """Try to reach the upstream system; return why it failed, or None when reachable."""
    check = _PROBES.get(type_id)
    return check(config) if check else None


def known_hosts() -> dict[str, list[str]]:
    """List the hosts/accounts each type can reach (for the demo banner and docs)."""
    return {
        "mongodb": sorted(MONGO_HOSTS),
        "postgresql": sorted(POSTGRES_HOSTS),
        "mysql": sorted(MYSQL_HOSTS),
        "snowflake": sorted(SNOWFLAKE_ACCOUNTS),
        "bigquery": sorted(BIGQUERY_PROJECTS),
        "s3": sorted(S3_BUCKETS),
        "salesforce": ["*.my.salesforce.com"],
    }
