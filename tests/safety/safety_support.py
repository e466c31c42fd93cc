"""Helpers for the safety tests: a long-lived in-memory session driven from sync code, JSON-Schema
strategies for hypothesis, the per-call safety contract, and raw stdio / HTTP plumbing."""

from __future__ import annotations

import base64
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import processes
from anyio.from_thread import BlockingPortal
from hypothesis import strategies as st
from mcp import Client
from mcp.types import CallToolResult
from workflow import MONGO, SALESFORCE, sync_args

from polytomic_mcp.client import PolytomicClient
from polytomic_mcp.sandbox import EMPTY_API_KEY, Sandbox
from polytomic_mcp.server import build_server
from polytomic_mcp.settings import Settings

BASE_URL = "http://sandbox.polytomic.test"
MODES = ["auto", "legacy"]
LEGACY_VERSION = "2025-11-25"



# --------------------------------------------------------------------------------------------------
# In-memory server on the sandbox


def api_client(sandbox: Sandbox) -> PolytomicClient:
    return PolytomicClient(
        EMPTY_API_KEY, base_url=BASE_URL, transport=sandbox.transport(), retry_backoff=0.001, max_retry_delay=0.01,
        job_poll_interval=0.001,
    )


@asynccontextmanager
async def mcp_session(sandbox: Sandbox, mode: str = "auto") -> AsyncIterator[Client]:
    """An in-memory MCP client session on a server over ``sandbox``."""
    async with api_client(sandbox) as api:
        async with Client(build_server(Settings(sandbox=True), client=api), mode=mode) as client:
            yield client


async def listed_tool_schemas() -> dict[str, dict[str, Any]]:
    """tools/list of a fresh server: name -> inputSchema."""
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    async with mcp_session(sandbox) as client:
        return {t.name: t.input_schema for t in (await client.list_tools()).tools}


@dataclass
class Seeded:
    """Real objects created in the sandbox before fuzzing, so fuzzed ids sometimes hit them."""

    mongo: str
    salesforce: str
    salesforce_pending: str
    model: str
    sync: str
    auth_url: str

    @property
    def ids(self) -> list[str]:
        return [self.mongo, self.salesforce, self.salesforce_pending, self.model, self.sync]


async def _ok(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, arguments)
    assert not result.is_error, result.content[0].text if result.content else result
    assert isinstance(result.structured_content, dict)
    return result.structured_content


async def seed(client: Client, sandbox: Sandbox) -> Seeded:
    """A MongoDB source, an authorized and a pending Salesforce destination, a model and a sync."""
    mongo = await _ok(client, "create_connection", MONGO)
    salesforce = await _ok(client, "create_connection", SALESFORCE)
    sandbox.complete_oauth(salesforce["id"])
    pending = await _ok(client, "create_connection", {**SALESFORCE, "name": "Salesforce Pending"})
    model = await _ok(
        client, "create_model",
        {"name": "MongoDB Model", "connection_id": mongo["id"], "configuration": {"database": "example", "collection": "users"}},
    )
    sync = await _ok(client, "create_sync", sync_arguments(model["id"], salesforce["id"]))
    assert sync["created"] is True
    return Seeded(mongo["id"], salesforce["id"], pending["id"], model["id"], sync["id"], pending.get("auth_url") or "")


def sync_arguments(model_id: str, salesforce_id: str) -> dict[str, Any]:
    """The reference workflow's sync, scheduled manually so fuzzing never starts runs."""
    return {**sync_args(model_id, salesforce_id), "schedule": {"frequency": "manual"}}


# --------------------------------------------------------------------------------------------------
# Crashes hidden behind "Error executing tool X": the server logs them; we read the log in-process.

CRASH_LOGGER = "mcp.server.mcpserver.server"


class CrashLog(logging.Handler):
    """Collects the tracebacks the SDK logs when a tool raises something that is not a ToolError.

    Kept as text: the project's log-record factory may already have turned ``exc_info`` into a scrubbed
    ``exc_text`` by the time a handler sees the record.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.crashes: list[str] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        text = ""
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(record.exc_info[1]))
        elif record.exc_text:
            text = record.exc_text
        if text:
            with self._guard:
                self.crashes.append(text)

    def take(self) -> list[str]:
        with self._guard:
            taken, self.crashes = self.crashes, []
        return taken


@contextmanager
def crash_log() -> Iterator[CrashLog]:
    handler = CrashLog()
    logger = logging.getLogger(CRASH_LOGGER)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def exception_lines(trace: str) -> list[str]:
    """The ``pkg.Error: message`` lines of a formatted (possibly chained) traceback, root cause first."""
    return [line for line in trace.splitlines() if line and not line[0].isspace() and not line.startswith(("Traceback", "The above", "During handling")) and ":" in line]


def describe(crash: BaseException | str) -> str:
    if isinstance(crash, BaseException):
        crash = "".join(traceback.format_exception(crash))
    lines = exception_lines(crash)
    return lines[0][:300] if lines else crash[-300:]


# --------------------------------------------------------------------------------------------------
# The per-call safety contract


def short(value: Any, limit: int = 600) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def check_result(name: str, arguments: Any, result: Any) -> None:
    """What every tools/call must give back, whatever the arguments."""
    where = f"{name}({short(arguments)})"
    assert isinstance(result, CallToolResult), f"{where}: not a CallToolResult: {short(result)}"
    assert isinstance(result.is_error, bool), f"{where}: is_error={result.is_error!r}"
    if result.is_error:
        assert result.content, f"{where}: error result without content"
        text = getattr(result.content[0], "text", None)
        assert isinstance(text, str) and text.strip(), f"{where}: error result with empty text: {short(result.content)}"
        assert text.strip() != f"Error executing tool {name}", f"{where}: the tool crashed (opaque error text)"
    else:
        assert isinstance(result.structured_content, dict), f"{where}: success without structured content: {short(result)}"


@dataclass
class Harness:
    """A session that lives on a blocking portal's event loop, so sync (hypothesis) code can call it."""

    portal: BlockingPortal
    client: Client
    crashes: CrashLog
    sandbox: Sandbox
    seeded: Seeded
    calls: int = 0

    def call(self, name: str, arguments: Any) -> CallToolResult:
        self.calls += 1
        self.crashes.take()
        try:
            result = self.portal.call(self.client.call_tool, name, arguments)
        except Exception as error:  # noqa: BLE001 - any exception is the failure we report
            raise AssertionError(
                f"{name}({short(arguments)}) raised {type(error).__name__}: {short(str(error))} "
                f"(root cause {describe(error)})"
            ) from error
        crashes = self.crashes.take()
        if (
            isinstance(result, CallToolResult)
            and result.is_error
            and result.content
            and getattr(result.content[0], "text", "") == f"Error executing tool {name}"
        ):
            detail = "; ".join(describe(c) for c in crashes) or "no server log captured"
            raise AssertionError(f"{name}({short(arguments)}) crashed inside the tool: {detail}")
        check_result(name, arguments, result)
        return result

    def assert_alive(self) -> None:
        result = self.portal.call(self.client.call_tool, "list_connections", {})
        assert not result.is_error, result.content[0].text
        assert isinstance(result.structured_content, dict)
        assert result.structured_content["total"] >= 3
        tools = self.portal.call(self.client.list_tools)
        assert len(tools.tools) > 0


@contextmanager
def harness(portal: BlockingPortal, mode: str) -> Iterator[Harness]:
    sandbox = Sandbox.with_empty_workspace(base_url=BASE_URL)
    with crash_log() as crashes, portal.wrap_async_context_manager(mcp_session(sandbox, mode)) as client:
        seeded = portal.call(seed, client, sandbox)
        yield Harness(portal, client, crashes, sandbox, seeded)


# --------------------------------------------------------------------------------------------------
# JSON Schema -> hypothesis strategies


def encode_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def string_pool(seeded: Seeded) -> list[str]:
    """Plausible strings: real ids and names, type ids, objects, fields, modes, cursors, tricky text."""
    return [
        *seeded.ids,
        seeded.mongo.upper(), seeded.model[:-1], seeded.sync + "/..", f"../{seeded.mongo}", seeded.salesforce + "?x=1",
        "mongodb", "salesforce", "postgresql", "MONGODB", "SalesForce", "mongo",
        "Contact", "Lead", "Account", "contact",
        "email", "first_name", "last_name", "Email", "FirstName", "LastName",
        "create", "updateOrCreate", "update", "append", "replace",
        "manual", "continuous", "hourly", "daily", "weekly", "custom", "runafter", "dbtcloud",
        "equality", "Equality", "priority",
        "source", "destination", "example", "users", "public.users",
        "MongoDB Connection", "Salesforce Connection", "MongoDB Model", "Mongo to Salesforce Sync",
        encode_cursor("o:0"), encode_cursor("o:1"), encode_cursor("o:-1"), encode_cursor("o:" + "9" * 5000),
        encode_cursor("x:1"), "not-a-cursor", "====", "o:1",
        "https://example.com/callback", "javascript:alert(1)", "http://169.254.169.254/latest",
        "%00", "%2e%2e%2f", "..", ".", "/", "\\", "?", "#", "&", "'", '"', "`", "{}", "[]", "null", "true", "0", "-1",
        " ", "\t", "\n", "\x00", "\u200b", "\ufeff", "\U0001f600", "\u202e", "a" * 200, "a" * 201,
        "Robert'); DROP TABLE connections;--", "${jndi:ldap://x}", "{{7*7}}", "%s%s%n",
    ]


SAFE_CHARS = st.characters(codec="utf-8")  # every code point except surrogates (incl. astral and controls)
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029"])
ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, codec="utf-8")


def huge_strings(max_chars: int = 100_000) -> st.SearchStrategy[str]:
    """Strings of 1,000..max_chars characters, built cheaply by repeating a short unit."""
    return st.builds(
        lambda unit, n: (unit * (n // len(unit) + 1))[:n],
        st.text(SAFE_CHARS, min_size=1, max_size=4) | st.sampled_from(["a", "\U0001f600", "\x00", "%", "é"]),
        st.integers(1_000, max_chars),
    )


def strings(pool: list[str]) -> st.SearchStrategy[str]:
    pooled = st.sampled_from(pool)
    return st.one_of(
        pooled,
        st.text(SAFE_CHARS, max_size=30),
        st.text(CONTROL, min_size=1, max_size=8),
        st.text(ASTRAL, min_size=1, max_size=8),
        st.just(""),
        st.builds(lambda s, extra: s + extra, pooled, st.text(SAFE_CHARS, min_size=1, max_size=5)),
        st.builds(lambda s: f" {s} ", pooled),
        huge_strings(),
    )


def integers(schema: dict[str, Any]) -> st.SearchStrategy[int]:
    low, high = schema.get("minimum"), schema.get("maximum")
    edges = [0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, -(10**30), 10**400]
    if low is not None:
        edges += [low, low - 1]
    if high is not None:
        edges += [high, high + 1]
    in_range = st.integers(min_value=low, max_value=high)
    return st.one_of(in_range, st.sampled_from(edges), st.integers())


def floats() -> st.SearchStrategy[float]:
    return st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.5, -0.0, 1e308, 5e-324, 1.0, 2.0])


def json_values(pool: list[str], max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Arbitrary JSON (nested garbage)."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), floats(), strings(pool))
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(SAFE_CHARS, max_size=10), children, max_size=4),
        max_leaves=max_leaves,
    )


def deep_nesting() -> st.SearchStrategy[Any]:
    """A value nested 20..200 levels deep (the mcp client itself refuses to serialize ~250+ levels)."""
    def build(depth: int, as_list: bool) -> Any:
        value: Any = "deep"
        for _ in range(depth):
            value = [value] if as_list else {"a": value}
        return value

    return st.builds(build, st.integers(20, 200), st.booleans())


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Pick a branch with the given weights (``one_of`` alone lets hypothesis favour the simplest ones)."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(range(len(table))).flatmap(lambda i: table[i])


JSON_TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"]


class SchemaStrategies:
    """Builds argument strategies from a tool's inputSchema, with hints for plausible values."""

    def __init__(self, root: dict[str, Any], pool: list[str], hints: dict[str, list[Any]]) -> None:
        self.root = root
        self.defs = root.get("$defs", {})
        self.pool = pool
        self.hints = hints
        self.garbage = json_values(pool)
        self.typed = {
            "null": st.none(),
            "boolean": st.booleans(),
            "integer": integers({}),
            "number": floats(),
            "string": strings(pool),
            "array": st.lists(self.garbage, max_size=4),
            "object": st.dictionaries(st.text(SAFE_CHARS, max_size=10), self.garbage, max_size=4),
        }

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 20:
            ref = schema["$ref"]
            assert ref.startswith("#/$defs/"), ref
            base = self.defs[ref.removeprefix("#/$defs/")]
            schema = {**base, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema

    def allowed_types(self, schema: dict[str, Any]) -> set[str]:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return set().union(*(self.allowed_types(s) for s in schema["anyOf"]))
        if "enum" in schema:
            found = set()
            for v in schema["enum"]:
                found.add({type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(v), "object"))
            return found
        kind = schema.get("type")
        if kind is None:
            return set(JSON_TYPES)
        kinds = {kind} if isinstance(kind, str) else set(kind)
        if "integer" in kinds:
            kinds.add("number")
        return kinds

    def wrong(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        """A value of a JSON type the schema does not allow (or garbage when it allows everything)."""
        allowed = self.allowed_types(schema)
        if "number" in allowed:
            allowed = allowed | {"integer"}
        others = [t for t in JSON_TYPES if t not in allowed]
        if not others:
            return self.garbage
        return st.sampled_from(others).flatmap(lambda t: self.typed[t])

    def hinted(self, name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any] | None:
        values = self.hints.get(name)
        if not values:
            return None
        allowed = self.allowed_types(schema)
        fitting = [v for v in values if _json_type(v) in allowed or (_json_type(v) == "integer" and "number" in allowed)]
        return st.sampled_from(fitting) if fitting else None

    def valid(self, schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
        """Values shaped by the schema (types right; lengths, ranges and contents not necessarily valid)."""
        schema = self.resolve(schema)
        if depth > 8:
            return self.garbage
        if "anyOf" in schema:
            return st.one_of([self.valid(s, depth + 1) for s in schema["anyOf"]])
        if "enum" in schema:
            values = list(schema["enum"])
            return st.sampled_from(values) | st.sampled_from([str(v).upper() for v in values] + ["", "other"])
        kind = schema.get("type")
        if isinstance(kind, list):
            return st.one_of([self.valid({**schema, "type": k}, depth + 1) for k in kind])
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            items = schema.get("items", {})
            return st.lists(self.valid(items, depth + 1), max_size=schema.get("maxItems", 4) + 1) | st.lists(
                self.valid(items, depth + 1), min_size=20, max_size=60
            )
        if kind == "string":
            extra = []
            if "maxLength" in schema:
                n = schema["maxLength"]
                extra += ["x" * n, "x" * (n + 1), "\U0001f600" * n, "\U0001f600" * (n + 1)]
            return strings(self.pool) | st.sampled_from(extra or [""])
        if kind == "integer":
            return integers(schema)
        if kind == "number":
            return floats() | integers(schema)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return self.garbage

    def object(self, schema: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
        props = schema.get("properties", {})
        required = set(schema.get("required", []))

        def slot(name: str, sub: dict[str, Any]) -> st.SearchStrategy[Any]:
            base = self.valid(sub, depth + 1)
            hint = self.hinted(name, sub)
            return st.one_of(hint, hint, base) if hint is not None else base

        fixed = st.fixed_dictionaries(
            {k: slot(k, v) for k, v in props.items() if k in required},
            optional={k: slot(k, v) for k, v in props.items() if k not in required},
        )
        extra_schema = schema.get("additionalProperties")
        if not props:
            if isinstance(extra_schema, dict):
                return st.dictionaries(strings(self.pool), self.valid(extra_schema, depth + 1), max_size=5)
            return st.dictionaries(strings(self.pool), self.garbage, max_size=5)
        if isinstance(extra_schema, dict) or extra_schema is True:
            extra_values = self.valid(extra_schema, depth + 1) if isinstance(extra_schema, dict) else self.garbage
            return st.builds(lambda a, b: {**b, **a}, fixed, st.dictionaries(strings(self.pool), extra_values, max_size=3))
        return fixed

    def arguments(self) -> st.SearchStrategy[Any]:
        """Tool arguments: mostly schema-shaped, often deliberately broken (see ``mutate``)."""
        shaped = self.object(self.resolve(self.root), 0)
        return weighted(
            (20, shaped),                           # schema-shaped (values still include bad lengths, ranges, ids)
            (5, shaped.flatmap(self.mutated)),      # then broken: wrong types, missing/extra keys, nulls, garbage
            (1, st.just({})),
            (1, st.none()),
            (1, self.nulls_everywhere(shaped)),
            (1, st.dictionaries(strings(self.pool), self.garbage, max_size=6)),
        )

    def nulls_everywhere(self, shaped: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return shaped.map(_nulled).map(lambda d: d or {k: None for k in self.root.get("properties", {})})

    def mutated(self, args: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3).flatmap(
            lambda ops: st.tuples(*[st.tuples(st.just(op), st.integers(0, 10**6), self.mutation_payload(op)) for op in ops])
        ).map(lambda steps: _apply(args, steps))

    def mutation_payload(self, op: str) -> st.SearchStrategy[Any]:
        props = self.root.get("properties", {})
        if op == "wrong_type":
            if not props:
                return self.garbage
            return st.sampled_from(sorted(props)).flatmap(lambda k: st.tuples(st.just(k), self.wrong(props[k])))
        if op == "extra":
            return st.tuples(strings(self.pool) | st.sampled_from(["__proto__", "_meta", "ctx", "context", "self", "kwargs"]), self.garbage)
        if op == "deep":
            return deep_nesting()
        if op in ("garbage_at", "garbage_top"):
            return self.garbage
        return st.none()


MUTATIONS = ["drop_required", "drop_any", "wrong_type", "extra", "null_at", "garbage_at", "garbage_top", "deep", "empty_container"]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _nulled(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nulled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulled(v) for v in value] or [None]
    return None


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (not the root itself)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            found.append((*prefix, k))
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.append((*prefix, i))
            found += _paths(v, (*prefix, i))
    return found


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _set(root: Any, path: tuple[Any, ...], new: Any) -> None:
    target = root
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new


def _delete(root: Any, path: tuple[Any, ...]) -> None:
    target = root
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]


def _apply(args: dict[str, Any], steps: tuple[tuple[str, int, Any], ...]) -> dict[str, Any]:
    """Apply mutations; ``pick`` chooses a key or path deterministically from the drawn integer."""
    result = _copy(args)
    for op, pick, payload in steps:
        paths = _paths(result)
        if op == "drop_required" or op == "drop_any":
            keys = list(result) if op == "drop_required" else [p for p in paths if isinstance(p[-1], str)]
            if keys:
                chosen = keys[pick % len(keys)]
                if op == "drop_required":
                    del result[chosen]
                else:
                    _delete(result, chosen)
        elif op == "wrong_type":
            if isinstance(payload, tuple):
                key, value = payload
                result[key] = value
        elif op == "extra":
            key, value = payload
            if isinstance(key, str):
                result[key] = value
        elif op == "null_at" and paths:
            _set(result, paths[pick % len(paths)], None)
        elif op == "garbage_at" and paths:
            _set(result, paths[pick % len(paths)], payload)
        elif op == "garbage_top" and result:
            keys = list(result)
            result[keys[pick % len(keys)]] = payload
        elif op == "deep":
            keys = list(result) or ["x"]
            result[keys[pick % len(keys)]] = payload
        elif op == "empty_container" and paths:
            path = paths[pick % len(paths)]
            _set(result, path, [] if pick % 2 else {})
    return result


def hints_for(seeded: Seeded) -> dict[str, list[Any]]:
    """Plausible values by property name (only used when their JSON type fits the property)."""
    model_source = [{"model_id": seeded.model, "field": f} for f in ("email", "first_name", "last_name", "nope")]
    return {
        "connection_id": [seeded.mongo, seeded.salesforce, seeded.salesforce_pending, seeded.model, "nope"],
        "model_id": [seeded.model, seeded.mongo, "nope"],
        "sync_id": [seeded.sync, seeded.model, "nope"],
        "sync_ids": [[seeded.sync], [seeded.sync, "nope"]],
        "type": ["mongodb", "salesforce", "postgresql", "MongoDB", "nope"],
        "capability": ["source", "destination"],
        "name": ["MongoDB Connection", "Salesforce Connection", "MongoDB Model", "Mongo to Salesforce Sync", "fresh name"],
        "configuration": [
            MONGO["configuration"], SALESFORCE["configuration"], {"database": "example", "collection": "users"},
            {"table": "public.users"}, {"hosts": "nowhere.invalid"}, {"hosts": ["a", "b"]}, {},
        ],
        "params": [{"database": "example"}, {"database": "example", "collection": "users"}, {"database": "nope"}],
        "target_object": ["Contact", "Lead", "contact"],
        "object": ["Contact", "Lead", "Nope"],
        "field": ["email", "first_name", "last_name", "nope"],
        "source": model_source,
        "target": [
            "Email", "FirstName", "LastName", "Nope",
            {"connection_id": seeded.salesforce, "object": "Contact"},
            {"connection_id": seeded.salesforce_pending, "object": "Contact"},
            {"connection_id": seeded.mongo, "object": "Contact"},
            {"connection_id": seeded.salesforce, "create": {"name": "NewThing"}},
        ],
        "fields": [
            [{"source": s, "target": t} for s, t in zip(model_source, ["Email", "FirstName", "LastName"], strict=False)],
            ["email", "first_name"],
            [],
        ],
        "identity": [{"source": model_source[0], "target": "Email", "function": "equality"}],
        "mode": ["create", "updateOrCreate", "update", "append"],
        "frequency": ["manual", "continuous", "hourly", "daily", "runafter", "dbtcloud", "bogus"],
        "schedule": [{"frequency": "manual"}, {"frequency": "runafter", "run_after": {"sync_ids": [seeded.sync]}},
                     {"frequency": "dbtcloud"}, {"frequency": "daily", "hour": "25", "minute": "61"}],
        "function": ["equality", "Equality", "nope"],
        "cursor": [encode_cursor("o:0"), encode_cursor("o:1"), encode_cursor("o:-5"), "nope"],
        "search": ["", "mongo", "contact", "sales"],
        "redirect_url": ["https://example.com/cb", "not a url"],
    }


# --------------------------------------------------------------------------------------------------
# Subprocess servers: raw stdio lines and Streamable HTTP


SERVER_CMD = [sys.executable, "-m", "polytomic_mcp", "--sandbox"]


class StdioServer:
    """``python -m polytomic_mcp --sandbox`` with raw line access to its stdin/stdout."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            SERVER_CMD, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ},
        )
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.stderr_tail: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_tail = (self.stderr_tail + [line])[-50:]

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Any) -> None:
        self.send_raw(json.dumps(message).encode() + b"\n")

    def receive(self, timeout: float = 15.0) -> dict[str, Any]:
        """The next JSON-RPC message from stdout (fails on timeout or EOF)."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no reply within {timeout}s; stderr: {self.stderr()}") from None
        if line is None:
            raise AssertionError(f"server closed stdout (exit {self.process.poll()}); stderr: {self.stderr()}")
        return json.loads(line)

    def reply_to(self, request_id: Any, timeout: float = 15.0) -> dict[str, Any]:
        """The response to ``request_id``, skipping notifications."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(max(0.1, deadline - time.monotonic()))
            if message.get("id") == request_id and ("result" in message or "error" in message):
                return message

    def stderr(self) -> str:
        return b"".join(self.stderr_tail).decode(errors="replace")[-3000:]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except Exception:  # noqa: BLE001
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def initialize_request(request_id: int = 1) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0", "id": request_id, "method": "initialize",
        "params": {"protocolVersion": LEGACY_VERSION, "capabilities": {}, "clientInfo": {"name": "safety", "version": "1"}},
    }


INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


@contextmanager
def http_server(stateless: bool) -> Iterator[str]:
    """The project's Streamable HTTP server on the sandbox (see tests/processes.py)."""
    with processes.http_server("--sandbox", stateless=stateless) as url:
        yield url
