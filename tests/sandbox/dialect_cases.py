"""SQL cases per source type: what the real database answers, and the sandbox's refusal where it cannot answer the same.

Shared by the dialect tests and ``bench/sql_dialects.py`` (which scores each candidate engine against ``real``). Rows are
tuples of JSON-ready values the way the sandbox reports them: timestamps with a zone as ``...Z``, dates as ``YYYY-MM-DD``.
The newest three orders are 20, 9 and 2 days old (``world_data``); the other seven are from 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

TODAY = datetime.now(UTC).date()
DAYS_AGO_30 = (TODAY - timedelta(days=30)).isoformat()
RECENT_ORDERS = [(3,)]


@dataclass(frozen=True)
class Fails:
    """The real database refuses the query with this message (the sandbox's message must contain it)."""

    message: str


@dataclass(frozen=True)
class Case:
    """One query on one source type: the real database's answer and, where the sandbox cannot give it, its refusal."""

    flavor: str
    query: str
    real: list[tuple[Any, ...]] | Fails
    refused: str | None = None
    """Part of the sandbox's message when it refuses a query it cannot run as the real database would."""

    @property
    def id(self) -> str:
        return f"{self.flavor}: {self.query}"


POSTGRES = [
    Case("postgresql", "SELECT count(*) AS n FROM public.orders WHERE created_at > NOW() - INTERVAL '30 days'", RECENT_ORDERS),
    Case("postgresql", "SELECT CURRENT_DATE - 30 AS d", [(DAYS_AGO_30,)]),
    Case("postgresql", "SELECT count(*) AS n FROM orders WHERE created_at >= CURRENT_DATE - 30", RECENT_ORDERS),
    Case("postgresql", "SELECT '2025-01-05'::date + 1 AS d", [("2025-01-06",)]),
    Case("postgresql", "SELECT date_trunc('month', created_at) AS m FROM public.users WHERE id = 1", [("2024-01-01T00:00:00Z",)]),
    Case("postgresql", "SELECT count(*) AS n FROM public.users WHERE email ILIKE 'ADA%'", [(1,)]),
    Case("postgresql", "SELECT 7 / 2 AS q, 7 / 2.0 AS r", [(3, 3.5)]),
    Case("postgresql", "SELECT first_name || ' ' || last_name AS name FROM public.users WHERE id = 2", [("Alan Turing",)]),
    Case("postgresql", "SELECT to_char(created_at, 'YYYY-MM') AS m FROM public.users WHERE id = 1", [("2024-01",)]),
    Case("postgresql", "SELECT count(*) AS n FROM public.users WHERE plan = 'FREE'", [(0,)]),
    Case("postgresql", "SELECT string_agg(DISTINCT plan, ',' ORDER BY plan) AS plans FROM public.users", [("enterprise,free,pro",)]),
    Case("postgresql", "SELECT EXTRACT(DOW FROM DATE '2025-01-05') AS d", [(0,)]),
    Case("postgresql", "SELECT split_part(email, '@', 2) AS domain FROM public.users WHERE id = 3", [("cobolworks.com",)]),
    Case("postgresql", "SELECT DISTINCT ON (plan) plan, email FROM public.users ORDER BY plan, created_at",
         [("enterprise", "ada@analyticalengines.com"), ("free", "linus@kernelcraft.dev"), ("pro", "alan@bletchley.io")]),
    Case("postgresql", "SELECT 1 / 0 AS q", Fails("division by zero")),
    Case("postgresql", "SELECT pg_size_pretty(1024::bigint) AS s", [("1024 bytes",)], refused="the sandbox cannot run pg_size_pretty() as PostgreSQL would"),
]

MYSQL = [
    Case("mysql", "SELECT count(*) AS n FROM acme.orders WHERE created_at > DATE_SUB(NOW(), INTERVAL 30 DAY)", RECENT_ORDERS),
    Case("mysql", "SELECT count(*) AS n FROM orders WHERE created_at > NOW() - INTERVAL 30 DAY", RECENT_ORDERS),
    Case("mysql", "SELECT count(*) AS n FROM acme.orders WHERE created_at > CURDATE() - INTERVAL 30 DAY", RECENT_ORDERS),
    Case("mysql", "SELECT CURRENT_DATE - 30 AS d", [(int(TODAY.strftime("%Y%m%d")) - 30,)],
         refused="the sandbox cannot run date arithmetic with a plain number as MySQL would"),
    Case("mysql", "SELECT count(*) AS n FROM `acme`.`users` WHERE `plan` = 'FREE'", [(2,)]),
    Case("mysql", "SELECT 7 / 2 AS q, 7 DIV 2 AS r", [(3.5, 3)]),
    Case("mysql", "SELECT 1 / 0 AS q", [(None,)]),
    Case("mysql", "SELECT IFNULL(phone, 'none') AS p FROM acme.users WHERE id = 11", [("none",)]),
    Case("mysql", "SELECT DATE_FORMAT(created_at, '%Y-%m') AS m FROM acme.users WHERE id = 1", [("2024-01",)]),
    Case("mysql", "SELECT CONCAT(first_name, ' ', last_name) AS name FROM acme.users WHERE id = 2", [("Alan Turing",)]),
    Case("mysql", "SELECT email FROM acme.users ORDER BY id LIMIT 1, 1", [("alan@bletchley.io",)]),
    Case("mysql", "SELECT DATEDIFF('2025-01-31', '2025-01-01') AS d", [(30,)]),
    Case("mysql", "SELECT IF(is_active, 'yes', 'no') AS a FROM acme.users WHERE id = 5", [("no",)]),
    Case("mysql", "SELECT DAYOFWEEK('2025-01-05') AS d", [(1,)]),
    Case("mysql", "SELECT GROUP_CONCAT(DISTINCT plan ORDER BY plan SEPARATOR ',') AS plans FROM acme.users", [("enterprise,free,pro",)]),
    Case("mysql", "SELECT WEEK('2025-01-04') AS w", [(0,)], refused="the sandbox cannot run WEEK() as MySQL would"),
]

SNOWFLAKE = [
    Case("snowflake", "SELECT count(*) AS n FROM PUBLIC.ORDERS WHERE created_at > DATEADD(day, -30, CURRENT_TIMESTAMP())", RECENT_ORDERS),
    Case("snowflake", "SELECT count(*) AS n FROM orders WHERE created_at >= DATEADD('day', -30, CURRENT_DATE)", RECENT_ORDERS),
    Case("snowflake", "SELECT CURRENT_DATE - 30 AS d", [(DAYS_AGO_30,)]),
    Case("snowflake", "SELECT IFF(is_active, 'yes', 'no') AS a FROM PUBLIC.USERS WHERE id = 5", [("no",)]),
    Case("snowflake", "SELECT '2025-01-05'::DATE AS d", [("2025-01-05",)]),
    Case("snowflake", "SELECT DATE_TRUNC('MONTH', created_at)::DATE AS m FROM PUBLIC.USERS WHERE id = 1", [("2024-01-01",)]),
    Case("snowflake", "SELECT count(*) AS n FROM PUBLIC.USERS WHERE email ILIKE 'ADA%'", [(1,)]),
    Case("snowflake", "SELECT 7 / 2 AS q", [(3.5,)]),
    Case("snowflake", "SELECT DATEDIFF(day, '2025-01-01', '2025-01-31') AS d", [(30,)]),
    Case("snowflake", "SELECT LISTAGG(DISTINCT plan, ',') WITHIN GROUP (ORDER BY plan) AS plans FROM PUBLIC.USERS", [("enterprise,free,pro",)]),
    Case("snowflake", "SELECT plan FROM PUBLIC.USERS QUALIFY ROW_NUMBER() OVER (PARTITION BY plan ORDER BY id) = 1 ORDER BY plan",
         [("enterprise",), ("free",), ("pro",)]),
    Case("snowflake", "SELECT TRY_CAST('x' AS INT) AS v", [(None,)]),
    Case("snowflake", "SELECT NVL(phone, 'none') AS p FROM PUBLIC.USERS WHERE id = 11", [("none",)]),
    Case("snowflake", "SELECT count(*) AS n FROM PUBLIC.USERS WHERE plan = 'FREE'", [(0,)]),
    Case("snowflake", "SELECT 1 / 0 AS q", Fails("division by zero")),
    Case("snowflake", "SELECT TO_CHAR(created_at, 'YYYY-MM') AS m FROM PUBLIC.USERS WHERE id = 1", [("2024-01",)],
         refused="the sandbox cannot run TO_CHAR() as Snowflake would"),
]

BIGQUERY = [
    Case("bigquery", "SELECT count(*) AS n FROM `example-project.analytics.orders` WHERE created_at > TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 30 DAY)",
         RECENT_ORDERS),
    Case("bigquery", "SELECT DATE_SUB(CURRENT_DATE(), INTERVAL 30 DAY) AS d", [(DAYS_AGO_30,)]),
    Case("bigquery", "SELECT CURRENT_DATE() - 30 AS d", [(DAYS_AGO_30,)]),
    Case("bigquery", "SELECT SAFE_CAST('x' AS INT64) AS v", [(None,)]),
    Case("bigquery", "SELECT DATE_TRUNC(DATE '2025-01-05', MONTH) AS m", [("2025-01-01",)]),
    Case("bigquery", "SELECT 7 / 2 AS q, DIV(7, 2) AS r", [(3.5, 3)]),
    Case("bigquery", "SELECT FORMAT_TIMESTAMP('%Y-%m', created_at) AS m FROM analytics.users WHERE id = 1", [("2024-01",)]),
    Case("bigquery", "SELECT COUNTIF(plan = 'free') AS n FROM analytics.users", [(2,)]),
    Case("bigquery", "SELECT DATE_DIFF(DATE '2025-01-31', DATE '2025-01-01', DAY) AS d", [(30,)]),
    Case("bigquery", "SELECT STRING_AGG(DISTINCT plan, ',' ORDER BY plan) AS plans FROM analytics.users", [("enterprise,free,pro",)]),
    Case("bigquery", "SELECT IF(is_active, 'yes', 'no') AS a FROM analytics.users WHERE id = 5", [("no",)]),
    Case("bigquery", "SELECT EXTRACT(DAYOFWEEK FROM DATE '2025-01-05') AS d", [(1,)]),
    Case("bigquery", "SELECT email FROM `example-project.analytics.users` WHERE plan = 'FREE'", []),
    Case("bigquery", "SELECT 1 / 0 AS q", Fails("division by zero")),
    Case("bigquery", "SELECT EXTRACT(WEEK FROM DATE '2025-01-04') AS w", [(0,)], refused="the sandbox cannot run EXTRACT(WEEK) as BigQuery would"),
]

CASES = [*POSTGRES, *MYSQL, *SNOWFLAKE, *BIGQUERY]
