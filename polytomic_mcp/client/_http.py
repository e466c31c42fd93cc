"""The request pipeline: headers, auth, retries with idempotency keys, envelope, errors.

Every resource module sends through ``HTTPCore.request``; only the httpx2 transport
does I/O, so tests inject the sandbox's in-process transport.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2

from .. import __version__
from ..public_addresses import NotPublicError, Resolver, check_peer, check_public_host, resolve_host
from ._deadline import time_left
from ._error_responses import bounded, build_status_error
from ._exceptions import InvalidRequestError, PolytomicError, RequestTimeoutError, ResponseParseError, TransportError, status_error_class
from ._gc_pause import freeze_if_scoped, gc_paused
from ._retry import is_retryable_status, next_delay, retry_after_seconds
from ._secrets import redact

logger = logging.getLogger("polytomic_mcp.client")

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
USER_AGENT = f"polytomic-mcp/{__version__} (python; httpx2/{httpx2.__version__})"

QueryParams = Mapping[str, Any] | list[tuple[str, str]] | None
QueryPairs = list[tuple[str, str | int | float | bool | None]]
"""Query parameters as sent: name/value pairs (httpx2's own parameter type)."""


def new_idempotency_key() -> str:
    """A fresh key in the documented format (UUID4, 36 chars of [0-9a-f-])."""
    return str(uuid.uuid4())


def auth_header(api_key: str, organization_id: str | None) -> str:
    """Bearer for organization keys; Basic ``org_id:key`` for partner/deployment keys."""
    if organization_id:
        token = base64.b64encode(f"{organization_id}:{api_key}".encode()).decode()
        return f"Basic {token}"
    return f"Bearer {api_key}"


def encode_query(params: QueryParams) -> QueryPairs:
    """Query pairs; dict values become ``name[key]=value`` deep objects, booleans lower-case."""
    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    pairs: QueryPairs = []
    for name, value in items:
        if value is None:
            continue
        if isinstance(value, Mapping):
            pairs.extend((f"{name}[{k}]", _scalar(v)) for k, v in value.items() if v is not None)
        elif isinstance(value, (list, tuple)):
            pairs.extend((name, _scalar(v)) for v in value)
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def _scalar(value: Any) -> str:
    """Render a query value the way the API expects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class HTTPCore:
    """Owns the httpx2 client and sends every API request."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        api_version: str,
        timeout: float,
        max_retries: int,
        organization_id: str | None,
        transport: httpx2.AsyncBaseTransport | None,
        retry_backoff: float,
        max_retry_delay: float,
        resolver: Resolver = resolve_host,
    ) -> None:
        self.api_key = api_key
        self._resolver = resolver
        self.api_version = api_version
        self.max_retries = max_retries
        self.timeout = timeout
        self._timeout = httpx2.Timeout(timeout)
        self.retry_backoff = retry_backoff
        self.max_retry_delay = max_retry_delay
        self._rng = random.Random()
        self.authorization = auth_header(api_key, organization_id)
        self.secrets = (api_key, self.authorization.partition(" ")[2])
        self._http = httpx2.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=self._timeout,
            transport=transport,
            headers={
                "Authorization": self.authorization,
                "X-Polytomic-Version": api_version,
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams = None,
        json: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Send one logical call (retrying as configured); return the decoded JSON body.

        POST/PUT/PATCH always carry an ``Idempotency-Key``, generated here once unless
        given, and reused on every retry so a retried create cannot create twice.
        """
        response = await self.send(method, path, params=params, json=json, idempotency_key=idempotency_key)
        if len(response.content) > DECODE_ON_LOOP_BYTES:
            return await anyio.to_thread.run_sync(self._decode_large, response, method, path)
        return self._decode(response, method, path)

    async def redirect_location(self, path: str) -> str:
        """GET ``path``, which answers a redirect, and return where it points (retrying like ``request``)."""
        response = await self.send("GET", path, accept_redirect=True)
        location = response.headers.get("location", "") if response.is_redirect else ""
        if not location:
            raise ResponseParseError(f"GET {path} answered {response.status_code} without a redirect to the file")
        return str(response.url.join(location))

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams = None,
        json: Any = None,
        idempotency_key: str | None = None,
        accept_redirect: bool = False,
    ) -> httpx2.Response:
        """Send one logical call with retries and return its 2xx response (or 3xx with ``accept_redirect``)."""
        headers: dict[str, str] = {}
        if method in WRITE_METHODS:
            idempotency_key = idempotency_key or new_idempotency_key()
            headers["Idempotency-Key"] = idempotency_key
        query = encode_query(params)
        attempt = 0
        previous: PolytomicError | None = None
        while True:
            left = time_left()
            if left <= 0:
                raise previous or RequestTimeoutError(
                    f"{method} {path} not sent: the call's time limit was reached", path=path,
                    idempotency_key=idempotency_key,
                )
            outcome = await self._attempt(method, path, query, json, headers, min(left, self.timeout), idempotency_key)
            hints: httpx2.Headers | None = None
            error: PolytomicError
            if isinstance(outcome, httpx2.Response):
                if outcome.is_success or (accept_redirect and outcome.is_redirect):
                    logger.debug("%s %s -> %s", method, path, outcome.status_code)
                    return outcome
                error = build_status_error(outcome, secrets=self.secrets, idempotency_key=idempotency_key)
                retryable, hints = is_retryable_status(outcome.status_code), outcome.headers
            else:
                error, retryable = outcome, True
            delay = next_delay(attempt, hints, self.retry_backoff, self.max_retry_delay, self._rng)
            asked = max(delay, retry_after_seconds(hints) or 0.0) if hints is not None else delay
            if attempt >= self.max_retries or not retryable or asked >= time_left():
                raise error
            logger.info("retrying %s %s after %s (%.2fs)", method, path, type(error).__name__, delay)
            previous = error
            attempt += 1
            await anyio.sleep(delay)

    async def _attempt(
        self, method: str, path: str, query: QueryPairs, json: Any, headers: dict[str, str],
        seconds: float, idempotency_key: str | None,
    ) -> httpx2.Response | PolytomicError:
        """One try: the response, or the network error that stood in for it (at most ``seconds`` long)."""
        try:
            with anyio.fail_after(seconds):
                response = await self._http.request(
                    method, path, params=query, json=json, headers=headers, timeout=self._attempt_timeout(seconds)
                )
        except TimeoutError:
            message = f"{method} {path} timed out after {seconds:.3g}s"
            return RequestTimeoutError(message, method=method, path=path, idempotency_key=idempotency_key)
        except httpx2.InvalidURL as exc:
            raise InvalidRequestError(
                f"{method} request not sent: {exc} (an id, cursor or parameter is too long or malformed)",
                idempotency_key=idempotency_key,
            ) from None
        except httpx2.TransportError as exc:
            return self._transport_error(exc, method, path, idempotency_key)
        return response

    async def download(self, url: str, *, max_bytes: int) -> tuple[bytes, bool]:
        """GET a signed URL (a storage host: neither the API key nor the version header is sent), one attempt,
        reading at most ``max_bytes``; return the bytes and whether the file was longer.

        The URL comes from the API's redirect, so it is fenced (``_fenced``): the API's own origin, or https to a
        host that is public at every address it resolves to and at the address actually connected to.
        """
        target = httpx2.URL(url)
        request = self._http.build_request("GET", target)
        for name in ("Authorization", "X-Polytomic-Version"):
            if name in request.headers:
                del request.headers[name]
        seconds = min(time_left(), self.timeout)
        if seconds <= 0:
            raise RequestTimeoutError("GET signed log URL not sent: the call's time limit was reached")
        try:
            with anyio.fail_after(seconds):
                own_origin = await self._fenced(target, url)
                return await self._read_bounded(request, max_bytes, check=not own_origin)
        except TimeoutError:
            raise RequestTimeoutError(f"GET signed log URL timed out after {seconds:.3g}s", method="GET", path="<signed log URL>") from None
        except httpx2.TransportError as exc:
            raise TransportError(f"GET signed log URL failed ({type(exc).__name__})", method="GET", path="<signed log URL>") from None
        except NotPublicError as refused:
            raise ResponseParseError(f"GET log file: refused the redirect to {_shown(url)}: {refused}") from None

    async def _fenced(self, target: httpx2.URL, url: str) -> bool:
        """Whether ``target`` is the API's own origin; otherwise refuse it unless https to a public host."""
        base = self._http.base_url
        if (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port):
            return True
        if target.scheme not in ("http", "https") or not target.host:
            raise ResponseParseError(f"GET signed log URL: refusing a {target.scheme or 'relative'} URL")
        if target.scheme != "https":
            raise ResponseParseError(f"GET log file: refused the redirect to {_shown(url)}: not https")
        await check_public_host(target.host, target.port or 443, self._resolver)
        return False

    async def _read_bounded(self, request: httpx2.Request, max_bytes: int, *, check: bool) -> tuple[bytes, bool]:
        """Stream a response body, stopping after ``max_bytes``; a non-2xx answer raises its status error.

        ``check``: refuse the answer, unread, when the connection reached a non-public address.
        """
        response = await self._http.send(request, stream=True)
        try:
            if check:
                check_peer(response.extensions)
            if not response.is_success:
                await response.aread()
                raise status_error_class(response.status_code)(
                    f"the signed log URL answered {response.status_code}: {redact(bounded(response.text), *self.secrets)}",
                    status=response.status_code, method="GET", path="<signed log URL>",
                )
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    return b"".join(chunks)[:max_bytes], True
            return b"".join(chunks), False
        finally:
            await response.aclose()

    def _attempt_timeout(self, seconds: float) -> httpx2.Timeout:
        """httpx2's per-operation timeouts for an attempt that may take ``seconds`` in all."""
        return self._timeout if seconds >= self.timeout else httpx2.Timeout(max(seconds, 0.001))

    def _transport_error(
        self, exc: httpx2.TransportError, method: str, path: str, idempotency_key: str | None
    ) -> TransportError:
        """Map an httpx2 network failure to the client's own class, without secrets."""
        cls = RequestTimeoutError if isinstance(exc, httpx2.TimeoutException) else TransportError
        what = "timed out" if cls is RequestTimeoutError else f"failed ({type(exc).__name__})"
        detail = redact(str(exc), *self.secrets)
        message = f"{method} {path} {what}" + (f": {detail}" if detail else "")
        return cls(message, method=method, path=path, idempotency_key=idempotency_key)

    @classmethod
    def _decode_large(cls, response: httpx2.Response, method: str, path: str) -> Any:
        """``_decode`` for a large body, in a worker thread, without collection passes holding the lock meanwhile
        (nor just after: inside ``large_answers_frozen`` the answer is frozen before collection resumes)."""
        with gc_paused():
            body = cls._decode(response, method, path, off_loop=True)
            freeze_if_scoped()
            return body

    @staticmethod
    def _decode(response: httpx2.Response, method: str, path: str, *, off_loop: bool = False) -> Any:
        """The JSON body of a 2xx response (``None`` when empty)."""
        if not response.content or response.status_code == 204:
            return None
        try:
            body = json.loads(response.content, object_hook=_lock_released_here if off_loop else None)
        except ValueError:
            raise ResponseParseError(f"{method} {path} returned a body that is not JSON") from None
        except RecursionError:
            raise ResponseParseError(f"{method} {path} returned JSON nested too deep to read") from None
        return without_lone_surrogates(body) if _SURROGATE_ESCAPE.search(response.content) else body


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
DECODE_ON_LOOP_BYTES = 64 * 1024
"""A body larger than this is decoded in a worker thread: a megabyte of JSON holds the event loop for tenths of a second."""


def _lock_released_here(value: dict[str, Any]) -> dict[str, Any]:
    """Each decoded object as it is. Calling back into Python lets the event loop's thread take the interpreter lock:
    the C decoder would otherwise hold it for all of a large body (60 ms for 1 MB nested 300 levels; 12 ms with this)."""
    return value


def _shown(url: str) -> str:
    """A URL to name in a message: without credentials, query (a signature) or fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def without_lone_surrogates(value: Any) -> Any:
    """``value`` with every unpaired UTF-16 surrogate in its strings replaced by U+FFFD.

    JSON may escape one (``"\\udcff"``); Python keeps it in the string, and it cannot be
    encoded as UTF-8, so it would break whatever serializes the answer later.
    """
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(v) for v in value]
    return value


def unwrap(body: Any, method: str, path: str) -> Any:
    """The ``data`` member of an enveloped success body."""
    if not isinstance(body, dict) or "data" not in body:
        raise ResponseParseError(f"{method} {path} returned no `data` envelope")
    return body["data"]
