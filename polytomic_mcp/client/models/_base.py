"""Base classes shared by every API model (validators are built on first use, which keeps start-up fast)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class APIModel(BaseModel):
    """A response object: wire names, unknown fields kept so new API fields never break parsing."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class RequestModel(BaseModel):
    """A request body: unknown fields rejected; ``to_body`` drops unset options."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    def to_body(self) -> dict[str, Any]:
        """The JSON body sent to the API, with ``None`` options left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Actor(APIModel):
    """Who created or last updated an object."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
