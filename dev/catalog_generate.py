"""Generate ``polytomic_mcp/catalog/operations.json`` from the official ``polytomic`` SDK (``python -m dev.regenerate``).

A development script: the SDK is pinned in the test extra and imported only here, never at run time. Every
method of a ``Raw*Client`` (the synchronous one) that sends a request is one operation. Its HTTP method, path,
query keys and JSON body keys are read from the ``httpx_client.request(...)`` call in its source; their types
from its signature and the SDK's pydantic models; the summary from its docstring. ``catalog_rules`` adds the
classification. The output is sorted and has sorted keys, so regenerating gives the same bytes.
"""

from __future__ import annotations

import ast
import collections.abc as abc
import datetime as dt
import importlib
import inspect
import json
import re
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polytomic
import pydantic

from polytomic_mcp.catalog.operation import field_name

from . import catalog_rules as rules

OUTPUT = Path(__file__).resolve().parents[1] / "polytomic_mcp" / "catalog" / "operations.json"
RESPONSES = OUTPUT.with_name("responses.json")
SDK_ROOT = Path(polytomic.__file__).parent
MAX_DEPTH = 2
"""Nesting levels of a body schema that are spelled out; deeper objects are ``object``."""
RESPONSE_DEPTH = 4
"""Nesting levels of a response type spelled out for the sandbox (envelope, object, member, list item)."""
MAX_ENUM = 30
"""Enum members listed before the rest are counted (``a|b|...+3``)."""
MAX_SUMMARY = 120
PLAIN_HEADERS = frozenset({"content-type", "Idempotency-Key"})
"""Headers every generic call sends anyway (or need not): not worth listing per operation."""
SCALARS: dict[Any, str] = {
    str: "string", int: "integer", float: "number", bool: "boolean",
    dt.datetime: "datetime", dt.date: "date", typing.Any: "any", object: "any",
}


@dataclass(frozen=True)
class Call:
    """What one SDK method's ``request(...)`` call sends: method, path and ``{wire name: parameter}`` maps."""

    method: str
    path: str
    path_params: dict[str, str]
    query: dict[str, str]
    body: dict[str, str] | None
    headers: tuple[str, ...]


def raw_clients() -> Iterator[tuple[str, type]]:
    """(module id like ``bulk_sync.schedules``, its synchronous ``Raw*Client`` class) for every SDK resource."""
    for source in sorted(SDK_ROOT.rglob("raw_client.py")):
        parts = source.parent.relative_to(SDK_ROOT).parts
        module = importlib.import_module(".".join(("polytomic", *parts, "raw_client")))
        (cls,) = (value for name, value in vars(module).items()
                  if inspect.isclass(value) and name.startswith("Raw") and value.__module__ == module.__name__)
        yield ".".join(parts), cls


def request_call(function: Callable[..., Any]) -> ast.Call | None:
    """The ``self._client_wrapper.httpx_client.request(...)`` call in a method's source, if it sends one."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "request" \
                and ast.unparse(node.func.value).endswith("httpx_client"):
            return node
    return None


def parameter_of(value: ast.expr) -> str:
    """The parameter an entry sends: ``name``, or the first argument of a wrapper call (encoders, converters)."""
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == "object_" and isinstance(keyword.value, ast.Name):
                return keyword.value.id
        if value.args and isinstance(value.args[0], ast.Name):
            return value.args[0].id
    if isinstance(value, ast.IfExp):
        return parameter_of(value.body)
    raise ValueError(f"unexpected SDK request argument: {ast.unparse(value)}")


def wire_dict(node: ast.expr) -> dict[str, str]:
    """``{"wire": parameter, ...}`` of a ``params=`` or ``json=`` dict literal."""
    if not isinstance(node, ast.Dict):
        raise ValueError(f"expected a dict literal, got {ast.unparse(node)}")
    return {str(typing.cast(ast.Constant, key).value): parameter_of(value) for key, value in zip(node.keys, node.values, strict=True)}


def read_call(call: ast.Call) -> Call:
    """Method, path (``/api/...{name}``), path parameters, query, body and extra headers of a request call."""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    template = call.args[0]
    path_params: dict[str, str] = {}
    if isinstance(template, ast.JoinedStr):
        pieces = []
        for piece in template.values:
            if isinstance(piece, ast.Constant):
                pieces.append(str(piece.value))
            else:
                parameter = parameter_of(typing.cast(ast.FormattedValue, piece).value)
                wire = parameter.removesuffix("_")
                path_params[wire] = parameter
                pieces.append("{" + wire + "}")
        path = "".join(pieces)
    else:
        path = str(typing.cast(ast.Constant, template).value)
    headers = {str(typing.cast(ast.Constant, key).value) for key in typing.cast(ast.Dict, keywords["headers"]).keys} if "headers" in keywords else set()
    return Call(
        method=str(typing.cast(ast.Constant, keywords["method"]).value),
        path="/" + path,
        path_params=path_params,
        query=wire_dict(keywords["params"]) if "params" in keywords else {},
        body=wire_dict(keywords["json"]) if "json" in keywords else None,
        headers=tuple(sorted(headers - PLAIN_HEADERS)),
    )


def compact(annotation: Any, depth: int = 0, limit: int = MAX_DEPTH, seen: frozenset[type] = frozenset()) -> Any:
    """A compact, JSON-ready picture of a type: names for scalars, ``a|b`` enums, ``[item]`` lists, dicts for models.

    A model already being pictured further up (``seen``: a recursive type) is ``object``, as is one past ``limit``.
    """
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if annotation in SCALARS:
        return SCALARS[annotation]
    if origin is typing.Annotated:
        return compact(arguments[0], depth, limit, seen)
    if origin is typing.Literal:
        return enum(arguments)
    if origin in (typing.Union, types.UnionType):
        return union([argument for argument in arguments if argument is not type(None)], depth, limit, seen)
    if origin in (list, set, frozenset, tuple) or (origin is not None and _is_sequence(origin)):
        return [compact(arguments[0], depth, limit, seen) if arguments else "any"]
    if origin is dict or (origin is not None and _is_mapping(origin)):
        return f"map<{inline(compact(arguments[1], limit, limit, seen)) if len(arguments) == 2 else 'any'}>"
    if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
        return model(annotation, depth, limit, seen)
    if annotation is dict:
        return "object"
    raise ValueError(f"no compact form for {annotation!r}")


def _is_sequence(origin: Any) -> bool:
    return inspect.isclass(origin) and issubclass(origin, abc.Sequence) and origin is not str


def _is_mapping(origin: Any) -> bool:
    return inspect.isclass(origin) and issubclass(origin, abc.Mapping)


def enum(values: tuple[Any, ...]) -> str:
    """``"a|b|c"``; beyond ``MAX_ENUM`` members the rest are counted."""
    names = [str(value) for value in values]
    shown = names[:MAX_ENUM]
    return "|".join(shown) + (f"|...+{len(names) - MAX_ENUM}" if len(names) > MAX_ENUM else "")


def union(members: list[Any], depth: int, limit: int = MAX_DEPTH, seen: frozenset[type] = frozenset()) -> Any:
    """A union: an open enum (``Literal`` or ``Any``) is the enum; one member is itself; scalars join with ``|``."""
    literals = [value for member in members if typing.get_origin(member) is typing.Literal for value in typing.get_args(member)]
    others = [member for member in members if typing.get_origin(member) is not typing.Literal and member is not typing.Any]
    if literals and not others:
        return enum(tuple(literals))
    if len(members) == 1:
        return compact(members[0], depth, limit, seen)
    pictures = [compact(member, depth, limit, seen) for member in others]
    if any(isinstance(picture, dict) for picture in pictures):
        return "object"
    return "|".join(dict.fromkeys(inline(picture) for picture in pictures))


def inline(picture: Any) -> str:
    """A picture as one string: a list of scalars is ``[type]``, an object ``object``."""
    if isinstance(picture, str):
        return picture
    if isinstance(picture, list):
        return f"[{inline(picture[0])}]"
    return "object"


def model(cls: type[pydantic.BaseModel], depth: int, limit: int = MAX_DEPTH, seen: frozenset[type] = frozenset()) -> Any:
    """A pydantic model's fields by wire name (``*`` when required), or ``object`` past ``limit`` levels or inside itself."""
    if depth >= limit or cls in seen:
        return "object"
    cls.model_rebuild()
    return {
        (info.alias or name) + ("*" if info.is_required() else ""): compact(info.annotation, depth + 1, limit, seen | {cls})
        for name, info in cls.model_fields.items()
    }


def parameter_schema(function: Callable[..., Any], wire: dict[str, str], depth: int) -> dict[str, Any]:
    """``{wire name (+ '*'): compact type}`` for the parameters a method sends under ``wire``."""
    hints = typing.get_type_hints(function, include_extras=True)
    signature = inspect.signature(function).parameters
    return {
        name + ("*" if signature[parameter].default is inspect.Parameter.empty else ""): compact(hints[parameter], depth)
        for name, parameter in wire.items()
    }


def summary(function: Callable[..., Any], method: str, path: str) -> str:
    """The docstring's first sentence, links and markup removed, at most ``MAX_SUMMARY`` characters."""
    doc = inspect.getdoc(function) or ""
    first = doc.split("\n\n")[0].strip()
    if not first or first.startswith("Parameters"):
        return f"{method} {path}"[:MAX_SUMMARY]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(first.split())).replace("`", "")
    sentence = re.split(r"(?<!e\.g)(?<!i\.e)\.\s+", text + " ", maxsplit=1)[0].strip().rstrip(".")
    if len(sentence) <= MAX_SUMMARY:
        return sentence
    return sentence[: MAX_SUMMARY - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def operation(module: str, name: str, function: Callable[..., Any], call: Call) -> dict[str, Any]:
    """One catalog entry."""
    operation_id = f"{module}.{name}"
    query = parameter_schema(function, call.query, MAX_DEPTH)
    body = None if call.body is None else parameter_schema(function, call.body, 0)
    entry: dict[str, Any] = {
        "id": operation_id,
        "method": call.method,
        "path": call.path,
        "summary": summary(function, call.method, call.path),
        "path_params": list(call.path_params),
        "query": query,
        "body": body,
        "secret_fields": list(rules.secret_fields(call.path, body)),
        "destructive_params": list(rules.destructive_params(query, body)),
        "headers": list(call.headers),
        "reads": rules.reads(call.method),
        "risk": list(rules.risks(operation_id, call.method, call.path)),
        "typed_tool": rules.typed_tool(operation_id),
        "since": rules.since(operation_id),
    }
    if entry["typed_tool"] is not None:
        names = [*call.path_params, *map(field_name, query), *map(field_name, body or {})]
        entry["untyped_params"] = list(rules.untyped_params(operation_id, names))
    return entry


def operations() -> list[dict[str, Any]]:
    """Every SDK operation, sorted by (path, method)."""
    found = []
    for module, cls in raw_clients():
        for name, function in sorted(vars(cls).items()):
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            call = request_call(function)
            if call is not None:
                found.append(operation(module, name, function, read_call(call)))
    if set(rules.TYPED_ARGS) != set(rules.TYPED_TOOLS):
        raise ValueError(f"rules.TYPED_ARGS and TYPED_TOOLS name different operations: {sorted(set(rules.TYPED_ARGS) ^ set(rules.TYPED_TOOLS))}")
    unknown = set(rules.TYPED_TOOLS) - {entry["id"] for entry in found}
    if unknown:
        raise ValueError(f"rules.TYPED_TOOLS names operations the SDK does not have: {sorted(unknown)}")
    return sorted(found, key=lambda entry: (entry["path"], entry["method"]))


def render(entries: list[dict[str, Any]]) -> str:
    """The file's text: one operation per line, keys sorted, so diffs stay readable and bytes stable."""
    lines = [json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for entry in entries]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def response(operation_id: str, function: Callable[..., Any]) -> dict[str, Any]:
    """What the SDK parses a 2xx answer of one operation into: its type's name, the model under ``data`` (if any)
    and the type's compact picture to ``RESPONSE_DEPTH`` levels; ``type`` None when the SDK ignores the body."""
    (answer,) = typing.get_args(typing.get_type_hints(function)["return"])
    if answer is type(None):
        return {"id": operation_id, "type": None, "data_type": None, "shape": None}
    answer.model_rebuild()
    data = answer.model_fields.get("data")
    inner = _model_in(data.annotation) if data is not None else None
    return {
        "id": operation_id,
        "type": answer.__name__,
        "data_type": inner.__name__ if inner is not None else None,
        "shape": model(answer, 0, RESPONSE_DEPTH),
    }


def _model_in(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The pydantic model in ``X``, ``Optional[X]`` or ``Optional[List[X]]``, if any."""
    if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    found = [m for argument in typing.get_args(annotation) if (m := _model_in(argument)) is not None]
    return found[0] if len(found) == 1 else None


def responses() -> list[dict[str, Any]]:
    """The response of every SDK operation, in the catalog's order."""
    found = []
    for module, cls in raw_clients():
        for name, function in sorted(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(function) and (call := request_call(function)) is not None:
                found.append((read_call(call), response(f"{module}.{name}", function)))
    return [entry for call, entry in sorted(found, key=lambda pair: (pair[0].path, pair[0].method))]
