"""Turn client errors into messages the model can act on: what went wrong, options, next call.

This is the second and last error boundary (the client maps HTTP once); tools raise
``ToolError`` so the model sees an error result with this text, never a bare crash.
"""

from __future__ import annotations

from mcp.server.mcpserver.exceptions import ToolError

from polytomic_mcp.client import (
    APIStatusError,
    AuthenticationError,
    InvalidRequestError,
    JobFailedError,
    JobPollError,
    JobTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    PolytomicError,
    RateLimitError,
    RequestTimeoutError,
    ResponseParseError,
    ServerError,
    TransportError,
)

from .bounds import clip
from .result_text import quoted


class ToolFailure(ToolError):
    """A ToolError whose message was written for the model.

    ``api_error`` is the client error behind it, when there is one, so a caller can tell
    "Polytomic could not answer" from "the request is wrong".
    """

    def __init__(self, message: str, api_error: PolytomicError | None = None) -> None:
        super().__init__(message)
        self.api_error = api_error


class ConsentNeeded(ToolFailure):
    """Nothing was sent: the person's yes is still to come; the message holds the question for them.

    Masked only with what the server itself holds (``Services.server_secrets``), never with words an agent
    registered, so the question cannot be blinded.
    """


def fail(message: str, *, api_error: PolytomicError | None = None) -> ToolFailure:
    """A ToolError to raise with a message that names the fix (and the client error it explains)."""
    return ToolFailure(message, api_error)


def explain(error: PolytomicError, *, action: str, not_found: str = "", check: str = "") -> str:
    """The model-facing text for a client error.

    ``action`` says what was attempted ("create connection 'x'"), ``not_found`` what to
    call when something does not exist, ``check`` how to find out whether a failed write
    happened anyway.
    """
    action = clip(action)
    if isinstance(error, AuthenticationError):
        return (
            f"Could not {action}: Polytomic rejected the API key (401). The user must set a valid "
            "POLYTOMIC_API_KEY for this server; retrying will not help."
        )
    if isinstance(error, PermissionDeniedError):
        return f"Could not {action}: this API key is not allowed to do that (403): {quoted(error.message)}"
    if isinstance(error, NotFoundError):
        hint = f" {not_found}" if not_found else ""
        return f"Could not {action}: not found {quoted(error.message)}.{hint}"
    if isinstance(error, RateLimitError):
        wait = f" Wait about {error.retry_after:g}s, then retry." if error.retry_after else " Wait, then retry."
        return f"Could not {action}: Polytomic is rate limiting requests (429).{wait}"
    if isinstance(error, JobFailedError):
        return f"Could not {action}: the Polytomic job failed: {quoted(error.message)}"
    if isinstance(error, APIStatusError) and error.status == 501:
        return (f"Could not {action}: the server does not implement this operation (501) {quoted(error.message)}. "
                "Nothing was changed; retrying will not help. Tell the user, or do it another way.")
    if error.may_have_succeeded and check:
        return (
            f"Could not confirm that this worked: {_what_happened(error)}. The change MAY have been "
            f"applied. Before retrying, {check}."
        )
    if isinstance(error, JobTimeoutError):
        return f"Could not {action} in time: Polytomic job {error.job_id} is still running and may still succeed. Do not retry yet."
    if isinstance(error, (ServerError, TransportError)):
        return f"Could not {action}: {_what_happened(error)} {quoted(error.message)}. Try again later."
    if isinstance(error, InvalidRequestError):
        return f"Could not {action}: {error.message}"
    if isinstance(error, ResponseParseError):
        return f"Could not {action}: Polytomic answered with an unexpected response ({error.message})."
    if isinstance(error, APIStatusError):
        return f"Could not {action}: Polytomic rejected the request ({error.status}): {quoted(error.message)}"
    return f"Could not {action}: {error.message}"


def _what_happened(error: PolytomicError) -> str:
    """Why the outcome of a call is unknown, in a few words."""
    if isinstance(error, JobTimeoutError):
        return f"Polytomic job {error.job_id} was still running when the wait ended"
    if isinstance(error, JobPollError):
        return f"Polytomic job {error.job_id} was started but could not be followed to its end"
    if isinstance(error, ServerError):
        return "Polytomic failed (5xx) after retries"
    if isinstance(error, RequestTimeoutError):
        return "Polytomic did not answer in time"
    if isinstance(error, TransportError):
        return "Polytomic could not be reached after retries"
    if isinstance(error, ResponseParseError):
        return "Polytomic's answer could not be read"
    return "the call failed partway"
