"""The demo workspace's starting world: a company's connections, models, syncs and a week of runs, one sync failing.

Everything is stored through the workspace's seed helpers and every run is produced by the run engine on this data,
then moved back in time, so what the history shows is what running it again shows. The nightly sync
"Customers to Salesforce Contacts" reads ``public.crm_contacts``, a table the data team keeps by hand: five of its
twelve rows do not fit Salesforce (a pasted biography as a title, a tier Salesforce's restricted picklist lacks,
an account name and a deleted account's id where an Account id belongs, "n/a" as a lifetime value). Its first run
wrote the other seven; every night since, the five are retried and rejected, so its last run failed. Mapping
``AccountId`` from ``sfdc_account_id`` (the join on ``public.sfdc_accounts``) and cleaning the other three columns
in the model's query, then a full resync, rejects none.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import world_data as data
from .records import Execution, Model, Sync
from .seed_runs import backdate, backdate_bulk, backdate_object
from .upstream import SourceField, SourceObject
from .world import salesforce_id, system_for

if TYPE_CHECKING:
    from .seeding import SeededWorkspace

DAYS = 5
"""Nights of history the nightly syncs have."""
FAILING_SYNC = "Customers to Salesforce Contacts"

_TITLES = (
    "VP Engineering",
    "Head of Cryptanalysis. Previously led the team that broke the naval Enigma; now building general-purpose "
    "computing machines and thinking about whether they can think",
    "Director of Platform", "Lead Data Scientist", "Founder", "Head of Software Reliability", "CTO",
    "Principal Architect", "Research Engineer", "Network Architect", "Editor in Chief", "Compiler Lead",
)
_MESSY = {
    "grace.hopper@cobolworks.com": {"customer_tier": "Platinum"},
    "kjohnson@orbitalmath.org": {"account_ref": "Orbital Math"},
    "linus@kernelcraft.dev": {"account_ref": salesforce_id("001", 40)},
    "margaret@apolloguidance.com": {"lifetime_value": "n/a"},
}
"""Rows someone edited by hand (the long title above is the fifth)."""

CONTACTS_QUERY = (
    "SELECT c.id, c.email, c.first_name, c.last_name, c.title, c.customer_tier, c.lifetime_value, c.account_ref, m.sfdc_account_id "
    "FROM public.crm_contacts AS c LEFT JOIN public.sfdc_accounts AS m ON m.account_id = c.account_id"
)


def _crm_tables() -> dict[str, SourceObject]:
    """``public.crm_contacts`` (hand-kept, five rows that do not fit Salesforce) and ``public.sfdc_accounts``."""
    columns = (("id", "integer"), ("email", "string"), ("first_name", "string"), ("last_name", "string"), ("title", "string"),
               ("customer_tier", "string"), ("account_id", "integer"), ("account_ref", "string"), ("lifetime_value", "string"),
               ("updated_at", "datetime"))
    rows = tuple(
        {"id": i + 1, "email": p["email"], "first_name": p["first_name"], "last_name": p["last_name"], "title": _TITLES[i],
         "customer_tier": p["plan"].title(), "account_id": p["account"] + 1, "account_ref": salesforce_id("001", p["account"]),
         "lifetime_value": f"{p['lifetime_value']:.2f}", "updated_at": p["updated_at"], **_MESSY.get(p["email"], {})}
        for i, p in enumerate(data.PEOPLE)
    )
    accounts = tuple({"account_id": i + 1, "sfdc_account_id": salesforce_id("001", i)} for i in range(len(data.ACCOUNTS)))
    native = {"integer": "integer", "string": "character varying", "datetime": "timestamp with time zone"}

    def table(name: str, cols: tuple[tuple[str, str], ...], records: tuple[dict[str, Any], ...]) -> SourceObject:
        fields = tuple(SourceField(c, t, native[t], unique=(index == 0)) for index, (c, t) in enumerate(cols))
        return SourceObject(name, fields, records, len(records))

    return {
        "public.crm_contacts": table("public.crm_contacts", columns, rows),
        "public.sfdc_accounts": table("public.sfdc_accounts", (("account_id", "integer"), ("sfdc_account_id", "string")), accounts),
    }


def _scheduled(count: int, *, every: int = 24, hour: int = 0, minute: int = 0) -> list[float]:
    """Hours ago of the last ``count`` scheduled times (daily at ``hour``:``minute`` UTC, or hourly at ``minute``), oldest first."""
    now = datetime.now(UTC)
    slot = now.replace(hour=hour if every == 24 else now.hour, minute=minute, second=0, microsecond=0)
    since = (now - slot).total_seconds() / 3600 % every
    return [since + every * n for n in reversed(range(count))]


def _mapping(model: Model, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"source": {"model_id": model.id, "field": source}, "target": target} for source, target in pairs]


def _identity(model: Model, source: str, target: str, function: str = "Equality") -> dict[str, Any]:
    return {"mappings": [{"source": {"model_id": model.id, "field": source}, "target": target, "function": function}]}


def _history(ws: SeededWorkspace, sync: Sync, times: list[float]) -> list[Execution]:
    """Run the sync once per time (hours ago, oldest first), each run moved back to its time."""
    return [backdate(ws.run_sync(sync.id), hours_ago=hours) for hours in times]


def seed_demo(ws: SeededWorkspace) -> dict[str, Any]:
    """Store the demo world in ``ws``; returns its objects by role (``failing_sync``, ``failing_model``…)."""
    week = 24.0 * (DAYS + 2)
    product = ws.add_connection("Product DB", "postgresql", {
        "hostname": "prod-db.acme.example.com", "username": "polytomic", "password": "demo-pg-password", "database": "acme", "port": 5432})
    base = system_for("postgresql")
    ws.systems[product.id] = dataclasses.replace(base, tables={**base.tables, **_crm_tables()})
    events = ws.add_connection("App events", "mongodb", {
        "hosts": "cluster0.acme.mongodb.net", "username": "polytomic", "password": "demo-mongo-password", "srv": True})
    salesforce = ws.add_connection("Salesforce", "salesforce", {"domain": "acme.my.salesforce.com"})
    hubspot = ws.add_connection("HubSpot", "hubspot", {})
    snowflake = ws.add_connection("Snowflake", "snowflake", {
        "account": "acme-xy12345", "username": "loader", "password": "demo-snowflake-password", "dbname": "ANALYTICS"})

    accounts = ws.add_model("Accounts", product.id, {"table": "public.accounts"})
    signups = ws.add_model("Signups", events.id, {"database": "example", "collection": "users"})
    paid = ws.add_model("Paid orders", product.id, {
        "query": "SELECT id, user_id, order_number, total, currency, created_at FROM public.orders WHERE status = 'paid'"})
    contacts = ws.add_model("CRM contacts", product.id, {"query": CONTACTS_QUERY})

    account_sync = ws.add_sync(
        "Accounts to Salesforce", target={"connection_id": salesforce.id, "object": "Account"}, mode="updateOrCreate",
        fields=_mapping(accounts, [("name", "Name"), ("industry", "Industry"), ("employees", "NumberOfEmployees"),
                                   ("annual_revenue", "AnnualRevenue")]),
        identities=_identity(accounts, "domain", "Website", "DomainMatch"),
        schedule={"frequency": "daily", "hour": "3", "minute": "0"}, active=True)
    signup_sync = ws.add_sync(
        "Signups to HubSpot", target={"connection_id": hubspot.id, "object": "contacts"}, mode="create",
        fields=_mapping(signups, [("email", "email"), ("first_name", "firstname"), ("last_name", "lastname"), ("company", "company")]),
        schedule={"frequency": "hourly", "minute": "15"}, active=True)
    orders_sync = ws.add_sync(
        "Paid orders to Snowflake", target={"connection_id": snowflake.id, "object": "PUBLIC.ORDERS"}, mode="replace",
        fields=_mapping(paid, [(c, c) for c in ("id", "user_id", "order_number", "total", "currency", "created_at")]),
        schedule={"frequency": "daily", "hour": "4", "minute": "0"}, active=True)
    failing = ws.add_sync(
        FAILING_SYNC, target={"connection_id": salesforce.id, "object": "Contact"}, mode="updateOrCreate",
        fields=_mapping(contacts, [("first_name", "FirstName"), ("last_name", "LastName"), ("title", "Title"),
                                   ("customer_tier", "Customer_Tier__c"), ("account_ref", "AccountId"),
                                   ("lifetime_value", "Lifetime_Value__c")]),
        identities=_identity(contacts, "email", "Email"),
        schedule={"frequency": "daily", "hour": "2", "minute": "0"}, active=True)
    paused = ws.add_sync(
        "Trial users to Salesforce Leads", target={"connection_id": salesforce.id, "object": "Lead"}, mode="create",
        fields=_mapping(signups, [("email", "Email"), ("last_name", "LastName"), ("company", "Company")]), active=False)
    replica = ws.add_bulk_sync(
        "Salesforce replica", source_connection_id=salesforce.id, destination_connection_id=snowflake.id,
        destination_configuration={"schema": "SALESFORCE"}, mode="replicate", schemas=["Account", "Contact"],
        default_schedule={"frequency": "daily", "hour": "5", "minute": "0"}, active=True)

    for obj in (product, events, salesforce, hubspot, snowflake, accounts, signups, paid, contacts,
                account_sync, signup_sync, orders_sync, failing, paused, replica):
        backdate_object(obj, hours_ago=week)
    _history(ws, account_sync, _scheduled(DAYS, hour=3))
    _history(ws, signup_sync, _scheduled(6, every=1, minute=15))
    _history(ws, orders_sync, _scheduled(DAYS, hour=4))
    runs = _history(ws, failing, _scheduled(3, hour=2))
    for hours in _scheduled(3, hour=5):
        backdate_bulk(ws.run_bulk_sync(replica["id"]), hours_ago=hours)
    return {"failing_sync": failing, "failing_model": contacts, "failing_runs": runs[::-1], "salesforce": salesforce,
            "product_db": product}
