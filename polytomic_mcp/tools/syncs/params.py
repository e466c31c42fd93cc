"""Parameters of the sync tools (model and bulk), one description each."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from polytomic_mcp.client.models import Schedule, SyncField, SyncIdentities, SyncIdentity, SyncTarget

SyncIdArg = Annotated[str, Field(min_length=1)]
"""A model or bulk sync id: every run and change tool takes both kinds."""

SCHEDULE = "{'frequency': 'daily', 'hour': '5', 'minute': '0'} UTC; or manual|continuous|hourly|weekly|custom (cron fields)."
MODE = "A mode of the target object, e.g. create, updateOrCreate."
TARGET = "{'connection_id', 'object'}."
FIELDS = "[{'source': {'model_id', 'field'}, 'target'}]."
IDENTITY = "Record match: {'source', 'target', 'function'}."
IDENTITIES = "{'mappings': [identity...], 'strategy'}."

SyncNameArg = Annotated[str, Field(description="Unique sync name.", min_length=1, max_length=200)]
ModeArg = Annotated[str, Field(description=MODE)]
TargetArg = Annotated[SyncTarget, Field(description=TARGET)]
FieldsArg = Annotated[list[SyncField], Field(description=FIELDS)]
ScheduleArg = Annotated[Schedule, Field(description=SCHEDULE)]
IdentityArg = Annotated[SyncIdentity | None, Field(description=IDENTITY)]
IdentitiesArg = Annotated[SyncIdentities | None, Field(description=IDENTITIES)]
ActiveArg = Annotated[bool | None, Field(description="Schedule on.")]
