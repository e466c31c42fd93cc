"""Connection types the sandbox offers and their configuration JSON Schemas, written by hand from CONNECTION_TYPES.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
LOGO_BASE = "https://connect-assets.polytomic.com/logos"


def _prop(kind: str, title: str | None = None, **flags: Any) -> dict[str, Any]:
    """Build one schema property; ``read_only=True`` becomes the JSON Schema ``readOnly`` keyword."""
    prop: dict[str, Any] = {"type": kind}
    if title is not None:
        prop["title"] = title
    if flags.pop("read_only", False):
        prop["readOnly"] = True
    prop.update(flags)
    return prop


def _string(title: str | None = None, **flags: Any) -> dict[str, Any]:
    return _prop("string", title, **flags)


def _bool(title: str, **flags: Any) -> dict[str, Any]:
    return _prop("boolean", title, **flags)


def _int(title: str, **flags: Any) -> dict[str, Any]:
    return _prop("integer", title, **flags)


def _object(title: str | None, properties: dict[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if title is not None:
        obj["title"] = title
    return obj


def _labelled(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    """Build an enum in the ``[{"value", "label"}]`` form some real schemas use."""
    return [{"value": value, "label": label} for value, label in pairs]


def _array_of(title: str, items: dict[str, Any], **flags: Any) -> dict[str, Any]:
    return {"type": "array", "title": title, "items": items, **flags}


def _name_value() -> dict[str, Any]:
    return _object(None, {"name": _string("Name"), "value": _string("Value")})


def _schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {"$schema": SCHEMA_DRAFT, "type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _secret(title: str | None = None, **flags: Any) -> dict[str, Any]:
    return _string(title, sensitive=True, **flags)


def _api_only_secret() -> dict[str, Any]:
    return _string(None, api_field=True, hidden=True, sensitive=True)


def _ssh_properties() -> dict[str, Any]:
    return {
        "ssh": _bool("Connect over SSH tunnel"),
        "ssh_user": _string("SSH user", default="root"),
        "ssh_host": _string("SSH host"),
        "ssh_port": _int("SSH port", default=22),
        "ssh_private_key": _secret("Private key", widget="textarea"),
    }


MONGODB = _schema(
    {
        "hosts": _string("Hostname(s)", examples=["mongodb.example.net"]),
        "username": _string("Username", examples=["admin"]),
        "password": _secret("Password", password=True),
        "database": _string("Auth Database"),
        "ssl": _bool("Use TLS/SSL", default=True),
        "srv": _bool("Connect using SRV record?"),
        "params": _string("Additional Parameters", description="Additional connection parameters, formatted as a query string"),
        "change_detection": _bool("Use change stream for bulk syncs", default=False),
    },
    ["hosts"],
)

SALESFORCE = _schema(
    {
        "domain": _string("Domain", description="The Salesforce instance's login domain, e.g. acmecorp.my.salesforce.com"),
        "connect_mode": _string(
            "Authentication method", enum=["browser", "clientcredentials", "code", "api"], default="browser", api_field=True
        ),
        "client_id": _secret("Client ID"),
        "client_secret": _secret("Client secret"),
        "username": _string("Salesforce user", read_only=True),
        "oauth_refresh_token": _api_only_secret(),
        "oauth_token_expiry": _string(None, read_only=True, hidden=True),
        "instance_url_override": _string("Instance URL override", read_only=True),
        "enforce_api_limits": _bool("Enforce API limits"),
        "daily_api_calls": _int("Daily call limit"),
        "enable_tooling": _bool("Enable support for Tooling API"),
        "enable_multicurrency_lookup": _bool("Enable multicurrency source field support"),
    },
    ["domain", "connect_mode"],
)

POSTGRESQL = _schema(
    {
        "hostname": _string("Hostname", examples=["database.example.com"]),
        "username": _string("Username"),
        "password": _secret("Password", password=True),
        "database": _string("Database"),
        "port": _int("Port", default=5432),
        "ssl": _bool("Use SSL", default=True),
        **_ssh_properties(),
        "client_certs": _bool("Use client certificates", default=False),
        "client_certificate": _secret("Client certificate", widget="textarea"),
        "client_key": _secret("Client key", widget="textarea"),
        "ca_cert": _secret("CA certificate", widget="textarea"),
        "change_detection": _bool("Use logical replication for bulk syncs", default=False),
        "publication": _string("Publication"),
    },
    ["hostname", "username", "password", "database", "port"],
)

SNOWFLAKE = _schema(
    {
        "account": _string("Account identifier", examples=["uc193736182.us-east-1"]),
        "username": _string("Username"),
        "password": _secret("Password", password=True),
        "dbname": _string("Database"),
        "warehouse": _string("Compute warehouse (optional)"),
        "params": _string("Additional parameters (optional)"),
        "key_pair_auth": _bool("Use key pair authentication ", default=False),
        "private_key": _secret("Private key", widget="textarea"),
        "private_key_passphrase": _secret("Private key passphrase (optional)"),
        "use_bulk_sync_staging_schema": _bool("Use custom bulk sync staging schema", default=False),
        "bulk_sync_staging_schema": _string("Staging schema name"),
    },
    ["account", "username", "dbname"],
)

BIGQUERY = _schema(
    {
        "auth_method": _string(
            "Authentication method",
            enum=_labelled(
                ("service_account_key", "Service account key"),
                ("workload_identity_federation", "Workload Identity Federation"),
                ("application_default_credentials", "Application Default Credentials"),
            ),
            default="service_account_key",
        ),
        "project_id": _string("Service account project ID", read_only=True),
        "client_email": _string("Service account identity", read_only=True),
        "service_account": _secret("Service account key", widget="file"),
        "override_project_id": _string("Override project ID (optional)"),
        "wif_project_id": _string("Google Cloud project ID"),
        "credential_config": _secret("Credential configuration", widget="textarea"),
        "location": _string("Location (optional)"),
        "structured_values_as_json": _bool("Write object and array values as JSON", default=False),
        "use_extract": _bool("Use extract for bulk sync from BigQuery"),
        "bucket": _string("Google Cloud Storage bucket"),
        "use_bulk_sync_staging_schema": _bool("Use custom bulk sync staging schema", default=False),
        "bulk_sync_staging_schema": _string("Staging schema name"),
    },
    ["auth_method"],
)

HUBSPOT = _schema(
    {
        "oauth_refresh_token": _api_only_secret(),
        "hub_user": _string("HubSpot user", read_only=True),
        "hub_domain": _string("HubSpot domain", read_only=True),
        "client_id": _api_only_secret(),
        "client_secret": _api_only_secret(),
        "include_static_list_support": _bool("Enable segment (list) support"),
        "use_search_api": _bool("Use HubSpot incremental API for bulk syncs", default=True),
    },
    [],
)

MYSQL = _schema(
    {
        "hostname": _string("Hostname"),
        "account": _string("Username"),
        "passwd": _secret("Password", password=True),
        "dbname": _string("Database (optional)"),
        "port": _int("Port", default=3306),
        "ssl": _bool("Use SSL", default=True),
        **_ssh_properties(),
        "change_detection": _bool("Use replication for bulk syncs", default=False),
    },
    ["hostname", "account", "passwd", "port"],
)

_FILE_FORMATS = _labelled(("csv", "CSV"), ("json", "JSON"), ("parquet", "Parquet"))

S3 = _schema(
    {
        "auth_mode": _string(
            "Authentication Method",
            enum=_labelled(("access_key_and_secret", "Access Key and Secret"), ("iam_role", "IAM role")),
            default="access_key_and_secret",
        ),
        "aws_access_key_id": _string("AWS Access Key ID"),
        "aws_secret_access_key": _secret("AWS Secret Access Key"),
        "aws_user": _string("User ARN", read_only=True),
        "iam_role_arn": _string("IAM Role ARN"),
        "external_id": _string("External ID", read_only=True),
        "s3_bucket_region": _string("S3 Bucket Region", examples=["us-east-1"]),
        "s3_bucket_name": _string("S3 Bucket Name"),
        "enable_event_notifications": _bool("Enable event notifications"),
        "event_queue_arn": _string("Event Queue ARN"),
        "csv_has_headers": _bool("CSV files have headers", default=True),
        "is_single_table": _bool("Files are time-based snapshots", default=False),
        "is_directory_snapshot": _bool("Multi-directory multi-table", default=False),
        "directory_glob_pattern": _string("Tables glob path"),
        "single_table_name": _string("Collection name"),
        "single_table_file_format": _string("File format", enum=_FILE_FORMATS, default="csv"),
        "single_table_file_formats": _array_of("File formats", {"type": "string"}, default=["[csv]"]),
        "skip_lines": _int("Skip first lines", default=0),
    },
    ["auth_mode", "s3_bucket_region", "s3_bucket_name"],
)

WEBHOOK = _schema(
    {
        "url": _string("Webhook URL", examples=["https://example.com/webhook"]),
        "auth_method": _string(
            "Authentication method",
            enum=_labelled(
                ("polytomic_secret", "Polytomic secret"),
                ("basic", "Basic authentication"),
                ("header", "Custom header"),
                ("query", "Query string key"),
                ("oauth_client_credentials", "OAuth client credentials"),
            ),
            default="polytomic_secret",
        ),
        "secret": _secret("Secret", read_only=True),
        "basic": _object("Basic authentication", {"username": _string("Username"), "password": _string("Password")}),
        "header": _object("Header", {"name": _string("Name"), "value": _string("Value")}),
        "query": _array_of("Query string authentication parameters", _name_value()),
        "oauth": _object(
            "OAuth client credentials",
            {
                "client_id": _string("Client ID"),
                "client_secret": _string("Client secret"),
                "token_endpoint": _string("Token endpoint"),
                "extra_form_data": _array_of("Extra form data", _name_value()),
                "scopes": _array_of("Scopes", {"type": "string"}),
                "auth_style": _int("Auth style"),
            },
        ),
        "headers": _array_of("Additional headers", _name_value()),
    },
    ["url", "auth_method"],
)


@dataclass(frozen=True)
class ConnectionType:
    """One connection type: its listing metadata, JSON Schema and how the world treats it."""

    id: str
    name: str
    schema: dict[str, Any]
    use_oauth: bool = False
    source: bool = False
    destination: bool = False
    operations: tuple[str, ...] = ()

    @property
    def logo_url(self) -> str:
        """Return the logo URL the listing advertises."""
        return f"{LOGO_BASE}/{self.id}.svg"

    def capabilities(self) -> dict[str, bool]:
        """Return the ``capabilities`` object of the type listing."""
        return {
            "source": self.source,
            "destination": self.destination,
            "enrichment": False,
            "logging": False,
            "orchestration": False,
        }

    def initial_configuration(self) -> dict[str, Any]:
        """Return the schema defaults, which the listing calls ``initialConfiguration``."""
        props = self.schema.get("properties", {})
        return {name: prop["default"] for name, prop in props.items() if "default" in prop and not prop.get("readOnly")}

    def listing(self, version: str) -> dict[str, Any]:
        """Render the ``GET /api/connection_types`` item (camelCase keys as on the wire)."""
        item: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "use_oauth": self.use_oauth,
            "logo_url": self.logo_url,
        }
        if version >= "2025-09-18":
            item["logo_dark_url"] = f"{LOGO_BASE}/dark/{self.id}.svg"
        item.update(
            capabilities=self.capabilities(),
            configurationForm={"jsonschema": self.schema, "uischema": {}},
            initialConfiguration=self.initial_configuration(),
            envConfig={},
            oauth_prompt=None,
        )
        return item

    def type_ref(self) -> dict[str, Any]:
        """Render the short ``type`` object embedded in connection responses."""
        return {"id": self.id, "name": self.name, "logo_url": self.logo_url, "operations": list(self.operations)}


_SQL_OPS = ("FIELDSETQUERY", "IsTruncatable", "SupportsSQL", "TARGET", "TargetCreator", "BulkSyncSource")

CONNECTION_TYPES: dict[str, ConnectionType] = {
    t.id: t
    for t in (
        ConnectionType("mongodb", "MongoDB", MONGODB, source=True, operations=("FIELDSETQUERY", "BulkSyncSource")),
        ConnectionType(
            "salesforce",
            "Salesforce",
            SALESFORCE,
            use_oauth=True,
            source=True,
            destination=True,
            operations=("FIELDSETQUERY", "TARGET", "Filters", "IdentityFunctions", "SupportsSQL", "BulkSyncSource", "PolytomicConnection"),
        ),
        ConnectionType("postgresql", "PostgreSQL", POSTGRESQL, source=True, destination=True, operations=_SQL_OPS),
        ConnectionType("snowflake", "Snowflake", SNOWFLAKE, source=True, destination=True, operations=_SQL_OPS),
        ConnectionType("bigquery", "Google BigQuery", BIGQUERY, source=True, destination=True, operations=_SQL_OPS),
        ConnectionType(
            "hubspot",
            "HubSpot",
            HUBSPOT,
            use_oauth=True,
            source=True,
            destination=True,
            operations=("FIELDSETQUERY", "TARGET", "Filters", "IdentityFunctions", "BulkSyncSource"),
        ),
        ConnectionType("mysql", "MySQL", MYSQL, source=True, destination=True, operations=_SQL_OPS),
        ConnectionType("s3", "S3", S3, source=True, operations=("FIELDSETQUERY", "BulkSyncSource")),
        ConnectionType("webhook", "Webhook", WEBHOOK, destination=True, operations=("TARGET",)),
    )
}


def get_type(type_id: str) -> ConnectionType | None:
    """Return the connection type with slug ``type_id``, or None."""
    return CONNECTION_TYPES.get(type_id)

