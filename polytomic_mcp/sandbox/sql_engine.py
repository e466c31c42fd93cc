"""Run a SQL model's query on an in-memory SQLite copy of a source system's tables (stdlib ``sqlite3`` only).

A model ``{"query": "SELECT ..."}`` must see what the query really selects: its WHERE clause, joins and
aliases decide the model's fields and sample records. Each system gets one read-only database per process;
queries run under an authorizer that allows reading only, a step budget and a row cap, and SQLite's errors
are reworded the way a warehouse words them.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

MAX_ROWS = 10_000
"""Rows a query may return; the rest are dropped (a model reads samples and counts, never a whole warehouse)."""
STEP_BUDGET = 5_000
"""Progress callbacks (of 1,000 SQLite VM steps each) a query may take before it is stopped."""
_BOOLEAN = "SANDBOXBOOL"
_DECLARED = {"integer": "INTEGER", "number": "REAL", "boolean": _BOOLEAN, "datetime": "DATETIME"}
_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE})
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_BACKTICKED = re.compile(r"`([^`]+)`")

sqlite3.register_converter(_BOOLEAN, lambda raw: raw not in (b"0", b""))


class QueryError(Exception):
    """A query the warehouse would refuse, with the message it would answer."""


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


def _split(key: str) -> tuple[str | None, str]:
    """``public.users`` -> (``public``, ``users``); ``Contact`` -> (None, ``Contact``)."""
    schema, _, table = key.rpartition(".")
    return (schema or None), table


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
    """SQLite's message worded the way PostgreSQL-like warehouses report the same problem."""
    text = str(error)
    rewrites = (
        (r"^no such table: (.+)$", r'relation "\1" does not exist'),
        (r"^no such column: (.+)$", r'column "\1" does not exist'),
        (r'^near "(.+)": syntax error$', r'syntax error at or near "\1"'),
        (r"^incomplete input$", "syntax error at end of input"),
        (r"^no such function: (.+)$", r"function \1() does not exist"),
        (r"^ambiguous column name: (.+)$", r'column reference "\1" is ambiguous'),
        (r"^interrupted$", "canceling statement due to statement timeout"),
        (r"^You can only execute one statement at a time\.$", "cannot insert multiple commands into a prepared statement"),
        (r"^not authorized$", "permission denied: model queries may only read data"),
    )
    for pattern, replacement in rewrites:
        if re.match(pattern, text):
            return re.sub(pattern, replacement, text)
    return text


def _portable(query: str) -> str:
    """Accept BigQuery-style names: `` `project.dataset.table` `` becomes ``"dataset"."table"``."""

    def unquote(match: re.Match[str]) -> str:
        parts = match.group(1).split(".")
        return ".".join(_quoted(part) for part in parts[-2:])

    return _BACKTICKED.sub(unquote, query)


class QueryEngine:
    """One read-only in-memory SQLite database holding a system's tables; ``run`` is safe to call from any thread."""

    def __init__(self, tables: Mapping[str, Table]) -> None:
        self._lock = threading.Lock()
        self._unique = {f.name.lower() for table in tables.values() for f in table.fields if f.unique}
        self._db = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES, check_same_thread=False, isolation_level=None)
        self._load(tables)
        self._db.execute("PRAGMA query_only = ON")
        self._db.set_authorizer(self._authorize)

    def _load(self, tables: Mapping[str, Table]) -> None:
        schemas = sorted({schema for schema, _ in map(_split, tables) if schema})
        for schema in schemas:
            self._db.execute(f"ATTACH DATABASE ':memory:' AS {_quoted(schema)}")
        for key, table in tables.items():
            owner, name = _split(key)
            qualified = f"{_quoted(owner)}.{_quoted(name)}" if owner else _quoted(name)
            columns = [f.name for f in table.fields]
            declared = ", ".join(f"{_quoted(f.name)} {_DECLARED.get(f.type, 'TEXT')}" for f in table.fields)
            self._db.execute(f"CREATE TABLE {qualified} ({declared})")
            placeholders = ", ".join("?" for _ in columns)
            rows = [tuple(record.get(c) for c in columns) for record in table.records]
            self._db.executemany(f"INSERT INTO {qualified} VALUES ({placeholders})", rows)

    @staticmethod
    def _authorize(action: int, *_: Any) -> int:
        """Allow reading only: no writes, no ATTACH, no PRAGMA."""
        return sqlite3.SQLITE_OK if action in _ALLOWED_ACTIONS else sqlite3.SQLITE_DENY

    def run(self, query: str) -> QueryResult:
        """Run one read-only statement and return its result; raise ``QueryError`` as the warehouse would."""
        steps = 0

        def budget() -> int:
            """Stop the statement once it has used its step budget."""
            nonlocal steps
            steps += 1
            return 1 if steps > STEP_BUDGET else 0

        with self._lock:
            self._db.set_progress_handler(budget, 1000)
            try:
                cursor = self._db.execute(_portable(query))
                names = [d[0] for d in cursor.description or ()]
                fetched = cursor.fetchmany(MAX_ROWS)
            except sqlite3.Error as error:
                raise QueryError(api_message(error)) from None
            finally:
                self._db.set_progress_handler(None, 0)
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise QueryError(f'column "{duplicated[0]}" is returned more than once; give it an alias')
        rows = tuple(dict(zip(names, row, strict=True)) for row in fetched)
        columns = tuple(Column(n, infer_type(r[n] for r in rows), n.lower() in self._unique) for n in names)
        return QueryResult(columns, rows)
