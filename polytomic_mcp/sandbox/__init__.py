"""A local, stateful, in-memory simulation of the Polytomic REST API (Starlette ASGI), for tests and demos."""

from .faults import FaultConfig
from .recording import RecordedRequest
from .runner import serve
from .sandbox import DEMO_API_KEY, EMPTY_API_KEY, Sandbox
from .seeding import SeededWorkspace

__all__ = ["DEMO_API_KEY", "EMPTY_API_KEY", "FaultConfig", "RecordedRequest", "Sandbox", "SeededWorkspace", "serve"]
