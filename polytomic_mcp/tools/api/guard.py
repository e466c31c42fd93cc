"""What call_api checks before anything is sent: the operation, what this server refuses, what needs the user's yes.

Refused outright, with nothing sent: unknown operations, operations the configured API version does
not have (the catalog names the version that added each), writes in read-only mode, writes a
typed tool does (that tool checks first and asks the user where it matters, so call_api must
not become the way around it) unless the call sets a parameter that tool cannot send, operations that mint credentials unless the setting allows them,
and ``{"$env": ...}`` references outside secret fields. Asked first: every write the consent
table (``consent_table``) does not list as needing no yes, with the effect the question names;
``consent_effect`` is re-exported here. Secret values the agent writes are masked in what is shown
by their field (``masked_body``) and never added to the key's list of secrets to mask: only values
the server holds (resolved ``{"$env": ...}`` references, the API key) are, so an agent cannot make
a later question or answer hide a word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from polytomic_mcp.catalog import CatalogError, Operation, ResolvedRequest, build_request, find

from ..core.errors import fail
from ..core.secrets import Reference, resolve_env_references
from ..core.services import Services
from .call_masking import is_secret_field, masked_body
from .consent_table import consent_effect

__all__ = ["Prepared", "consent_effect", "operation_named", "prepare", "refusal", "refuse_misplaced_references"]


@dataclass(frozen=True)
class Prepared:
    """A checked request: what is sent (secrets resolved) and what may be shown (secrets masked)."""

    request: ResolvedRequest
    shown_body: Any

    @property
    def operation(self) -> Operation:
        return self.request.operation


def operation_named(name: str) -> Operation:
    """The catalog operation ``name`` (an id or ``METHOD /path``), or a ToolError naming near matches."""
    try:
        return find(name)
    except CatalogError as error:
        raise fail(f"{error} Call search_api(query=...) to find the operation.") from None


def refusal(svc: Services, operation: Operation, given: Iterable[str] = ()) -> str | None:
    """Why this server will not run ``operation`` with the parameters named in ``given``, or None."""
    version = svc.client.api_version
    if not operation.available_in(version):
        return (f"{operation.key} ({operation.id}) is in API version {operation.since} and later; this server speaks "
                f"{version} (POLYTOMIC_API_VERSION), which does not have it. Nothing was sent. Ask the user to set "
                f"POLYTOMIC_API_VERSION={operation.since}, or do it another way.")
    if operation.reads:
        return None
    if svc.read_only:
        return (f"{operation.key} writes and this server runs in read-only mode (POLYTOMIC_READ_ONLY), "
                "so call_api runs only operations that read. Nothing was sent.")
    if operation.typed_tool is not None and not set(given) & set(operation.untyped_params):
        untyped = ", ".join(operation.untyped_params)
        beyond = f" call_api takes it only to set what {operation.typed_tool} cannot: {untyped}." if untyped else ""
        return (f"{operation.key} is what {operation.typed_tool} does, with its checks and the user's confirmation "
                f"where records change; call {operation.typed_tool} instead.{beyond} Nothing was sent.")
    if "mints_credentials" in operation.risk and not svc.allow_credential_minting:
        return (f"{operation.key} creates an API key or credentials, which this server does not do unless the user "
                "sets POLYTOMIC_ALLOW_CREDENTIAL_MINTING=true. Nothing was sent; tell the user.")
    return None


def prepare(
    svc: Services, operation: Operation, path_params: dict[str, Any] | None, query: dict[str, Any] | None, body: Any,
) -> Prepared:
    """The request, checked against the operation, with ``$env`` references resolved.

    Only the values resolved from ``$env`` are registered in ``svc.secrets``; the literals the agent writes in
    secret fields are masked by position in ``shown_body`` and never registered (that list masks every later
    question and answer of this key, so the agent would choose what the user cannot read).
    """
    resolved = resolve_env_references(body, placed=partial(refuse_misplaced_references, operation), registry=svc.env_secret,
                                      prefix=svc.secret_prefix)
    try:
        request = build_request(operation, path_params, query, resolved)
    except CatalogError as error:
        raise fail(f"{error} Nothing was sent.") from None
    return Prepared(request, masked_body(body, operation.secret_fields) if request.body is not None else None)


def refuse_misplaced_references(operation: Operation, references: list[Reference]) -> None:
    """A ToolError when a ``{"$env": ...}`` member or list item sits in a field that is not secret (shown back in plain text)."""
    misplaced = [r.path for r in references if not is_secret_field(r.path.replace("[]", ""), r.key, operation.secret_fields)]
    if misplaced:
        fields = ", ".join(repr(f) for f in operation.secret_fields) or "none"
        raise fail(
            f"Credential reference at {', '.join(repr(p) for p in misplaced)} refused: {{\"$env\": ...}} is accepted only in "
            f"secret fields of {operation.key} ({fields}), because other fields are shown back in plain text. Nothing was sent."
        )
