"""Results of search_api and call_api."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..core.views import View, Written


class ApiOperationHit(View):
    """One API operation found by search_api: enough to call it with call_api."""

    operation: str
    method: str
    path: str
    summary: str
    path_params: list[str] | None = None
    query: dict[str, str] | None = Field(default=None, description="Name to type; * marks required.")
    body: dict[str, Any] | None = Field(default=None, description="Field to type; * marks required.")
    reads: bool
    asks_user: str | None = Field(default=None, description="Why call_api asks the user before sending it.")
    use_instead: str | None = Field(default=None, description="The typed tool that does this job better.")
    call_api_for: list[str] | None = Field(default=None, description="Parameters use_instead cannot send: a call setting one goes "
                                           "through call_api.")
    unavailable: str | None = Field(default=None, description="Why call_api will refuse it here.")


class ApiSearchResult(View):
    """Operations matching a search_api query, best first."""

    operations: list[ApiOperationHit]
    next_step: str


class ApiCallResult(Written):
    """What call_api sent (or, with dry_run, would send) and Polytomic's answer, secrets masked."""

    untrusted = ("response",)

    operation: str
    request: str = Field(description="METHOD /path as sent.")
    sent: bool
    query: dict[str, Any] | None = None
    body: Any = None
    response: Any = None
    truncated: str | None = Field(default=None, description="What was cut from a large response, and how to get the rest.")
    next_page_token: str | None = None
    next_step: str
