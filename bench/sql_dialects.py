"""Which engine runs sandbox SQL models as the real warehouse would: install size, import time, and a dialect case table.

    python bench/sql_dialects.py

Each case of ``tests/sandbox/dialect_cases.py`` (what PostgreSQL, MySQL, Snowflake or BigQuery answers) runs on five
engines over the same seed tables: SQLite as the sandbox used to (query as written), sqlglot transpiling onto SQLite,
DuckDB with the query as written, sqlglot transpiling onto DuckDB, and the sandbox's engine (sqlglot onto a locked-down
DuckDB with its dialect checks). A case is ``ok`` (the warehouse's answer, or an error where the warehouse errs too),
``refused`` (an error where the warehouse answers: honest but unhelpful) or ``WRONG`` (an answer the warehouse would
not give: the failure the sandbox must never show).
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "sandbox")]

import duckdb  # noqa: E402
import sqlglot  # noqa: E402
from dialect_cases import CASES, Case, Fails  # noqa: E402

from polytomic_mcp.sandbox.sql_engine import QueryEngine, QueryError  # noqa: E402
from polytomic_mcp.sandbox.upstream import SourceObject  # noqa: E402
from polytomic_mcp.sandbox.world import system_for  # noqa: E402

SQLGLOT_NAMES = {"postgresql": "postgres", "mysql": "mysql", "snowflake": "snowflake", "bigquery": "bigquery"}
SQLITE_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "datetime": "TEXT"}
DUCKDB_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "datetime": "TIMESTAMPTZ"}
BACKTICKED = re.compile(r"`([^`]+)`")
Runner = Callable[[str], list[tuple[Any, ...]]]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create(db: Any, schema: str, name: str, table: SourceObject, types: dict[str, str], default: str) -> None:
    """Create ``schema.name`` with ``table``'s columns typed by ``types`` and fill it with its records."""
    columns = ", ".join(f"{quoted(f.name)} {types.get(f.type, default)}" for f in table.fields)
    db.execute(f"CREATE TABLE {quoted(schema)}.{quoted(name)} ({columns})")
    rows = [tuple(r.get(f.name) for f in table.fields) for r in table.records]
    db.executemany(f"INSERT INTO {quoted(schema)}.{quoted(name)} VALUES ({', '.join('?' for _ in table.fields)})", rows)


def as_written(query: str) -> str:
    """The old sandbox's one concession: BigQuery's `project.dataset.table` read as "dataset"."table"."""
    return BACKTICKED.sub(lambda m: ".".join(quoted(p) for p in m.group(1).split(".")[-2:]), query)


def sqlite_runner(tables: dict[str, SourceObject], transpile_from: str | None) -> Runner:
    db = sqlite3.connect(":memory:")
    for schema in sorted({key.rpartition(".")[0] for key in tables}):
        db.execute(f"ATTACH DATABASE ':memory:' AS {quoted(schema)}")
    for key, table in tables.items():
        schema, _, name = key.rpartition(".")
        create(db, schema, name, table, SQLITE_TYPES, "TEXT")

    def run(query: str) -> list[tuple[Any, ...]]:
        sql = sqlglot.transpile(query, read=transpile_from, write="sqlite")[0] if transpile_from else as_written(query)
        return db.execute(sql).fetchall()

    return run


def duckdb_runner(tables: dict[str, SourceObject], transpile_from: str | None) -> Runner:
    db = duckdb.connect(":memory:")
    schemas: list[str] = []
    for key, table in tables.items():
        schema, _, name = key.rpartition(".")
        if schema not in schemas:
            schemas.append(schema)
            db.execute(f"CREATE SCHEMA {quoted(schema)}")
        create(db, schema, name, table, DUCKDB_TYPES, "VARCHAR")
    db.execute(f"SET search_path = '{','.join(schemas)}'")
    db.execute("SET TimeZone = 'UTC'")

    def run(query: str) -> list[tuple[Any, ...]]:
        if transpile_from:
            tree = sqlglot.parse_one(query, read=transpile_from)
            for table in tree.find_all(sqlglot.exp.Table):
                table.set("catalog", None)
            return db.execute(tree.sql("duckdb")).fetchall()
        return db.execute(as_written(query)).fetchall()

    return run


def sandbox_runner(flavor: str) -> Runner:
    engine = QueryEngine(system_for(flavor).tables, flavor)
    return lambda query: [tuple(row.values()) for row in engine.run(query).rows]


def plain(value: Any) -> Any:
    """A value compared loosely: timestamps as text without zone or separator differences, numbers as floats."""
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value):
        return re.sub(r"(Z|[+-]00(:?00)?)$", "", value.replace(" ", "T"))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return float(value)
    return value


def outcome(run: Runner, case: Case) -> str:
    try:
        rows = run(case.query)
    except (QueryError, sqlite3.Error, duckdb.Error, sqlglot.errors.SqlglotError, ValueError):
        return "ok" if isinstance(case.real, Fails) else "refused"
    if isinstance(case.real, Fails):
        return "WRONG"
    same = [tuple(plain(v) for v in row) for row in rows] == [tuple(plain(v) for v in row) for row in case.real]
    return "ok" if same else "WRONG"


def installed_mb(name: str) -> float:
    files = metadata.distribution(name).files or []
    return sum(f.locate().stat().st_size for f in files if Path(str(f.locate())).is_file()) / 1e6


def import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(5)]
    return statistics.median(times) * 1000


def main() -> None:
    print("Install size (files of the installed distribution) and import time (median of 5 fresh processes)")
    for name in ("duckdb", "sqlglot"):
        print(f"  {name:8} {metadata.version(name):8} {installed_mb(name):6.1f} MB  import {import_ms(name):6.0f} ms")
    print(f"  sqlite3  stdlib      {0.0:6.1f} MB  import {import_ms('sqlite3'):6.0f} ms")

    engines = ("sqlite as written", "sqlglot->sqlite", "duckdb as written", "sqlglot->duckdb", "sandbox engine")
    totals = {engine: {"ok": 0, "refused": 0, "WRONG": 0} for engine in engines}
    for flavor, dialect in SQLGLOT_NAMES.items():
        tables = system_for(flavor).tables
        runners = dict(zip(engines, (sqlite_runner(tables, None), sqlite_runner(tables, dialect), duckdb_runner(tables, None),
                                     duckdb_runner(tables, dialect), sandbox_runner(flavor)), strict=True))
        print(f"\n{flavor}: {'case':70} " + " ".join(f"{e:>17}" for e in engines))
        for case in (c for c in CASES if c.flavor == flavor):
            results = [outcome(runners[e], case) for e in engines]
            for engine, result in zip(engines, results, strict=True):
                totals[engine][result] += 1
            print(f"  {case.query[:78]:78} " + " ".join(f"{r:>17}" for r in results))

    print(f"\nTotals over {len(CASES)} cases (ok / refused / WRONG)")
    for engine, counts in totals.items():
        print(f"  {engine:18} {counts['ok']:3} / {counts['refused']:3} / {counts['WRONG']:3}")

    started = time.perf_counter()
    engine = QueryEngine(system_for("postgresql").tables, "postgresql")
    built = (time.perf_counter() - started) * 1000
    query = "SELECT order_number FROM public.orders WHERE created_at > NOW() - INTERVAL '30 days'"
    runs = []
    for _ in range(50):
        started = time.perf_counter()
        engine.run(query)
        runs.append((time.perf_counter() - started) * 1000)
    print(f"\nSandbox engine: built in {built:.0f} ms (PostgreSQL tables); a 30-day filter runs in {statistics.median(runs):.2f} ms (median of 50)")


if __name__ == "__main__":
    main()
