"""State that every replica must agree on (single-use markers, short-lived records, rate windows, name locks).

``SharedState`` is the one interface; ``MemoryState`` keeps it in this process (the default) and ``RedisState``
shares it through Redis or Valkey (``POLYTOMIC_STATE_URL``). Callers store digests and ids, never secrets.
"""

from .factory import open_state
from .interface import LockBusy, SharedState, StateUnavailable, digest, holding, namespaced, tenant_hash
from .memory import MemoryState

__all__ = ["LockBusy", "MemoryState", "SharedState", "StateUnavailable", "digest", "holding", "namespaced", "open_state", "tenant_hash"]
