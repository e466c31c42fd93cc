"""SQL models run their query on a copy of the connection's tables in its own dialect: WHERE, joins and aliases shape fields and samples."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import POSTGRES_CONFIG, create

from polytomic_mcp.sandbox import sql_engine

pytestmark = pytest.mark.anyio

ACTIVE_RECENTLY = "SELECT email, first_name, is_active, updated_at FROM public.users WHERE is_active AND updated_at > '2025-09-01'"


@pytest.fixture
async def pg(client) -> dict[str, Any]:
    return await create(client, "/api/connections", {"name": "PG", "type": "postgresql", "configuration": POSTGRES_CONFIG})


async def query_model(client, connection_id: str, query: str, name: str = "Q") -> dict[str, Any]:
    return await create(client, "/api/models", {"name": name, "connection_id": connection_id, "configuration": {"query": query}})


async def sample(client, model: dict[str, Any]) -> list[dict[str, Any]]:
    body = (await client.get(f"/api/models/{model['id']}/sample")).json()["data"]
    return [record[model["id"]] for record in body["records"]]


async def test_the_where_clause_filters_the_sample(client, pg) -> None:
    model = await query_model(client, pg["id"], ACTIVE_RECENTLY)
    records = await sample(client, model)
    assert [r["email"] for r in records] == [
        "ada@analyticalengines.com", "alan@bletchley.io", "grace.hopper@cobolworks.com", "kjohnson@orbitalmath.org",
        "margaret@apolloguidance.com", "barbara@substitution.systems", "radia@spanningtree.net",
    ]
    assert all(r["is_active"] is True and r["updated_at"] > "2025-09-01" for r in records)


async def test_a_query_matching_nothing_samples_nothing(client, pg) -> None:
    model = await query_model(client, pg["id"], "SELECT email FROM users WHERE is_active AND created_at > '2025-09-01'")
    body = (await client.get(f"/api/models/{model['id']}/sample")).json()["data"]
    assert body == {"records": [], "warnings": ["query returned no records"]}


async def test_fields_are_the_query_columns_with_inferred_types(client, pg) -> None:
    query = (
        "SELECT u.email AS contact_email, a.name AS account, count(o.id) AS orders, sum(o.total) AS spent, u.is_active, u.created_at "
        "FROM public.users u JOIN public.accounts a ON a.id = u.account_id LEFT JOIN public.orders o ON o.user_id = u.id GROUP BY 1, 2, 5, 6"
    )
    model = await query_model(client, pg["id"], query)
    fields = {f["name"]: (f["type"], f["remote_type"]) for f in model["fields"]}
    assert fields == {
        "contact_email": ("string", "character varying"),
        "account": ("string", "character varying"),
        "orders": ("integer", "integer"),
        "spent": ("number", "numeric"),
        "is_active": ("boolean", "boolean"),
        "created_at": ("datetime", "timestamp with time zone"),
    }
    ada = (await sample(client, model))[0]
    assert ada == {"contact_email": "ada@analyticalengines.com", "account": "Analytical Engines", "orders": 2, "spent": 3449.0,
                   "is_active": True, "created_at": "2024-01-15T09:30:00Z"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELEC email FROM users", 'could not run query: syntax error at or near "SELEC"'),
        ("SELECT email FROM public.userz", 'could not run query: relation "public.userz" does not exist'),
        ("SELECT emial FROM public.users", 'could not run query: column "emial" does not exist'),
        ("SELECT email FROM users WHERE", "could not run query: syntax error at end of input"),
        ("DELETE FROM public.users", "could not run query: permission denied: model queries may only read data"),
        ("SELECT 1; DROP TABLE public.users", "could not run query: cannot insert multiple commands into a prepared statement"),
        ("SELECT email, email FROM users", 'could not run query: column "email" is returned more than once; give it an alias'),
    ],
)
async def test_an_invalid_query_is_rejected_on_create_and_preview(client, pg, query: str, message: str) -> None:
    body = {"name": "Bad", "connection_id": pg["id"], "configuration": {"query": query}}
    created = await client.post("/api/models", json=body)
    previewed = await client.post("/api/model-preview", json=body)
    assert created.status_code == 422 and created.json()["message"] == message
    assert previewed.status_code == 422 and previewed.json()["message"] == message
    assert (await client.get("/api/models")).json()["data"] == []


async def test_an_invalid_query_fails_the_async_job_and_leaves_the_model_unchanged(client, pg) -> None:
    model = await query_model(client, pg["id"], ACTIVE_RECENTLY)
    body = {"name": "Q", "connection_id": pg["id"], "configuration": {"query": "SELECT nope FROM public.users"}}
    job = (await client.put(f"/api/models/{model['id']}", params={"async": "true"}, json=body)).json()["job"]
    for _ in range(2):
        polled = (await client.get(f"/api/jobs/updatemodel/{job['job_id']}")).json()["data"]
    assert polled["status"] == "failed" and polled["error"] == 'could not run query: column "nope" does not exist'
    assert (await client.get(f"/api/models/{model['id']}")).json()["data"]["configuration"] == {"query": ACTIVE_RECENTLY}


async def test_updating_the_query_recomputes_fields_and_samples(client, pg) -> None:
    model = await query_model(client, pg["id"], ACTIVE_RECENTLY)
    body = {"name": "Q", "connection_id": pg["id"], "configuration": {"query": "SELECT email, plan FROM public.users WHERE plan = 'free'"}}
    updated = (await client.put(f"/api/models/{model['id']}", json=body)).json()["data"]
    assert [f["name"] for f in updated["fields"]] == ["email", "plan"]
    assert await sample(client, updated) == [{"email": "linus@kernelcraft.dev", "plan": "free"}, {"email": "edsger@shortestpath.nl", "plan": "free"}]


async def test_queries_cannot_change_the_shared_tables(client, pg) -> None:
    for statement in ("DELETE FROM public.users", "UPDATE public.users SET email = NULL", "DROP TABLE public.users", "PRAGMA query_only = OFF"):
        await client.post("/api/models", json={"name": "W", "connection_id": pg["id"], "configuration": {"query": statement}})
    counted = await query_model(client, pg["id"], "SELECT count(*) AS n, count(email) AS emails FROM public.users")
    assert await sample(client, counted) == [{"n": 12, "emails": 12}]


async def test_a_runaway_query_is_stopped(client, pg, monkeypatch) -> None:
    monkeypatch.setattr(sql_engine, "TIME_BUDGET", 0.2)
    query = "SELECT count(*) AS n FROM users a, users b, users c, users d, users e, users f, users g"
    query += " WHERE a.email || b.email || c.email || d.email || e.email || f.email || g.email = ''"
    r = await client.post("/api/models", json={"name": "Slow", "connection_id": pg["id"], "configuration": {"query": query}})
    assert r.status_code == 422 and r.json()["message"] == "could not run query: canceling statement due to statement timeout"


@pytest.mark.parametrize(
    ("type_", "configuration", "query"),
    [
        ("mysql", {"hostname": "mysql.example.com", "account": "u", "passwd": "p", "dbname": "acme"}, "SELECT email FROM acme.users WHERE plan = 'free'"),
        ("snowflake", {"account": "example", "username": "u", "password": "p", "dbname": "DB"}, "SELECT email FROM PUBLIC.USERS WHERE plan = 'free'"),
        ("bigquery", {"service_account": '{"project_id": "example-project", "client_email": "s@example-project.iam.gserviceaccount.com"}'},
         "SELECT email FROM `example-project.analytics.users` WHERE plan = 'free'"),
    ],
)
async def test_each_sql_flavor_runs_queries_on_its_own_tables(client, type_: str, configuration: dict[str, Any], query: str) -> None:
    conn = await create(client, "/api/connections", {"name": type_, "type": type_, "configuration": configuration})
    model = await query_model(client, conn["id"], query)
    assert await sample(client, model) == [{"email": "linus@kernelcraft.dev"}, {"email": "edsger@shortestpath.nl"}]


async def test_a_postgres_30_day_filter_samples_only_recent_orders(client, pg) -> None:
    model = await query_model(client, pg["id"], "SELECT order_number, created_at FROM public.orders WHERE created_at > NOW() - INTERVAL '30 days'")
    records = await sample(client, model)
    assert [r["order_number"] for r in records] == ["SO-10428", "SO-10429", "SO-10430"]
    assert {f["name"]: f["type"] for f in model["fields"]} == {"order_number": "string", "created_at": "datetime"}


async def test_a_query_the_sandbox_cannot_run_as_postgres_would_is_refused(client, pg) -> None:
    body = {"name": "Size", "connection_id": pg["id"], "configuration": {"query": "SELECT pg_size_pretty(1024::bigint) AS size"}}
    r = await client.post("/api/models", json=body)
    assert r.status_code == 422
    assert r.json()["message"].startswith("could not run query: the sandbox cannot run pg_size_pretty() as PostgreSQL would")
