"""Tool parameters shared by several families (one description each, so they cost context once per meaning)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

CursorArg = Annotated[str | None, Field(description="next_cursor of the previous page.")]
LimitArg = Annotated[int | None, Field(description="Page size, at most 50 (default).", ge=1, le=50)]
SyncIdArg = Annotated[str, Field(description="Sync id from list_syncs or create_sync.", min_length=1)]
