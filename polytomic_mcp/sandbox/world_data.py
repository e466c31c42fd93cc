"""Sample records and CRM object definitions the simulated upstream systems serve (plain data; the newest orders are dated from today)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def _days_ago(days: int, clock: str) -> str:
    """``days`` before today (UTC) at ``clock``: the newest orders stay recent whenever the sandbox runs, so date filters have rows to keep."""
    return f"{(datetime.now(UTC).date() - timedelta(days=days)).isoformat()}T{clock}Z"


PEOPLE: tuple[dict[str, Any], ...] = (
    {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@analyticalengines.com", "phone": "+44 20 7946 0101", "company": "Analytical Engines", "plan": "enterprise", "country": "GB", "is_active": True, "lifetime_value": 48250.0, "created_at": "2024-01-15T09:30:00Z", "updated_at": "2025-09-30T17:02:11Z", "account": 0},
    {"first_name": "Alan", "last_name": "Turing", "email": "alan@bletchley.io", "phone": "+44 1908 640404", "company": "Bletchley Labs", "plan": "pro", "country": "GB", "is_active": True, "lifetime_value": 12900.5, "created_at": "2024-02-03T14:12:45Z", "updated_at": "2025-09-28T08:45:00Z", "account": 1},
    {"first_name": "Grace", "last_name": "Hopper", "email": "grace.hopper@cobolworks.com", "phone": "+1 212 555 0147", "company": "COBOL Works", "plan": "enterprise", "country": "US", "is_active": True, "lifetime_value": 73110.0, "created_at": "2024-02-19T16:40:03Z", "updated_at": "2025-10-01T10:15:32Z", "account": 2},
    {"first_name": "Katherine", "last_name": "Johnson", "email": "kjohnson@orbitalmath.org", "phone": "+1 757 555 0193", "company": "Orbital Math", "plan": "pro", "country": "US", "is_active": True, "lifetime_value": 8820.0, "created_at": "2024-03-07T11:05:27Z", "updated_at": "2025-09-12T19:21:40Z", "account": 3},
    {"first_name": "Linus", "last_name": "Torvalds", "email": "linus@kernelcraft.dev", "phone": "+1 503 555 0112", "company": "Kernelcraft", "plan": "free", "country": "US", "is_active": False, "lifetime_value": 0.0, "created_at": "2024-03-22T08:59:12Z", "updated_at": "2025-06-02T07:30:00Z", "account": 4},
    {"first_name": "Margaret", "last_name": "Hamilton", "email": "margaret@apolloguidance.com", "phone": "+1 617 555 0166", "company": "Apollo Guidance", "plan": "enterprise", "country": "US", "is_active": True, "lifetime_value": 91400.75, "created_at": "2024-04-11T13:33:51Z", "updated_at": "2025-10-02T12:00:09Z", "account": 5},
    {"first_name": "Tim", "last_name": "Berners-Lee", "email": "timbl@webfoundry.net", "phone": "+41 22 555 0188", "company": "Web Foundry", "plan": "pro", "country": "CH", "is_active": True, "lifetime_value": 15675.0, "created_at": "2024-05-02T10:18:06Z", "updated_at": "2025-08-17T15:44:27Z", "account": 6},
    {"first_name": "Barbara", "last_name": "Liskov", "email": "barbara@substitution.systems", "phone": "+1 617 555 0134", "company": "Substitution Systems", "plan": "pro", "country": "US", "is_active": True, "lifetime_value": 22040.0, "created_at": "2024-05-28T17:26:44Z", "updated_at": "2025-09-05T09:09:09Z", "account": 7},
    {"first_name": "Edsger", "last_name": "Dijkstra", "email": "edsger@shortestpath.nl", "phone": "+31 40 555 0175", "company": "Shortest Path BV", "plan": "free", "country": "NL", "is_active": True, "lifetime_value": 0.0, "created_at": "2024-06-14T07:02:38Z", "updated_at": "2025-07-21T13:13:13Z", "account": 8},
    {"first_name": "Radia", "last_name": "Perlman", "email": "radia@spanningtree.net", "phone": "+1 425 555 0159", "company": "Spanning Tree Networks", "plan": "enterprise", "country": "US", "is_active": True, "lifetime_value": 60300.0, "created_at": "2024-07-09T12:47:19Z", "updated_at": "2025-09-29T22:10:55Z", "account": 9},
    {"first_name": "Donald", "last_name": "Knuth", "email": "don@taocp.org", "phone": None, "company": "TAOCP Press", "plan": "pro", "country": "US", "is_active": True, "lifetime_value": 4096.0, "created_at": "2024-08-01T15:15:15Z", "updated_at": "2025-05-10T18:00:00Z", "account": 10},
    {"first_name": "Frances", "last_name": "Allen", "email": "frances.allen@optimizing.dev", "phone": "+1 914 555 0121", "company": "Optimizing Compilers", "plan": "pro", "country": "US", "is_active": False, "lifetime_value": 3120.0, "created_at": "2024-08-23T09:41:07Z", "updated_at": "2025-04-04T11:11:11Z", "account": 11},
)

ACCOUNTS: tuple[dict[str, Any], ...] = (
    {"name": "Analytical Engines", "domain": "analyticalengines.com", "industry": "Manufacturing", "employees": 240, "annual_revenue": 38000000.0, "created_at": "2023-11-02T10:00:00Z"},
    {"name": "Bletchley Labs", "domain": "bletchley.io", "industry": "Security", "employees": 85, "annual_revenue": 12500000.0, "created_at": "2023-12-14T09:12:00Z"},
    {"name": "COBOL Works", "domain": "cobolworks.com", "industry": "Financial Services", "employees": 1200, "annual_revenue": 410000000.0, "created_at": "2024-01-08T15:30:00Z"},
    {"name": "Orbital Math", "domain": "orbitalmath.org", "industry": "Aerospace", "employees": 60, "annual_revenue": 7200000.0, "created_at": "2024-02-20T08:45:00Z"},
    {"name": "Kernelcraft", "domain": "kernelcraft.dev", "industry": "Software", "employees": 12, "annual_revenue": 900000.0, "created_at": "2024-03-01T12:00:00Z"},
    {"name": "Apollo Guidance", "domain": "apolloguidance.com", "industry": "Aerospace", "employees": 3400, "annual_revenue": 1250000000.0, "created_at": "2024-03-18T16:20:00Z"},
    {"name": "Web Foundry", "domain": "webfoundry.net", "industry": "Internet", "employees": 150, "annual_revenue": 21000000.0, "created_at": "2024-04-25T11:11:00Z"},
    {"name": "Substitution Systems", "domain": "substitution.systems", "industry": "Software", "employees": 95, "annual_revenue": 15400000.0, "created_at": "2024-05-13T13:37:00Z"},
    {"name": "Shortest Path BV", "domain": "shortestpath.nl", "industry": "Logistics", "employees": 40, "annual_revenue": 5600000.0, "created_at": "2024-06-03T07:00:00Z"},
    {"name": "Spanning Tree Networks", "domain": "spanningtree.net", "industry": "Telecommunications", "employees": 780, "annual_revenue": 96000000.0, "created_at": "2024-06-30T18:05:00Z"},
    {"name": "TAOCP Press", "domain": "taocp.org", "industry": "Publishing", "employees": 8, "annual_revenue": 650000.0, "created_at": "2024-07-22T10:10:00Z"},
    {"name": "Optimizing Compilers", "domain": "optimizing.dev", "industry": "Software", "employees": 33, "annual_revenue": 2900000.0, "created_at": "2024-08-11T14:14:00Z"},
)

ORDERS: tuple[dict[str, Any], ...] = (
    {"person": 0, "order_number": "SO-10421", "status": "paid", "total": 1299.0, "currency": "USD", "created_at": "2025-09-01T10:22:13Z"},
    {"person": 2, "order_number": "SO-10422", "status": "paid", "total": 8450.5, "currency": "USD", "created_at": "2025-09-02T12:05:41Z"},
    {"person": 1, "order_number": "SO-10423", "status": "refunded", "total": 249.0, "currency": "GBP", "created_at": "2025-09-03T09:17:00Z"},
    {"person": 5, "order_number": "SO-10424", "status": "paid", "total": 15999.0, "currency": "USD", "created_at": "2025-09-05T16:48:27Z"},
    {"person": 6, "order_number": "SO-10425", "status": "pending", "total": 499.0, "currency": "CHF", "created_at": "2025-09-08T08:30:02Z"},
    {"person": 9, "order_number": "SO-10426", "status": "paid", "total": 3320.0, "currency": "USD", "created_at": "2025-09-11T19:02:55Z"},
    {"person": 3, "order_number": "SO-10427", "status": "paid", "total": 780.25, "currency": "USD", "created_at": "2025-09-15T13:44:10Z"},
    {"person": 7, "order_number": "SO-10428", "status": "cancelled", "total": 1200.0, "currency": "USD", "created_at": _days_ago(20, "07:12:36")},
    {"person": 0, "order_number": "SO-10429", "status": "paid", "total": 2150.0, "currency": "USD", "created_at": _days_ago(9, "11:59:59")},
    {"person": 10, "order_number": "SO-10430", "status": "paid", "total": 64.0, "currency": "USD", "created_at": _days_ago(2, "21:20:00")},
)

EVENTS: tuple[dict[str, Any], ...] = (
    {"person": 0, "event": "signed_in", "source": "web", "occurred_at": "2025-10-01T08:01:12Z"},
    {"person": 0, "event": "report_exported", "source": "web", "occurred_at": "2025-10-01T08:15:40Z"},
    {"person": 1, "event": "signed_in", "source": "ios", "occurred_at": "2025-10-01T09:02:03Z"},
    {"person": 2, "event": "plan_upgraded", "source": "web", "occurred_at": "2025-10-01T09:30:00Z"},
    {"person": 5, "event": "signed_in", "source": "android", "occurred_at": "2025-10-01T10:45:21Z"},
    {"person": 5, "event": "invite_sent", "source": "web", "occurred_at": "2025-10-01T10:47:09Z"},
    {"person": 6, "event": "signed_in", "source": "web", "occurred_at": "2025-10-01T11:11:11Z"},
    {"person": 9, "event": "api_key_created", "source": "api", "occurred_at": "2025-10-01T12:00:42Z"},
    {"person": 3, "event": "signed_in", "source": "web", "occurred_at": "2025-10-01T13:03:30Z"},
    {"person": 7, "event": "dashboard_viewed", "source": "web", "occurred_at": "2025-10-01T14:20:18Z"},
)

ROW_COUNTS = {"users": 1200, "accounts": 140, "orders": 5400, "events": 25000}

# CRM objects: (id, name, fields, modes). A field is the keyword arguments of ``upstream.TargetField``; a picklist's
# values are (value, label) pairs. Lengths and picklists are those of a standard Salesforce org and HubSpot portal.


def _sf(id_: str, label: str, type_: str = "string", source_type: str = "string", **kw: Any) -> dict[str, Any]:
    identity = kw.pop("identity", ())
    return {"id": id_, "name": label, "type": type_, "source_type": source_type, "identity_functions": identity, **kw}


def _picks(*values: str) -> tuple[tuple[str, str], ...]:
    """Picklist options whose value is also their label (Salesforce's usual case)."""
    return tuple((v, v) for v in values)


def _ref(id_: str, label: str, *objects: str) -> dict[str, Any]:
    """A lookup field: it holds the id of a record of one of ``objects``."""
    return _sf(id_, label, source_type="reference", association=True, reference_to=objects)


_ID = _sf("Id", "Record ID", source_type="id", createable=False, updateable=False, identity=("Equality",))
_EMAIL_IDENTITY = ("Equality", "ISubstring")
_EXTERNAL_ID = _sf("External_Id__c", "External ID", identity=("Equality",), max_length=255)
_LEAD_SOURCES = _picks("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
_INDUSTRIES = _picks(
    "Aerospace", "Banking", "Education", "Financial Services", "Healthcare", "Internet", "Logistics", "Manufacturing",
    "Publishing", "Retail", "Security", "Software", "Telecommunications", "Other",
)

SALESFORCE_OBJECTS: tuple[tuple[Any, ...], ...] = (
    (
        "Contact",
        "Contact",
        (
            _ID,
            _sf("Email", "Email", source_type="email", identity=_EMAIL_IDENTITY, max_length=80),
            _sf("FirstName", "First Name", max_length=40),
            _sf("LastName", "Last Name", required=True, max_length=80),
            _sf("Phone", "Business Phone", source_type="phone", max_length=40),
            _sf("Title", "Title", max_length=128),
            _ref("AccountId", "Account ID", "Account"),
            _sf("LeadSource", "Lead Source", source_type="picklist", values=_LEAD_SOURCES),
            _sf("MailingCountry", "Mailing Country", max_length=80),
            _sf("Lifetime_Value__c", "Lifetime Value", "number", "currency"),
            _sf("Customer_Tier__c", "Customer Tier", source_type="picklist", values=_picks("Free", "Pro", "Enterprise"), restricted=True),
            _EXTERNAL_ID,
        ),
        ("create", "update", "updateOrCreate", "remove"),
    ),
    (
        "Lead",
        "Lead",
        (
            _ID,
            _sf("Email", "Email", source_type="email", identity=_EMAIL_IDENTITY, max_length=80),
            _sf("FirstName", "First Name", max_length=40),
            _sf("LastName", "Last Name", required=True, max_length=80),
            _sf("Company", "Company", required=True, max_length=255),
            _sf("Status", "Lead Status", source_type="picklist",
                values=_picks("Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted")),
            _sf("LeadSource", "Lead Source", source_type="picklist", values=_LEAD_SOURCES),
            _sf("Phone", "Phone", source_type="phone", max_length=40),
            _sf("Website", "Website", source_type="url", identity=("DomainMatch", "HostnameMatch"), max_length=255),
            _sf("Country", "Country", max_length=80),
        ),
        ("create", "updateOrCreate"),
    ),
    (
        "Account",
        "Account",
        (
            _ID,
            _sf("Name", "Account Name", required=True, max_length=255),
            _sf("Website", "Website", source_type="url", identity=("DomainMatch", "HostnameMatch", "Equality"), max_length=255),
            _sf("Industry", "Industry", source_type="picklist", values=_INDUSTRIES),
            _sf("NumberOfEmployees", "Employees", "integer", "int"),
            _sf("AnnualRevenue", "Annual Revenue", "number", "currency"),
            _sf("Phone", "Account Phone", source_type="phone", max_length=40),
            _sf("BillingCountry", "Billing Country", max_length=80),
            _EXTERNAL_ID,
        ),
        ("create", "update", "updateOrCreate"),
    ),
    (
        "Opportunity",
        "Opportunity",
        (
            _ID,
            _sf("Name", "Opportunity Name", required=True, max_length=120),
            _sf("StageName", "Stage", source_type="picklist", required=True, values=_picks(
                "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
                "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost")),
            _sf("CloseDate", "Close Date", "date", "date", required=True),
            _sf("Amount", "Amount", "number", "currency"),
            _ref("AccountId", "Account ID", "Account"),
            _EXTERNAL_ID,
        ),
        ("create", "update", "updateOrCreate"),
    ),
    (
        "Case",
        "Case",
        (
            _ID,
            _sf("CaseNumber", "Case Number", createable=False, updateable=False, identity=("Equality",)),
            _sf("Subject", "Subject", max_length=255),
            _sf("Status", "Status", source_type="picklist", values=_picks("New", "Working", "Escalated", "Closed")),
            _sf("Priority", "Priority", source_type="picklist", values=_picks("High", "Medium", "Low")),
            _ref("ContactId", "Contact ID", "Contact"),
            _ref("AccountId", "Account ID", "Account"),
            _sf("Description", "Description", source_type="textarea", max_length=32000),
        ),
        ("create", "update"),
    ),
    (
        "Campaign",
        "Campaign",
        (
            _ID,
            _sf("Name", "Campaign Name", required=True, identity=("Equality",), max_length=80),
            _sf("Type", "Type", source_type="picklist", values=_picks(
                "Conference", "Webinar", "Trade Show", "Public Relations", "Partners", "Referral Program", "Advertisement",
                "Banner Ads", "Direct Mail", "Email", "Telemarketing", "Other")),
            _sf("Status", "Status", source_type="picklist", values=_picks("Planned", "In Progress", "Completed", "Aborted")),
            _sf("StartDate", "Start Date", "date", "date"),
            _sf("EndDate", "End Date", "date", "date"),
            _sf("IsActive", "Active", "boolean", "boolean"),
        ),
        ("create", "update", "updateOrCreate"),
    ),
    (
        "Task",
        "Task",
        (
            _ID,
            _sf("Subject", "Subject", max_length=255),
            _sf("Status", "Status", source_type="picklist", required=True,
                values=_picks("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred")),
            _sf("Priority", "Priority", source_type="picklist", required=True, values=_picks("High", "Normal", "Low")),
            _ref("WhoId", "Name ID", "Contact", "Lead"),
            _ref("WhatId", "Related To ID", "Account", "Opportunity", "Campaign", "Case"),
            _sf("ActivityDate", "Due Date", "date", "date"),
        ),
        ("create",),
    ),
    (
        "User",
        "User",
        (
            _ID,
            _sf("Username", "Username", createable=False, identity=("Equality",), max_length=80),
            _sf("Email", "Email", source_type="email", identity=_EMAIL_IDENTITY, max_length=128),
            _sf("FirstName", "First Name", max_length=40),
            _sf("LastName", "Last Name", max_length=80),
            _sf("Title", "Title", max_length=80),
            _sf("IsActive", "Active", "boolean", "boolean"),
        ),
        ("update",),
    ),
)

_HS_ID = _sf("hs_object_id", "Record ID", source_type="number", createable=False, updateable=False, identity=("Equality",))

HUBSPOT_OBJECTS: tuple[tuple[Any, ...], ...] = (
    (
        "contacts",
        "Contacts",
        (
            _HS_ID,
            _sf("email", "Email", source_type="string", identity=_EMAIL_IDENTITY),
            _sf("firstname", "First Name"),
            _sf("lastname", "Last Name"),
            _sf("phone", "Phone Number", source_type="phonenumber"),
            _sf("company", "Company Name"),
            _sf("lifecyclestage", "Lifecycle Stage", source_type="enumeration", restricted=True, values=(
                ("subscriber", "Subscriber"), ("lead", "Lead"), ("marketingqualifiedlead", "Marketing Qualified Lead"),
                ("salesqualifiedlead", "Sales Qualified Lead"), ("opportunity", "Opportunity"), ("customer", "Customer"),
                ("evangelist", "Evangelist"), ("other", "Other"))),
            _sf("hs_additional_emails", "Additional email addresses", source_type="enumeration", identity=("OneOf",)),
        ),
        ("create", "update", "updateOrCreate"),
    ),
    (
        "companies",
        "Companies",
        (
            _HS_ID,
            _sf("domain", "Company Domain Name", identity=("DomainMatch", "HostnameMatch", "Equality")),
            _sf("name", "Name"),
            _sf("industry", "Industry", source_type="enumeration"),
            _sf("numberofemployees", "Number of Employees", "integer", "number"),
            _sf("annualrevenue", "Annual Revenue", "number", "number"),
        ),
        ("create", "update", "updateOrCreate"),
    ),
    (
        "deals",
        "Deals",
        (
            _HS_ID,
            _sf("dealname", "Deal Name", required=True),
            _sf("amount", "Amount", "number", "number"),
            _sf("dealstage", "Deal Stage", source_type="enumeration", required=True, restricted=True, values=(
                ("appointmentscheduled", "Appointment Scheduled"), ("qualifiedtobuy", "Qualified To Buy"),
                ("presentationscheduled", "Presentation Scheduled"), ("decisionmakerboughtin", "Decision Maker Bought-In"),
                ("contractsent", "Contract Sent"), ("closedwon", "Closed Won"), ("closedlost", "Closed Lost"))),
            _sf("pipeline", "Pipeline", source_type="enumeration", required=True, restricted=True, values=(("default", "Sales Pipeline"),)),
            _sf("closedate", "Close Date", "datetime", "datetime"),
        ),
        ("create", "updateOrCreate"),
    ),
)
