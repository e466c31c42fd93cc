"""Record logs of a finished execution: the per-type index, segment file names and their JSON-lines content.

Types follow the SDK's ``ExecutionLogType``: ``records`` (every record sent), ``errors`` (records the
destination rejected, with the code and the fields; one with several problems lists them all under ``errors``),
``warnings`` (records skipped), ``inserts``, ``updates`` and ``deletes``. Each type with records has one segment file, ``<type>-00000.jsonl``; a line names the
record by its identity (the identity mapping's model field, else the model's unique field).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..errors import bad_request, listing, not_found
from ..records import Execution, RecordResult, RunResult

LOG_TYPES = ("records", "errors", "warnings", "inserts", "updates", "deletes")
_OPERATIONS = {"inserts": "insert", "updates": "update", "deletes": "delete"}


def check_type(log_type: str) -> str:
    """Return ``log_type`` or raise 400 naming the valid ones."""
    if log_type not in LOG_TYPES:
        raise bad_request(f'unknown log type "{log_type}"; valid: {listing(list(LOG_TYPES))}')
    return log_type


def _lines(result: RunResult, log_type: str) -> list[dict[str, Any]]:
    def line(record: RecordResult, **extra: Any) -> dict[str, Any]:
        """One JSON line: the record's identity, then what the type is about."""
        return {"identity": record.identity, **extra}

    if log_type == "errors":
        return [
            line(r, operation=r.operation, code=r.error["code"], field=r.error["fields"][0], fields=r.error["fields"], message=r.error["message"],
                 **({"errors": r.error["errors"]} if "errors" in r.error else {}))
            for r in result.processed if r.error is not None
        ]
    if log_type == "warnings":
        return [line(r, code=r.warning["code"], message=r.warning["message"]) for r in result.records if r.warning is not None]
    if log_type == "records":
        return [line(r, operation=r.operation, status="error" if r.error else "ok", fields=r.values) for r in result.processed]
    wanted = _OPERATIONS[log_type]
    return [line(r, fields=r.values) for r in result.processed if r.error is None and r.operation == wanted]


def file_name(log_type: str) -> str:
    """The name of a type's (single) segment file."""
    return f"{log_type}-00000.jsonl"


def index(execution: Execution, url_for: Callable[[str], str]) -> dict[str, Any]:
    """The ``logs`` index: ``{type: {count, url}}`` once the run has finished, ``{}`` before."""
    result = execution.result
    if result is None:
        return {}
    return {t: {"count": len(_lines(result, t)), "url": url_for(t)} for t in LOG_TYPES}


def files(execution: Execution, log_type: str) -> list[str]:
    """Segment file names of one type (none while running or when the type has no records)."""
    result = execution.result
    return [file_name(log_type)] if result is not None and _lines(result, log_type) else []


def content(execution: Execution, log_type: str, filename: str) -> bytes:
    """A segment file as JSON lines, or 404 when the execution has no such file."""
    result = execution.result
    if result is None or filename not in files(execution, log_type):
        raise not_found(f'log file "{log_type}/{filename}" not found for execution "{execution.id}"')
    return "".join(json.dumps(line, default=str) + "\n" for line in _lines(result, log_type)).encode()
