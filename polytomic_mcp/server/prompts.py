"""The set_up_model_sync prompt: walks an agent through connection -> model -> sync."""

from __future__ import annotations

from typing import Annotated

from mcp.server import MCPServer
from pydantic import Field

WORKFLOW = """Set up a Polytomic model sync from {source} into {destination}.

1. Reuse before creating: call list_connections(search=...) for both systems.
2. Missing a connection? list_connection_types(search=...) -> get_connection_type(type) -> create_connection(name, type, configuration).
   For OAuth types (e.g. Salesforce) give the user the auth_url to open and wait until get_connection shows status "healthy".
   Never repeat secrets back to the user.
3. Source data: list_source_objects(connection_id, params) to find the database/collection/table, then
   create_model(name, connection_id, configuration). Note the returned field names.
4. Destination: list_target_objects(connection_id, search=...) to find the object and its modes, then
   get_target_fields(connection_id, target_object) for field ids, required fields and identity functions.
5. create_sync(name, mode, target, fields, identity, schedule) with dry_run=true; fix every reported problem; then
   call it again without dry_run.
6. start_sync(sync_id) and get_sync_status(sync_id) to confirm records flowed.
"""


def register_prompts(server: MCPServer) -> None:
    """Add the workflow prompt."""

    @server.prompt(
        name="set_up_model_sync",
        title="Set up a model sync",
        description="Step-by-step plan to sync records from a source system into a destination.",
    )
    def set_up_model_sync(
        source: Annotated[str, Field(description="Where records come from, e.g. 'MongoDB users'.")],
        destination: Annotated[str, Field(description="Where they go, e.g. 'Salesforce contacts'.")],
    ) -> str:
        return WORKFLOW.format(source=source.strip()[:200], destination=destination.strip()[:200])
