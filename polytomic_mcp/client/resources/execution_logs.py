"""What a sync run left behind and how to stop one: per-execution cancel, console log, record-log index, URLs and files.

Cancel, console log and the index are 2025-09-18 endpoints; on 2024-02-08 these methods raise
``InvalidRequestError`` without sending anything (``syncs.cancel`` still stops a sync's current run there).
Log files are fetched from signed URLs on a storage host, without the API key.
"""

from __future__ import annotations

from .._exceptions import InvalidRequestError
from .._parse import parse_model
from .._versions import API_2025_09_18, since_2025_09_18
from ..models.executions import ConsoleLog, LogFile, LogIndex, LogUrls
from ._resource import Resource, segment

DEFAULT_MAX_LOG_BYTES = 1_000_000
"""Bytes of a log file ``read_log`` reads unless told otherwise (a file can hold every record of a run)."""


class ExecutionLogs(Resource):
    """Methods on one execution of a sync (mixed into ``SyncsResource``)."""

    def _execution_path(self, sync_id: str, execution_id: str) -> str:
        return f"/api/syncs/{segment(sync_id)}/executions/{segment(execution_id)}"

    def _require_latest(self, what: str, instead: str) -> None:
        """Refuse, before sending, an endpoint the pinned API version does not have."""
        if not since_2025_09_18(self.api_version):
            raise InvalidRequestError(f"{what} needs API version {API_2025_09_18} (pinned: {self.api_version}); {instead}")

    async def cancel_execution(self, sync_id: str, execution_id: str) -> str:
        """Ask to cancel one run; returns the API's message. A running run goes ``canceling``, then ``canceled``.

        A run that has already ended is refused (400, ``BadRequestError``).
        """
        self._require_latest("cancelling one execution", f"call syncs.cancel('{sync_id}') to stop the sync's current run")
        path = f"{self._execution_path(sync_id, execution_id)}/cancel"
        data = await self._data("POST", path)
        return str(data.get("message", "")) if isinstance(data, dict) else ""

    async def console_log(self, sync_id: str, execution_id: str, *, limit: int | None = None, after: str | None = None) -> ConsoleLog:
        """Console lines of a run: the latest ``limit`` (at most 50), or those after the cursor ``after``.

        Pass ``next_cursor`` back as ``after`` to read on; an empty ``entries`` means nothing newer yet.
        """
        self._require_latest("the console log", "read the execution's counts and errors with syncs.get_execution")
        path = f"{self._execution_path(sync_id, execution_id)}/consolelog"
        data = await self._data("GET", path, params={"limit": limit, "after": after})
        return parse_model(ConsoleLog, data, f"GET {path}")

    async def log_index(self, sync_id: str, execution_id: str) -> LogIndex:
        """Which record logs a finished run has (``records``, ``errors``, ``warnings``…) and how many records each holds."""
        self._require_latest("the record-log index", "call syncs.log_urls with a log type such as 'errors'")
        path = f"{self._execution_path(sync_id, execution_id)}/logs"
        return parse_model(LogIndex, await self._data("GET", path), f"GET {path}")

    async def log_urls(self, sync_id: str, execution_id: str, log_type: str) -> LogUrls:
        """Signed URLs of every file of one log type (see ``EXECUTION_LOG_TYPES``); ``filenames`` names them for ``read_log``."""
        path = f"{self._execution_path(sync_id, execution_id)}/{segment(log_type)}"
        return parse_model(LogUrls, await self._data("GET", path), f"GET {path}")

    async def read_log(
        self, sync_id: str, execution_id: str, log_type: str, filename: str, *, max_bytes: int = DEFAULT_MAX_LOG_BYTES
    ) -> LogFile:
        """Read one log file: the API redirects to a signed URL, which is fetched without the API key, up to ``max_bytes``.

        Error files hold one JSON object per rejected record (``LogFile.lines()``): its identity, the code
        (e.g. ``REQUIRED_FIELD_MISSING``), the field(s) and the message.
        """
        if max_bytes <= 0:
            raise InvalidRequestError("max_bytes must be > 0")
        path = f"{self._execution_path(sync_id, execution_id)}/{segment(log_type)}/{segment(filename)}"
        location = await self._core.redirect_location(path)
        content, truncated = await self._core.download(location, max_bytes=max_bytes)
        return LogFile(log_type=log_type, filename=filename, text=content.decode("utf-8", "replace"), truncated=truncated)
