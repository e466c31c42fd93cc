"""Precomputed output schemas of every tool, so start-up does not generate them with pydantic.

Generating JSON Schemas for 17 result models was about a third of the server's start-up
work. They are generated once into ``output_schemas.json`` (shipped in the package) and a
test fails when that file no longer matches the result models. Regenerate with::

    python -m polytomic_mcp.tools.output_schemas --write
"""

from __future__ import annotations

import argparse
import json
import typing
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .schema_compact import compact_output_schema

FILE = "output_schemas.json"


def generate() -> dict[str, dict[str, Any]]:
    """Output schema of every declared tool, from its return annotation."""
    from .registry import SPECS

    schemas: dict[str, dict[str, Any]] = {}
    for name, spec in sorted(SPECS.items()):
        returned = typing.get_type_hints(spec.fn.__wrapped__)["return"]  # type: ignore[attr-defined]
        schemas[name] = compact_output_schema(TypeAdapter(returned).json_schema(by_alias=True, mode="serialization"))
    return schemas


@cache
def load() -> dict[str, dict[str, Any]]:
    """The committed schemas (empty if the file is missing, in which case the SDK generates them)."""
    try:
        return json.loads(resources.files(__package__).joinpath(FILE).read_text())
    except FileNotFoundError:
        return {}


def render(schemas: dict[str, dict[str, Any]]) -> str:
    """Stable JSON text."""
    return json.dumps(schemas, indent=1, sort_keys=True) + "\n"


def main() -> None:
    """Print the schemas, or write them next to this module with ``--write``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    text = render(generate())
    if args.write:
        (Path(__file__).parent / FILE).write_text(text)
    else:
        print(text, end="")


if __name__ == "__main__":
    import polytomic_mcp.tools  # noqa: F401 - registers the tools

    main()
