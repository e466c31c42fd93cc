"""The concrete simulated upstream systems (MongoDB, SQL databases, Salesforce, HubSpot, S3, webhooks) built from world_data."""

from __future__ import annotations

from typing import Any

from . import world_data as data
from .upstream import CreationProperty, SourceField, SourceObject, System, TargetField, TargetObject, modes

_PEOPLE_COLUMNS = (
    ("email", "string"),
    ("first_name", "string"),
    ("last_name", "string"),
    ("phone", "string"),
    ("company", "string"),
    ("plan", "string"),
    ("country", "string"),
    ("is_active", "boolean"),
    ("lifetime_value", "number"),
    ("created_at", "datetime"),
    ("updated_at", "datetime"),
)
_NATIVE_TYPES = {
    "mongo": {"string": "string", "integer": "int", "number": "double", "boolean": "bool", "datetime": "date", "id": "objectId"},
    "postgresql": {"string": "character varying", "integer": "integer", "number": "numeric", "boolean": "boolean", "datetime": "timestamp with time zone"},
    "mysql": {"string": "varchar", "integer": "int", "number": "decimal", "boolean": "tinyint", "datetime": "datetime"},
    "snowflake": {"string": "VARCHAR", "integer": "NUMBER", "number": "FLOAT", "boolean": "BOOLEAN", "datetime": "TIMESTAMP_TZ"},
    "bigquery": {"string": "STRING", "integer": "INT64", "number": "FLOAT64", "boolean": "BOOL", "datetime": "TIMESTAMP"},
    "files": {"string": "string", "integer": "string", "number": "string", "boolean": "string", "datetime": "string"},
}


def _oid(prefix: str, index: int) -> str:
    return f"{prefix}{index:04x}"


def _dataset(flavor: str) -> dict[str, SourceObject]:
    """Build the users/accounts/orders/events datasets with ``flavor``'s id column and native types."""
    native = _NATIVE_TYPES[flavor]
    mongo = flavor == "mongo"
    id_name = "_id" if mongo else "id"
    id_type = "string" if mongo else "integer"

    def key(prefix: str, index: int) -> Any:
        """Return the id of record ``index``: an ObjectId-like hex string for Mongo, 1-based integers for SQL."""
        return _oid(prefix, index) if mongo else index + 1

    def fields(columns: tuple[tuple[str, str], ...], refs: tuple[str, ...] = ()) -> tuple[SourceField, ...]:
        """Return the id field, then reference ids, then the plain columns."""
        first = SourceField(id_name, id_type, native["id"] if mongo else native["integer"], unique=True)
        ref_fields = tuple(SourceField(r, id_type, native["id"] if mongo else native["integer"]) for r in refs)
        return (first, *ref_fields, *(SourceField(n, t, native[t], unique=(n == "email")) for n, t in columns))

    users = tuple(
        {id_name: key("65a1f0c2e4b0a1b2c3d4", i), "account_id": key("64f0a9b1c2d3e4f5a6b7", p["account"]), **{c: p[c] for c, _ in _PEOPLE_COLUMNS}}
        for i, p in enumerate(data.PEOPLE)
    )
    accounts = tuple({id_name: key("64f0a9b1c2d3e4f5a6b7", i), **a} for i, a in enumerate(data.ACCOUNTS))
    orders = tuple(
        {id_name: key("66b2c3d4e5f6a7b8c9d0", i), "user_id": key("65a1f0c2e4b0a1b2c3d4", o["person"]), **{k: v for k, v in o.items() if k != "person"}}
        for i, o in enumerate(data.ORDERS)
    )
    events = tuple(
        {id_name: key("67c3d4e5f6a7b8c9d0e1", i), "user_id": key("65a1f0c2e4b0a1b2c3d4", e["person"]), **{k: v for k, v in e.items() if k != "person"}}
        for i, e in enumerate(data.EVENTS)
    )
    account_columns = (
        ("name", "string"), ("domain", "string"), ("industry", "string"),
        ("employees", "integer"), ("annual_revenue", "number"), ("created_at", "datetime"),
    )
    order_columns = (("order_number", "string"), ("status", "string"), ("total", "number"), ("currency", "string"), ("created_at", "datetime"))
    event_columns = (("event", "string"), ("source", "string"), ("occurred_at", "datetime"))
    counts = data.ROW_COUNTS
    return {
        "users": SourceObject("users", fields(_PEOPLE_COLUMNS, ("account_id",)), users, counts["users"]),
        "accounts": SourceObject("accounts", fields(account_columns), accounts, counts["accounts"]),
        "orders": SourceObject("orders", fields(order_columns, ("user_id",)), orders, counts["orders"]),
        "events": SourceObject("events", fields(event_columns, ("user_id",)), events, counts["events"]),
    }


def _renamed(obj: SourceObject, name: str) -> SourceObject:
    return SourceObject(name, obj.fields, obj.records, obj.row_count)


def _table_target(obj: SourceObject) -> TargetObject:
    fields = tuple(
        TargetField(f.name, f.name, f.type, f.remote_type, identity_functions=("Equality",) if f.type != "boolean" else ())
        for f in obj.fields
    )
    return TargetObject(obj.name, obj.name, fields, modes("create", "update", "updateOrCreate", "replace", "append"))


_SQL_SCHEMAS = {
    "postgresql": ("public", ("public", "analytics")),
    "mysql": ("acme", ("acme", "analytics")),
    "snowflake": ("PUBLIC", ("PUBLIC", "ANALYTICS")),
    "bigquery": ("analytics", ("analytics", "staging")),
}
_SQL_FLAGS = {"supports_field_creation": True, "supports_identity_field_creation": True, "supports_field_type_selection": True}


def sql_system(flavor: str) -> System:
    """Build a warehouse/database with users, accounts and orders tables, usable as source and destination."""
    schema, schemas = _SQL_SCHEMAS[flavor]
    upper = flavor == "snowflake"
    tables = {}
    for name, obj in _dataset(flavor).items():
        if name == "events":
            continue
        qualified = f"{schema}.{name.upper() if upper else name}"
        tables[qualified] = _renamed(obj, qualified)
    schema_title = "Dataset" if flavor == "bigquery" else "Schema"
    return System(
        source_kind="sql",
        tables=tables,
        targets={k: _table_target(t) for k, t in tables.items()},
        creation=(CreationProperty("schema", schema_title, schemas), CreationProperty("table", "Table name")),
        flags=dict(_SQL_FLAGS),
        native_types=dict(_NATIVE_TYPES[flavor]),
        sql_dialect=flavor,
    )


def mongo_system() -> System:
    """Build the MongoDB deployment: databases ``example`` and ``acme`` (users, accounts, orders, events) and ``analytics``."""
    dataset = _dataset("mongo")
    return System(source_kind="mongo", databases={"example": dict(dataset), "acme": dict(dataset), "analytics": {"events": dataset["events"]}})


def files_system() -> System:
    """Build the S3 bucket: CSV/JSON files whose columns all read as strings."""
    dataset = _dataset("files")
    files = {"users.csv": dataset["users"], "orders.csv": dataset["orders"], "events.json": dataset["events"]}
    return System(source_kind="files", tables={k: _renamed(v, k) for k, v in files.items()})


def _crm_objects(definitions: tuple[tuple[Any, ...], ...]) -> dict[str, TargetObject]:
    return {
        obj_id: TargetObject(obj_id, name, tuple(TargetField(**f) for f in fields), modes(*mode_ids))
        for obj_id, name, fields, mode_ids in definitions
    }


def _crm_source(target: TargetObject, records: tuple[dict[str, Any], ...], row_count: int) -> SourceObject:
    fields = tuple(SourceField(f.id, f.type, f.source_type, f.name, unique=(f.source_type == "id" or f.id == "hs_object_id")) for f in target.fields)
    return SourceObject(target.id, fields, records, row_count)


def salesforce_id(prefix: str, index: int) -> str:
    """The 18-character id of the ``index``-th record of an object whose ids start with ``prefix`` (``001``, ``003``)."""
    tag = {"001": "Acc", "003": "Con"}[prefix]
    return f"{prefix}5g00000{tag}{index:03d}AA"


def _salesforce_records() -> dict[str, tuple[dict[str, Any], ...]]:
    accounts = tuple(
        {"Id": salesforce_id("001", i), "Name": a["name"], "Website": f"https://www.{a['domain']}", "Industry": a["industry"],
         "NumberOfEmployees": a["employees"], "AnnualRevenue": a["annual_revenue"], "Phone": None, "BillingCountry": None,
         "External_Id__c": f"acct_{i + 1}"}
        for i, a in enumerate(data.ACCOUNTS)
    )
    contacts = tuple(
        {"Id": salesforce_id("003", i), "Email": p["email"], "FirstName": p["first_name"], "LastName": p["last_name"],
         "Phone": p["phone"], "Title": None, "AccountId": salesforce_id("001", p["account"]), "LeadSource": "Web",
         "MailingCountry": p["country"], "Lifetime_Value__c": p["lifetime_value"],
         "Customer_Tier__c": p["plan"].title(), "External_Id__c": f"u_{i + 1}"}
        for i, p in enumerate(data.PEOPLE)
    )
    return {"Contact": contacts, "Account": accounts}


def _hubspot_records() -> dict[str, tuple[dict[str, Any], ...]]:
    contacts = tuple(
        {"hs_object_id": str(51 + i), "email": p["email"], "firstname": p["first_name"], "lastname": p["last_name"],
         "phone": p["phone"], "company": p["company"], "lifecyclestage": "customer" if p["plan"] != "free" else "lead",
         "hs_additional_emails": None}
        for i, p in enumerate(data.PEOPLE)
    )
    companies = tuple(
        {"hs_object_id": str(9001 + i), "domain": a["domain"], "name": a["name"], "industry": a["industry"],
         "numberofemployees": a["employees"], "annualrevenue": a["annual_revenue"]}
        for i, a in enumerate(data.ACCOUNTS)
    )
    return {"contacts": contacts, "companies": companies}


def crm_system(
    vendor: str, definitions: tuple[tuple[Any, ...], ...], records: dict[str, tuple[dict[str, Any], ...]], flags: dict[str, Any],
) -> System:
    """Build a CRM whose objects are both readable (models) and writable (syncs)."""
    targets = _crm_objects(definitions)
    sources = {k: _crm_source(t, records.get(k, ()), 1200 if records.get(k) else 50) for k, t in targets.items()}
    return System(source_kind="crm", tables=sources, targets=targets, flags=flags, vendor=vendor)


def webhook_system() -> System:
    """Build the webhook destination: one free-form target whose fields are created by the mappings."""
    target = TargetObject("webhook", "Webhook", (), modes("create"))
    return System(targets={"webhook": target}, flags={"supports_field_creation": True})


_CRM_FLAGS = {"supports_multiple_identities": True, "supports_target_filters": True}
_SYSTEM_BUILDERS = {
    "mongodb": mongo_system,
    "postgresql": lambda: sql_system("postgresql"),
    "mysql": lambda: sql_system("mysql"),
    "snowflake": lambda: sql_system("snowflake"),
    "bigquery": lambda: sql_system("bigquery"),
    "salesforce": lambda: crm_system("salesforce", data.SALESFORCE_OBJECTS, _salesforce_records(), _CRM_FLAGS),
    "hubspot": lambda: crm_system("hubspot", data.HUBSPOT_OBJECTS, _hubspot_records(), _CRM_FLAGS),
    "s3": files_system,
    "webhook": webhook_system,
}
_SYSTEMS: dict[str, System] = {}


def system_for(type_id: str) -> System:
    """Return the (shared, read-only) upstream system a connection of ``type_id`` reaches."""
    if type_id not in _SYSTEMS:
        _SYSTEMS[type_id] = _SYSTEM_BUILDERS[type_id]()
    return _SYSTEMS[type_id]
