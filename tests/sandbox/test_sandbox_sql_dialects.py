"""SQL models run in their source's dialect: each case answers as the real database would, or is refused with the reason."""

from __future__ import annotations

import pytest
from dialect_cases import CASES, Case, Fails

from polytomic_mcp.sandbox import sql_engine
from polytomic_mcp.sandbox.sql_engine import QueryError
from polytomic_mcp.sandbox.world import system_for

SQL_TYPES = ("postgresql", "mysql", "snowflake", "bigquery")
HOSTILE = [
    "DELETE FROM orders",
    "UPDATE orders SET total = 0",
    "DROP TABLE orders",
    "INSERT INTO orders (id) VALUES (99)",
    "CREATE TABLE copied AS SELECT * FROM orders",
    "SELECT * INTO copied FROM orders",
    "ATTACH ':memory:' AS other",
    "PRAGMA query_only = OFF",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "COPY orders TO '/tmp/orders.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/*')",
    "SELECT 1; DELETE FROM orders",
]


def run(flavor: str, query: str) -> list[tuple[object, ...]]:
    return [tuple(row.values()) for row in system_for(flavor).engine.run(query).rows]


def test_the_cases_cover_every_sql_source_type() -> None:
    assert {case.flavor for case in CASES} == set(SQL_TYPES)
    assert all(system_for(flavor).source_kind == "sql" for flavor in SQL_TYPES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_source_type_answers_in_its_own_dialect(case: Case) -> None:
    if case.refused is not None:
        with pytest.raises(QueryError) as refused:
            run(case.flavor, case.query)
        assert case.refused in str(refused.value)
    elif isinstance(case.real, Fails):
        with pytest.raises(QueryError) as failed:
            run(case.flavor, case.query)
        assert case.real.message in str(failed.value)
    else:
        assert run(case.flavor, case.query) == case.real


@pytest.mark.parametrize("flavor", SQL_TYPES)
def test_a_30_day_filter_keeps_only_the_recent_orders(flavor: str) -> None:
    every = run(flavor, "SELECT order_number FROM orders ORDER BY order_number")
    recent = {
        "postgresql": "SELECT order_number FROM orders WHERE created_at > NOW() - INTERVAL '30 days' ORDER BY order_number",
        "mysql": "SELECT order_number FROM orders WHERE created_at > DATE_SUB(NOW(), INTERVAL 30 DAY) ORDER BY order_number",
        "snowflake": "SELECT order_number FROM orders WHERE created_at > DATEADD(day, -30, CURRENT_TIMESTAMP()) ORDER BY order_number",
        "bigquery": "SELECT order_number FROM analytics.orders WHERE created_at > TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 30 DAY) ORDER BY order_number",
    }[flavor]
    assert len(every) == 10
    assert run(flavor, recent) == [("SO-10428",), ("SO-10429",), ("SO-10430",)]


@pytest.mark.parametrize("flavor", SQL_TYPES)
@pytest.mark.parametrize("query", HOSTILE)
def test_queries_only_read(flavor: str, query: str) -> None:
    with pytest.raises(QueryError):
        run(flavor, query)
    assert run(flavor, "SELECT count(*) AS n, sum(total) AS total FROM orders") == [(10, 34010.75)]


@pytest.mark.parametrize(
    ("flavor", "query", "message"),
    [
        ("postgresql", "SELEC email FROM users", 'syntax error at or near "SELEC"'),
        ("postgresql", "SELECT email FROM users WHERE", "syntax error at end of input"),
        ("postgresql", "SELECT 'open", "syntax error: an unterminated quote or comment"),
        ("mysql", "SELECT emial FROM acme.users", 'column "emial" does not exist'),
        ("snowflake", "SELECT email FROM PUBLIC.USERZ", 'relation "PUBLIC.USERZ" does not exist'),
        ("bigquery", "SELECT coutn(*) AS n FROM analytics.users", "the sandbox cannot run coutn() as BigQuery would"),
    ],
)
def test_errors_are_worded_the_way_a_warehouse_words_them(flavor: str, query: str, message: str) -> None:
    with pytest.raises(QueryError) as error:
        run(flavor, query)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("flavor", "names"),
    [
        ("postgresql", ["count", "max", "?column?", "id"]),
        ("mysql", ["count(*)", "max(total)", "1 + 1", "id"]),
        ("snowflake", ["COUNT(*)", "MAX(TOTAL)", "1 + 1", "id"]),
        ("bigquery", ["f0_", "f1_", "f2_", "id"]),
    ],
)
def test_unaliased_columns_are_named_as_the_database_names_them(flavor: str, names: list[str]) -> None:
    result = system_for(flavor).engine.run("SELECT count(*), max(total), 1 + 1, id FROM orders GROUP BY id")
    assert [column.name for column in result.columns] == names


def test_a_result_is_capped_at_max_rows() -> None:
    result = system_for("postgresql").engine.run("SELECT a.id FROM orders a, orders b, orders c, orders d, orders e")
    assert len(result.rows) == sql_engine.MAX_ROWS < 10**5


def test_sources_without_a_dialect_of_their_own_take_plain_sql() -> None:
    result = system_for("salesforce").engine.run("SELECT Email FROM Contact WHERE LastName = 'Hopper'")
    assert result.rows == ({"Email": "grace.hopper@cobolworks.com"},)
