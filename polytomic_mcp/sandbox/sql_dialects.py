"""Read a model query in its source's SQL dialect and write it for DuckDB (sqlglot), or refuse it with the reason.

The sandbox runs every SQL source on DuckDB. A query means what it means on PostgreSQL, MySQL, Snowflake or BigQuery:
where DuckDB would answer it differently (a function it lacks or computes otherwise) it is refused, never answered wrongly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlglot
from sqlglot import ErrorLevel, ParseError, TokenError, TokenType, UnsupportedError, exp
from sqlglot.dialects.dialect import Dialect as Parser
from sqlglot.optimizer.annotate_types import annotate_types

from .errors import QueryError

READ_ONLY = "permission denied: model queries may only read data"
_DIVISION_BY_ZERO = "division by zero"
_STATEMENT_STARTS = {TokenType.SELECT, TokenType.WITH, TokenType.VALUES, TokenType.L_PAREN}
_WORD = re.compile(r"^\w+$")
_TEMPORAL = (exp.CurrentDate, exp.CurrentTimestamp, exp.CurrentDatetime, exp.CurrentTime, exp.TsOrDsToDate, exp.StrToDate)
_DATE_ARITHMETIC = (exp.DateAdd, exp.DateSub, exp.DateTrunc, exp.TimestampTrunc, exp.TsOrDsAdd, exp.Add, exp.Sub)
# sqlglot logs a warning for each statement it reads as an opaque command; those are refused here with their reason.
logging.getLogger("sqlglot").setLevel(logging.ERROR)
_SQLITE = frozenset({"datetime", "julianday", "strftime", "iif", "unixepoch"})


@dataclass(frozen=True)
class Dialect:
    """A source's SQL dialect: how sqlglot reads it and what DuckDB needs to answer as that database does."""

    parser: str
    """sqlglot's name of the dialect ("" reads plain SQL)."""
    title: str
    settings: tuple[tuple[str, str], ...] = ()
    """DuckDB settings (name, SQL value) that give this database's semantics: integer division, case-blind text."""
    absent: frozenset[str] = frozenset()
    """Functions (lower case, as written) this database does not have: other dialects' and SQLite's names."""
    verified: frozenset[str] = frozenset()
    """Functions sqlglot does not model (passed through by name) that DuckDB computes as this database does."""
    dates_stay_dates: bool = True
    """Date arithmetic and truncation on a DATE give a DATE (DuckDB gives a TIMESTAMP, as PostgreSQL does)."""
    day_of_week_from_one: bool = False
    """DAYOFWEEK counts Sunday as 1 (DuckDB counts it as 0)."""
    refused: tuple[tuple[type[exp.Expression], str, str], ...] = ()
    """(node, date part or "", name shown): constructs DuckDB computes differently, e.g. week numbers."""


DIALECTS = {
    "postgresql": Dialect(
        "postgres", "PostgreSQL", settings=(("integer_division", "true"),), dates_stay_dates=False,
        absent=_SQLITE | {"ifnull", "nvl", "iff", "if", "group_concat", "listagg", "date_sub", "dateadd", "datediff", "date_diff",
                          "timestamp_sub", "timestamp_add", "curdate", "date_format", "countif", "count_if", "safe_cast", "format_timestamp",
                          "format_date", "unix_timestamp", "from_unixtime", "zeroifnull", "getdate", "str_to_date", "substring_index"},
    ),
    "mysql": Dialect(
        "mysql", "MySQL", settings=(("default_collation", "'nocase'"),), verified=frozenset({"now"}), day_of_week_from_one=True,
        absent=_SQLITE | {"nvl", "iff", "listagg", "string_agg", "dateadd", "date_trunc", "date_part", "to_char", "countif", "count_if",
                          "safe_cast", "format_timestamp", "timestamp_sub", "zeroifnull", "split_part", "generate_series"},
        refused=((exp.Week, "", "WEEK()"), (exp.WeekOfYear, "", "WEEKOFYEAR()")),
    ),
    "snowflake": Dialect(
        "snowflake", "Snowflake",
        absent=_SQLITE | {"group_concat", "date_format", "curdate", "countif", "safe_cast", "format_timestamp", "timestamp_sub",
                          "string_agg", "str_to_date", "unix_timestamp"},
    ),
    "bigquery": Dialect(
        "bigquery", "BigQuery", day_of_week_from_one=True,
        absent=_SQLITE - {"datetime"} | {"nvl", "iff", "group_concat", "listagg", "dateadd", "datediff", "date_format", "curdate", "to_char",
                                         "count_if", "zeroifnull", "str_to_date", "unix_timestamp", "now", "getdate", "sysdate", "split_part",
                                         "date_part"},
        refused=((exp.Extract, "WEEK", "EXTRACT(WEEK)"), (exp.Week, "", "WEEK()")),
    ),
}
PLAIN = Dialect("", "the source")
"""Queries on sources without a SQL dialect of their own (CRM objects)."""


@dataclass(frozen=True)
class Catalog:
    """What a query may name: tables as (schema or "", table) and the names of datetime columns, all in lower case."""

    tables: frozenset[tuple[str, str]]
    temporal_columns: frozenset[str]


def dialect_for(source: str) -> Dialect:
    """The dialect of a connection type (``postgresql``, ``mysql``, ...); plain SQL for any other source."""
    return DIALECTS.get(source, PLAIN)


def to_duckdb(query: str, dialect: Dialect, catalog: Catalog) -> str:
    """The DuckDB statement that answers ``query`` as ``dialect``'s database would; ``QueryError`` where none does."""
    _check_functions(query, dialect)
    statement = _parse(query, dialect)
    if not isinstance(statement, exp.Query) or statement.find(exp.Into):
        raise QueryError(READ_ONLY)
    _check_tables(statement, catalog)
    _check_semantics(statement, dialect, catalog)
    _name_columns(statement, query, dialect)
    _rewrite(statement, dialect)
    try:
        return statement.sql("duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as error:
        raise QueryError(_cannot(_construct(str(error)), dialect)) from None


def _cannot(what: str, dialect: Dialect) -> str:
    """The refusal of a query the sandbox would answer differently from the real database."""
    return f"the sandbox cannot run {what} as {dialect.title} would"


def _written_functions(query: str, dialect: Dialect) -> Iterable[str]:
    """Function names as the query spells them (a name followed by a parenthesis)."""
    try:
        tokens = Parser.get_or_raise(dialect.parser or None).tokenize(query)
    except TokenError:
        raise QueryError("syntax error: an unterminated quote or comment") from None
    return (name.text for name, after in zip(tokens, tokens[1:], strict=False) if _WORD.match(name.text) and after.token_type == TokenType.L_PAREN)


def _check_functions(query: str, dialect: Dialect) -> None:
    """Refuse a function this database does not have, with the error it gives (e.g. SQLite's ``datetime()`` on PostgreSQL)."""
    for name in _written_functions(query, dialect):
        if name.lower() in dialect.absent:
            raise QueryError(f"function {name}() does not exist in {dialect.title}")


def _parse(query: str, dialect: Dialect) -> exp.Expr:
    """The one statement of ``query``, or the syntax error worded as PostgreSQL words it."""
    try:
        statements = [s for s in sqlglot.parse(query, read=dialect.parser or None) if s is not None]
    except ParseError as error:
        raise QueryError(_syntax_error(query, dialect, error)) from None
    if not statements:
        raise QueryError("syntax error at end of input")
    if len(statements) > 1:
        raise QueryError("cannot insert multiple commands into a prepared statement")
    return statements[0]


def _syntax_error(query: str, dialect: Dialect, error: ParseError) -> str:
    """PostgreSQL's wording: near an unknown first word, near the offending token, or at the end of the input."""
    tokens = Parser.get_or_raise(dialect.parser or None).tokenize(query)
    if tokens and tokens[0].token_type not in _STATEMENT_STARTS and tokens[0].token_type in (TokenType.VAR, TokenType.IDENTIFIER):
        return f'syntax error at or near "{tokens[0].text}"'
    detail = error.errors[0] if error.errors else {}
    if not str(detail.get("end_context", "x")).strip():
        return "syntax error at end of input"
    return f'syntax error at or near "{detail.get("highlight", "")}"'


def _check_tables(statement: exp.Expr, catalog: Catalog) -> None:
    """Every table the query names exists (a BigQuery project or database prefix is ignored): else PostgreSQL's error."""
    local = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    schemas = {schema for schema, _ in catalog.tables}
    for table in statement.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue
        schema, name = table.db.lower(), table.name.lower()
        if not schema and name in local:
            continue
        found = (schema, name) in catalog.tables if schema else any((s, name) in catalog.tables for s in schemas | {""})
        if not found:
            written = ".".join(part.name for part in table.parts)
            raise QueryError(f'relation "{written}" does not exist')
        table.set("catalog", None)


def _is_temporal(node: exp.Expr, catalog: Catalog) -> bool:
    """Whether ``node`` is a date or time: a datetime column, the current date or time, or a cast or parse to one."""
    if isinstance(node, exp.Column):
        return node.name.lower() in catalog.temporal_columns
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in ("now", "sysdate")
    return isinstance(node, _TEMPORAL) or (isinstance(node, exp.Cast) and node.to.is_type(*exp.DataType.TEMPORAL_TYPES))


def _check_semantics(statement: exp.Expr, dialect: Dialect, catalog: Catalog) -> None:
    """Refuse what DuckDB computes differently from ``dialect``'s database."""
    for function in statement.find_all(exp.Anonymous):
        if function.name.lower() not in dialect.verified:
            raise QueryError(_cannot(f"{function.name}()", dialect) + " (it does not know this function: check the name, or use a common one)")
    for node_type, part, shown in dialect.refused:
        for node in statement.find_all(node_type):
            if not part or node.this.name.upper() == part:
                raise QueryError(_cannot(shown, dialect))
    if dialect.parser == "mysql":
        for arithmetic in statement.find_all(exp.Add, exp.Sub):
            sides = (arithmetic.this, arithmetic.expression)
            if any(_is_temporal(side, catalog) for side in sides) and any(isinstance(side, exp.Literal) and side.is_number for side in sides):
                raise QueryError(
                    _cannot("date arithmetic with a plain number", dialect)
                    + " (MySQL turns the date into a number like 20250105); use DATE_SUB(CURDATE(), INTERVAL 30 DAY)"
                )


def _rewrite(statement: exp.Expr, dialect: Dialect) -> None:
    """Give DuckDB this database's answers: dates from date arithmetic, Sunday-is-1 weekdays, an error on division by zero."""
    if dialect.dates_stay_dates:
        annotate_types(statement, dialect=dialect.parser or None)
        for arithmetic in [*statement.find_all(*_DATE_ARITHMETIC)]:
            if arithmetic.type is not None and arithmetic.type.is_type(exp.DataType.Type.DATE):
                arithmetic.replace(exp.cast(arithmetic.copy(), exp.DataType.Type.DATE))
    if dialect.day_of_week_from_one:
        weekdays: list[exp.Expr] = [*statement.find_all(exp.DayOfWeek)]
        weekdays += [e for e in statement.find_all(exp.Extract) if e.this.name.upper() in ("DAYOFWEEK", "DOW")]
        for weekday in weekdays:
            weekday.replace(exp.paren(exp.Add(this=weekday.copy(), expression=exp.Literal.number(1))))
    if dialect.parser != "mysql":
        for division in [*statement.find_all(exp.Div)]:
            if division.args.get("safe"):
                continue
            divisor = division.expression
            guard = exp.Anonymous(this="error", expressions=[exp.Literal.string(_DIVISION_BY_ZERO)])
            checked = exp.Case().when(exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0)), guard).else_(divisor.copy())
            divisor.replace(checked)


def _written_call(query: str, function: exp.Expr) -> str | None:
    """A function call as the query spells it (name to closing parenthesis), from the position sqlglot records."""
    start, end = function.meta.get("start"), function.meta.get("end")
    if start is None or end is None:
        return None
    depth, quote = 0, ""
    for position in range(end + 1, len(query)):
        char = query[position]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return query[start : position + 1]
    return None


def _column_name(query: str, selected: exp.Expr, dialect: Dialect, unnamed: int) -> str | None:
    """The name this database gives an unaliased result column (None: a column keeps its own name)."""
    if isinstance(selected, (exp.Alias, exp.Column, exp.Star)):
        return None
    if dialect.parser == "bigquery":
        return f"f{unnamed}_"
    if dialect.parser == "postgres":
        if isinstance(selected, exp.Cast) and isinstance(selected.this, exp.Column):
            return selected.this.name
        start, end = selected.meta.get("start"), selected.meta.get("end")
        return query[start : end + 1].lower() if isinstance(selected, exp.Func) and start is not None and end is not None else "?column?"
    if dialect.parser == "mysql":
        return _written_call(query, selected) or selected.sql("mysql")
    if dialect.parser == "snowflake":
        return selected.sql("snowflake").upper()
    return None


def _name_columns(statement: exp.Expr, query: str, dialect: Dialect) -> None:
    """Alias unaliased result columns the way ``dialect``'s database names them (``count``, ``COUNT(*)``, ``f0_``)."""
    first = statement
    while isinstance(first, exp.SetOperation):
        first = first.this
    if not isinstance(first, exp.Select):
        return
    unnamed = 0
    for selected in first.expressions:
        name = _column_name(query, selected, dialect, unnamed)
        if name is not None:
            selected.replace(exp.alias_(selected.copy(), name, quoted=True))
            unnamed += 1


def _construct(message: str) -> str:
    """The SQL name of the construct sqlglot cannot write for DuckDB (from its message), e.g. ``TO_CHAR()``."""
    found = re.search(r"expression '(\w+)'", message)
    node = getattr(exp, found.group(1), None) if found else None
    if isinstance(node, type) and issubclass(node, exp.Func):
        return f"{node.sql_name()}()"
    return f"this query ({message.rstrip('.')})"
