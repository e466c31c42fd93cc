"""Tool parameters shared by several families (one description each, so they cost context once per meaning)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

CursorArg = Annotated[str | None, Field(description="From next_cursor.")]
LimitArg = Annotated[int | None, Field(ge=1, le=50)]
DryRunArg = bool
NewNameArg = Annotated[str | None, Field(description="New name.", min_length=1, max_length=200)]
ConsentTokenArg = Annotated[str | None, Field(max_length=100)]
"""Only from a result that asked for the person's yes (the name says enough; every tool that may ask has it)."""
