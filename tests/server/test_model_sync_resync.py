"""A model sync can be fully resynced (``start_sync(resync_mode='resync')``): the person is asked, and the run reads
every row again, not only those changed since the last run.

Before: model syncs ran only incrementally, so after a mapping fix the next run read 0 records and nothing
could prove the fix worked; resync_mode was refused on model syncs.
"""

from __future__ import annotations

import pytest
from server_support import call_error, call_relayed, finished, mcp_session, users_model_and_warehouse

from polytomic_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio
async def test_a_full_resync_asks_and_reads_every_row_again(sandbox: Sandbox) -> None:
    async with mcp_session(sandbox) as client:
        model_id, warehouse_id = await users_model_and_warehouse(client)
        sync = await call_relayed(client, "create_sync", {
            "name": "S", "mode": "updateOrCreate", "target": {"connection_id": warehouse_id, "object": "public.users"},
            "fields": [{"source": {"model_id": model_id, "field": "email"}, "target": "email"}],
            "identity": {"source": {"model_id": model_id, "field": "email"}, "target": "email", "function": "Equality"},
            "schedule": {"frequency": "manual"}})
        await call_relayed(client, "start_sync", {"sync_id": sync["id"]})
        first = await finished(client, sync["id"])
        await call_relayed(client, "start_sync", {"sync_id": sync["id"]})
        incremental = await finished(client, sync["id"])
        asked = await call_error(client, "start_sync", {"sync_id": sync["id"], "resync_mode": "resync"})
        assert "as a full resync?" in asked and "Nothing was sent" in asked
        await call_relayed(client, "start_sync", {"sync_id": sync["id"], "resync_mode": "resync"})
        resynced = await finished(client, sync["id"])
        refused = await call_error(client, "start_sync", {"sync_id": sync["id"], "resync_mode": "rebuild"})
    total = first["records"]["total"]
    assert total > 0 and incremental.get("records", {}).get("total", 0) == 0, "an ordinary run reads only what changed"
    assert resynced["records"]["total"] == total, "a full resync reads every row again"
    assert "resync_mode='resync'" in refused
