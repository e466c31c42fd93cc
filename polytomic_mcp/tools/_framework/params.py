"""Tool parameters shared by several families (one description each, so they cost context once per meaning)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from polytomic_mcp.client.models import Schedule, SyncField, SyncIdentities, SyncIdentity, SyncTarget

CursorArg = Annotated[str | None, Field(description="next_cursor of the previous page.")]
LimitArg = Annotated[int | None, Field(description="Page size, at most 50 (default).", ge=1, le=50)]
SyncIdArg = Annotated[str, Field(description="Sync id from list_syncs or create_sync.", min_length=1)]
DryRunArg = Annotated[bool, Field(description="Only check and show the request; change nothing.")]

SCHEDULE = (
    "{'frequency': 'manual'|'continuous'|'hourly'|'daily'|'weekly'|'custom'}; times are UTC strings, e.g. daily "
    "{'frequency': 'daily', 'hour': '5', 'minute': '0'}; custom is cron: every 5 minutes = {'frequency': 'custom', "
    "'minute': '*/5', 'hour': '*', 'day_of_month': '*', 'month': '*', 'day_of_week': '*'}."
)
MODE = "One of the target object's modes, e.g. 'create', 'updateOrCreate'."
TARGET = "{'connection_id', 'object'}: destination and object id."
FIELDS = "Mappings: [{'source': {'model_id', 'field'}, 'target': target field id}]."
IDENTITY = "How records match: {'source': {'model_id', 'field'}, 'target', 'function'}."
IDENTITIES = "Several identities: {'mappings': [...], 'strategy'}."

SyncNameArg = Annotated[str, Field(description="Unique sync name.", min_length=1, max_length=200)]
ModeArg = Annotated[str, Field(description=MODE)]
TargetArg = Annotated[SyncTarget, Field(description=TARGET)]
FieldsArg = Annotated[list[SyncField], Field(description=FIELDS)]
ScheduleArg = Annotated[Schedule, Field(description=SCHEDULE)]
IdentityArg = Annotated[SyncIdentity | None, Field(description=IDENTITY)]
IdentitiesArg = Annotated[SyncIdentities | None, Field(description=IDENTITIES)]
ActiveArg = Annotated[bool | None, Field(description="Enable the schedule now.")]
