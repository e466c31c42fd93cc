"""What a sync run leaves behind: console log lines, the record-log index, signed log URLs and a log file read."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from ._base import APIModel

EXECUTION_LOG_TYPES = ("records", "errors", "warnings", "inserts", "updates", "deletes")
"""Record-log types (the SDK's ``ExecutionLogType``; open: the server may add more)."""


class ConsoleLogEntry(APIModel):
    """One console line of a run."""

    id: str | None = None
    level: str | None = None
    message: str | None = None
    payload: dict[str, Any] | None = None
    timestamp: str | None = None


class ConsoleLog(APIModel):
    """GET …/consolelog: lines, oldest first, and the cursor to pass as ``after`` for what comes next."""

    entries: list[ConsoleLogEntry] = Field(default_factory=list)
    next_cursor: str | None = None


class LogIndexEntry(APIModel):
    """How many records one log type holds and the endpoint that lists its files."""

    count: int | None = None
    url: str | None = None


class LogIndex(APIModel):
    """GET …/logs: one entry per record-log type (all absent while the run has not finished)."""

    records: LogIndexEntry | None = None
    errors: LogIndexEntry | None = None
    warnings: LogIndexEntry | None = None
    inserts: LogIndexEntry | None = None
    updates: LogIndexEntry | None = None
    deletes: LogIndexEntry | None = None

    def counts(self) -> dict[str, int]:
        """Record count per log type that the index reports."""
        return {t: entry.count or 0 for t in EXECUTION_LOG_TYPES if (entry := getattr(self, t)) is not None}


class LogUrls(APIModel):
    """GET …/{type}: signed URLs of a log type's segment files, valid until ``expires``."""

    expires: str | None = None
    urls: list[str] = Field(default_factory=list)

    @property
    def filenames(self) -> list[str]:
        """The file name of each URL (its last path segment), as ``read_log`` takes it."""
        return [unquote(urlsplit(url).path.rsplit("/", 1)[-1]) for url in self.urls]


class LogFile(BaseModel):
    """A record-log file as read: its text (at most the requested size) and whether it was cut there."""

    model_config = ConfigDict(frozen=True)

    log_type: str
    filename: str
    text: str
    truncated: bool = False

    def lines(self) -> list[dict[str, Any]]:
        """The file's JSON-lines objects; a line cut by truncation or not a JSON object is skipped."""
        rows = self.text.splitlines()
        if self.truncated and rows and not self.text.endswith("\n"):
            rows = rows[:-1]
        parsed: list[dict[str, Any]] = []
        for row in rows:
            try:
                value = json.loads(row)
            except ValueError:
                continue
            if isinstance(value, dict):
                parsed.append(value)
        return parsed
