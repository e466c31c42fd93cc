"""The tools' pre-API configuration check and the sandbox's validation give the same verdict on every case of one table."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from config_cases import CASES, NOT_SETTABLE, Case

from polytomic_mcp.client.models import ConfigurationSchema
from polytomic_mcp.sandbox.errors import ApiError
from polytomic_mcp.sandbox.validation import clean_configuration
from polytomic_mcp.tools.core.config_check import check_configuration

Verdict = frozenset[tuple[str, str]]

_TOOLS_WORDING = [
    ("missing", re.compile(r"^missing required field '([^']+)'")),
    ("unknown", re.compile(r"^unknown field '([^']+)'")),
    ("not_settable", re.compile(r"^field '([^']+)' is read-only")),
    ("enum", re.compile(r"^field '([^']+)' must be one of ")),
    ("type", re.compile(r"^field '([^']+)' must be (?:string|integer|number|boolean|object|array)\b")),
]
_SANDBOX_WORDING = [
    ("missing", re.compile(r"^([\w.\[\]]+) is required$")),
    ("unknown", re.compile(r'^unknown field "([^"]+)"$')),
    ("enum", re.compile(r"^([\w.\[\]]+) must be one of ")),
    ("type", re.compile(r"^([\w.\[\]]+) must be an? (?:string|integer|number|boolean|object|array)\b")),
]


def _classify(problem: str, wording: list[tuple[str, re.Pattern[str]]]) -> tuple[str, str]:
    """The (kind, path) a message reports; fails the test on a message neither kind nor path can be read from."""
    for kind, pattern in wording:
        if match := pattern.match(problem):
            return kind, match.group(1)
    pytest.fail(f"unclassified problem: {problem!r}")


def _leaf_paths(value: Any, prefix: str = "") -> set[str]:
    """Dotted paths of every non-null, non-empty value in a configuration."""
    if isinstance(value, dict):
        return {p for key, item in value.items() for p in _leaf_paths(item, f"{prefix}.{key}" if prefix else key)}
    if isinstance(value, list):
        return {p for index, item in enumerate(value) for p in _leaf_paths(item, f"{prefix}[{index}]")}
    return set() if value in (None, "") else {prefix}


def tools_verdict(raw: dict[str, Any], configuration: dict[str, Any]) -> tuple[Verdict, str]:
    """What the tools' check reports, and its text."""
    found = check_configuration(configuration, ConfigurationSchema.from_json_schema("case", raw))
    verdict = [_classify(problem, _TOOLS_WORDING) for problem in found]
    assert len(set(verdict)) == len(verdict), f"a problem is reported twice: {found}"
    return frozenset(verdict), "\n".join(found)


def sandbox_verdict(raw: dict[str, Any], configuration: dict[str, Any]) -> tuple[Verdict, str]:
    """What the sandbox answers: its 400's problems, or the sent fields it kept out of the stored configuration."""
    try:
        stored = clean_configuration(raw, configuration)
    except ApiError as error:
        assert error.status == 400 and error.message.startswith("invalid configuration: "), error.message
        found = re.split(r"; (?!got )", error.message.removeprefix("invalid configuration: "))
        verdict = [_classify(problem, _SANDBOX_WORDING) for problem in found]
        assert len(set(verdict)) == len(verdict), f"a problem is reported twice: {found}"
        return frozenset(verdict), error.message
    dropped = _leaf_paths(configuration) - _leaf_paths(stored)
    return frozenset((NOT_SETTABLE, path) for path in dropped), ""


def _schema_of(case: Case, request: pytest.FixtureRequest) -> dict[str, Any]:
    if isinstance(case.schema, dict):
        return case.schema
    shared: Path = request.getfixturevalue("shared_api")
    return json.loads((shared / "connection_type_schemas" / f"{case.schema}.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_both_checkers_give_the_expected_verdict(case: Case, request: pytest.FixtureRequest) -> None:
    raw = _schema_of(case, request)
    tools, tools_text = tools_verdict(raw, case.configuration)
    sandbox, sandbox_text = sandbox_verdict(raw, case.configuration)
    assert tools == case.verdict, tools_text
    assert sandbox == case.verdict, sandbox_text
    for text in case.mentions:
        assert text in tools_text and text in sandbox_text, (text, tools_text, sandbox_text)
