"""Run a SQL model's query on an in-memory DuckDB copy of a source system's tables, in the source's own dialect.

A model ``{"query": "SELECT ..."}`` must see what the query really selects: its WHERE clause, joins and aliases decide
the model's fields and sample records. ``sql_dialects`` writes the query for DuckDB (or refuses it); each system gets
one locked-down database per process (no files, extensions or settings), every query runs as one rolled-back SELECT
under a time budget and a row cap, and DuckDB's errors are reworded the way a warehouse words them.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

import duckdb

from .errors import QueryError
from .sql_dialects import READ_ONLY, Catalog, dialect_for, to_duckdb

__all__ = ["MAX_ROWS", "TIME_BUDGET", "Column", "QueryEngine", "QueryError", "QueryResult", "api_message", "infer_type"]

MAX_ROWS = 10_000
"""Rows a query may return; the rest are dropped (a model reads samples and counts, never a whole warehouse)."""
TIME_BUDGET = 2.0
"""Seconds a query may run before it is interrupted."""
_COLUMN_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "datetime": "TIMESTAMPTZ"}
_LOCKED_DOWN: dict[str, str | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "threads": 1,
    "memory_limit": "256MB",
    "temp_directory": "",
}
"""No files, network or extensions; one thread and bounded memory (the machine is shared)."""
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_REWORDED = (
    (r'^Binder Error: Referenced column "([^"]+)" not found', r'column "\1" does not exist'),
    (r'^Binder Error: Values list "([^"]+)" does not have a column named "([^"]+)"', r'column \1.\2 does not exist'),
    (r'^Binder Error: Referenced table "([^"]+)" not found', r'missing FROM-clause entry for table "\1"'),
    (r'^Binder Error: Ambiguous reference to column name "([^"]+)"', r'column reference "\1" is ambiguous'),
    (r"^Catalog Error: Table with name (\S+) does not exist", r'relation "\1" does not exist'),
    (r"^Catalog Error: \w+ Function with name (\S+) does not exist", r"function \1() does not exist"),
    (r"^INTERRUPT Error", "canceling statement due to statement timeout"),
    (r"^Out of Memory Error", "out of memory: the query needs more than a sandbox model query may use"),
    (r"^Invalid Input Error: [Dd]ivision by zero", "division by zero"),
    (r"^Permission Error", READ_ONLY),
)


class Field(Protocol):
    """A column of a source table (``upstream.SourceField``)."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def unique(self) -> bool: ...


class Table(Protocol):
    """A source table (``upstream.SourceObject``)."""

    @property
    def fields(self) -> Sequence[Field]: ...
    @property
    def records(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Column:
    """A column of a query's result, its type inferred from the values (or the table it was read from)."""

    name: str
    type: str
    unique: bool


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows (as dicts keyed by column name) of one query."""

    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _split(key: str) -> tuple[str, str]:
    """``public.users`` -> (``public``, ``users``); ``Contact`` -> ("", ``Contact``)."""
    schema, _, table = key.rpartition(".")
    return schema, table


def infer_type(values: Iterable[Any]) -> str:
    """The model field type of a result column: boolean, integer, number, datetime or string."""
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "number"
    if all(isinstance(v, str) and _ISO_DATETIME.match(v) for v in present):
        return "datetime"
    return "string"


def api_message(error: Exception) -> str:
    """DuckDB's message (its first line) worded the way PostgreSQL-like warehouses report the same problem."""
    text = str(error).split("\n", 1)[0]
    for pattern, replacement in _REWORDED:
        found = re.match(pattern, text)
        if found:
            return found.expand(replacement)
    return re.sub(r"^[\w ]+ Error: ", "", text)


def _plain(value: Any) -> Any:
    """A result value as JSON carries it: timestamps as ISO text (``Z`` when zoned), numbers as numbers."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (timedelta, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class QueryEngine:
    """One locked-down in-memory DuckDB database holding a system's tables; ``run`` is safe to call from any thread."""

    def __init__(self, tables: Mapping[str, Table], source: str = "") -> None:
        self._lock = threading.Lock()
        self._dialect = dialect_for(source)
        self._unique = {f.name.lower() for table in tables.values() for f in table.fields if f.unique}
        self._catalog = Catalog(
            tables=frozenset((schema.lower(), name.lower()) for schema, name in map(_split, tables)),
            temporal_columns=frozenset(f.name.lower() for table in tables.values() for f in table.fields if f.type == "datetime"),
        )
        self._db = duckdb.connect(":memory:", config=dict(_LOCKED_DOWN))
        schemas = self._load(tables)
        if schemas:
            self._db.execute(f"SET search_path = '{','.join(schemas)}'")
        for name, value in (("TimeZone", "'UTC'"), *self._dialect.settings):
            self._db.execute(f"SET GLOBAL {name} = {value}")
        self._db.execute("SET GLOBAL lock_configuration = true")

    def _load(self, tables: Mapping[str, Table]) -> list[str]:
        """Create and fill each table; return its schemas in first-seen order (bare names are looked up in them)."""
        schemas: list[str] = []
        for key, table in tables.items():
            schema, name = _split(key)
            if schema and schema not in schemas:
                schemas.append(schema)
                self._db.execute(f"CREATE SCHEMA {_quoted(schema)}")
            qualified = f"{_quoted(schema)}.{_quoted(name)}" if schema else _quoted(name)
            columns = [f.name for f in table.fields]
            declared = ", ".join(f"{_quoted(f.name)} {_COLUMN_TYPES.get(f.type, 'VARCHAR')}" for f in table.fields)
            self._db.execute(f"CREATE TABLE {qualified} ({declared})")
            rows = [tuple(record.get(c) for c in columns) for record in table.records]
            if rows:
                self._db.executemany(f"INSERT INTO {qualified} VALUES ({', '.join('?' for _ in columns)})", rows)
        return schemas

    def run(self, query: str) -> QueryResult:
        """Run one read-only statement and return its result; raise ``QueryError`` as the warehouse would."""
        statement = to_duckdb(query, self._dialect, self._catalog)
        with self._lock:
            names, fetched = self._execute(statement)
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise QueryError(f'column "{duplicated[0]}" is returned more than once; give it an alias')
        rows = tuple({n: _plain(v) for n, v in zip(names, row, strict=True)} for row in fetched)
        columns = tuple(Column(n, infer_type(r[n] for r in rows), n.lower() in self._unique) for n in names)
        return QueryResult(columns, rows)

    def _execute(self, statement: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run ``statement`` (DuckDB must read it as one SELECT) in a transaction that is rolled back, within the budgets."""
        try:
            kinds = [s.type for s in self._db.extract_statements(statement)]
        except duckdb.Error as error:
            raise QueryError(api_message(error)) from None
        if kinds != [duckdb.StatementType.SELECT]:
            raise QueryError(READ_ONLY)
        timer = threading.Timer(TIME_BUDGET, self._db.interrupt)
        self._db.execute("BEGIN TRANSACTION")
        timer.start()
        try:
            self._db.execute(statement)
            names = [d[0] for d in self._db.description or ()]
            return names, self._db.fetchmany(MAX_ROWS)
        except duckdb.Error as error:
            raise QueryError(api_message(error)) from None
        finally:
            timer.cancel()
            timer.join()
            self._db.execute("ROLLBACK")
