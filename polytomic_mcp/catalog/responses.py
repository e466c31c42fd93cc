"""What each operation answers, as the official SDK types it: ``responses.json``, read once, for the sandbox.

Generated with ``operations.json`` (``python -m dev.regenerate``) and kept apart from it: only the sandbox's
generic store reads the shapes, so search_api and call_api never load them.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

FILE = "responses.json"


class Response(BaseModel):
    """The SDK's type for one operation's 2xx answer.

    ``type`` is its name (None: the SDK ignores the body, as for a 204), ``data_type`` the model under ``data``
    (``Webhook`` in ``WebhookEnvelope``), and ``shape`` the type's fields in the catalog's compact notation
    (``*`` marks a required key; nested models four levels deep, a recursive one as ``object``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    type: str | None
    data_type: str | None
    shape: dict[str, Any] | None


@functools.cache
def _by_id() -> dict[str, Response]:
    text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    return {entry["id"]: Response.model_validate(entry) for entry in json.loads(text)}


def response(operation_id: str) -> Response:
    """The answer of the operation with this id (KeyError for an id the catalog does not have)."""
    return _by_id()[operation_id]
