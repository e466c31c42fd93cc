"""Seeded fault injection (429/500/503/slow/drop) and the in-process transport that turns "drop" into a read error."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from dataclasses import dataclass
from typing import Any

import httpx2

KINDS = ("429", "500", "503", "slow", "drop")
DROP_HEADER = "x-sandbox-fault"
_MESSAGES = {
    "429": "too many requests (sandbox fault injection)",
    "500": "internal server error (sandbox fault injection)",
    "503": "service unavailable (sandbox fault injection)",
}


@dataclass(frozen=True)
class FaultConfig:
    """Which faults to inject: each /api/ request gets one with probability ``rate``, chosen from ``kinds`` by ``seed``.

    ``only`` (a regular expression) limits faults to requests whose ``"METHOD /path"`` matches it
    in full, and ``limit`` stops injecting after that many faults, so a test can make one read
    fail transiently: e.g. ``only=r"GET /api/models/[^/]+", limit=3``.
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = KINDS
    seed: int | None = 0
    slow_seconds: float = 0.2
    retry_after: float = 0.01
    only: str | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if self.limit is not None and self.limit < 0:
            raise ValueError("limit must be >= 0")
        if self.only is not None:
            try:
                re.compile(self.only)
            except re.error as error:
                raise ValueError(f"only is not a valid regular expression: {error}") from None
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown or (self.rate and not self.kinds):
            raise ValueError(f"unknown fault kinds {unknown}; valid: {KINDS}")


class FaultInjector:
    """Draws the fault for each request from ``random.Random(seed)`` so a run is repeatable."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self._only = re.compile(config.only) if config.only is not None else None
        self.injected = 0

    def decide(self, method: str, path: str) -> str | None:
        """Return the fault kind for this request, or None."""
        if self.config.rate <= 0:
            return None
        if self._only is not None and not self._only.fullmatch(f"{method} {path}"):
            return None
        if self.config.limit is not None and self.injected >= self.config.limit:
            return None
        if self._rng.random() >= self.config.rate:
            return None
        self.injected += 1
        return self._rng.choice(self.config.kinds)


def retry_after_value(seconds: float) -> str:
    """Format ``Retry-After`` seconds compactly (``0.01``, ``2``)."""
    return format(seconds, "g")


def fault_response(kind: str, config: FaultConfig) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
    """Return (status, body, headers) a gateway would answer for an injected error fault."""
    status = int(kind)
    headers = [("retry-after", retry_after_value(config.retry_after))] if kind in ("429", "503") else []
    return status, {"status": status, "message": _MESSAGES[kind], "key": "", "metadata": None}, headers


def _remember_trio_is_absent() -> None:
    """httpx2's ASGI transport tries ``import sniffio`` on every request; record once that it is not installed."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


class SandboxTransport(httpx2.AsyncBaseTransport):
    """Runs requests against the sandbox app in-process; a response marked "drop" becomes ``httpx2.ReadError``."""

    def __init__(self, app: Any) -> None:
        self._inner = httpx2.ASGITransport(app=app)
        _remember_trio_is_absent()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._inner.handle_async_request(request)
        if response.headers.get(DROP_HEADER) == "drop":
            await response.aclose()
            raise httpx2.ReadError("connection dropped by sandbox fault injection", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
