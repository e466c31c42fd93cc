"""Secrets the server must never show: per-key registries, the scope they apply in, and masks that need no registry.

Each Polytomic key (the server's one key, or each tenant's in multi-tenant HTTP mode) has its
own ``SecretRegistry``: the key, the secret values its requests carried, and the forms an
upstream may echo them in (JSON-escaped, URL-encoded, base64, any letter case, inside a base64 or
hex blob). Output produced while serving a request is scrubbed with that request's registry only
(``scope``), so one tenant can never make another tenant's words disappear or confirm a guessed
secret. Secrets with a recognizable shape (``secret_shapes``: URL passwords, ``Authorization`` and
``Cookie`` values, JWTs, private keys, ``password=...`` pairs) are masked by pattern, so they stay
hidden in any process, including one that never saw them (a restart, another replica).

``scrub`` is the one pass for every text that reaches the model or a log: used by the server
(resources, logs) and by the tools (results, errors) alike; it depends only on the client's mask.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote, quote_plus

from polytomic_mcp.client import MASK
from polytomic_mcp.secret_shapes import decoded_blob, mask_shapes

WHOLE_WORD_BELOW = 12
"""Shorter secrets (``secret``, ``hunter2``) are masked only as whole tokens, so ``client_secret`` stays readable."""
MAX_VALUES = 500
"""Forms kept per registry (about 100 secrets in their encodings); the oldest go first. A registry grows only with
what its own key's sent requests carried, and scrubbing costs time in proportion to it: 500 forms, 3 ms per 16,000
characters; the 20,000 once allowed took 130 ms, on the loop every other tenant shares."""
MAX_BYTES = 512 * 1024
"""Characters of forms kept per registry, likewise."""
MAX_FORM_CHARS = 8 * 1024
"""A longer secret (a whole key file) is kept as its first this many characters: enough to find and mask it."""

_SHORT_BEFORE = r"(?<![\w-])(?<![\w-][.@])(?<!://)"
_SHORT_AFTER = r"(?![\w-])(?![.@][\w-])(?!:\d)"
"""A short secret counts only as a whole token, never as a label of a host name, an e-mail address or a ``host:port``."""
_BLOB = re.compile(r"(?<![\w+/=-])(?:[A-Za-z0-9+/_-]{16,}={0,2})(?![\w+/=-])")


def encodings(value: str) -> set[str]:
    """``value`` and the forms an upstream may echo it in: JSON-escaped (once or twice), URL-encoded, base64."""
    escaped = json.dumps(value)[1:-1]
    forms = {value, escaped, json.dumps(escaped)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    forms |= {quote(value, safe=""), quote_plus(value, safe="")}
    raw = value.encode("utf-8", "surrogatepass")
    forms |= {base64.b64encode(raw).decode().rstrip("="), base64.urlsafe_b64encode(raw).decode().rstrip("=")}
    return {form for form in forms if form and form != MASK}


def mask_patterns(text: str) -> str:
    """Mask what is secret by its shape alone (see ``secret_shapes``): the pass every shown text gets."""
    return mask_shapes(text)


class SecretRegistry:
    """Strings one key's output must never contain; adding is O(1), the matcher is rebuilt lazily on the next scrub."""

    def __init__(self, max_values: int = MAX_VALUES) -> None:
        self._forms: dict[str, None] = {}
        self._pinned: set[str] = set()
        """Forms never let go (the key and credentials the client itself holds), outside the limits."""
        self._chars = 0
        self._max_values = max_values
        self._long: list[str] = []
        self._short: re.Pattern[str] | None = None
        self._dirty = False
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._forms) + len(self._pinned)

    def pin(self, *values: Any) -> None:
        """Remember secret strings that must stay masked whatever is added later (the key this registry is for)."""
        with self._lock:
            for value in values:
                if isinstance(value, str) and value and value != MASK:
                    self._pinned.update(form[:MAX_FORM_CHARS] for form in encodings(value))
                    self._dirty = True

    def add(self, *values: Any) -> None:
        """Remember secret strings (every non-empty string) and their encoded forms, within the limits (oldest go)."""
        with self._lock:
            for value in values:
                if not isinstance(value, str) or not value or value == MASK:
                    continue
                for form in encodings(value):
                    form = form[:MAX_FORM_CHARS]
                    if form not in self._forms and form not in self._pinned:
                        self._forms[form] = None
                        self._chars += len(form)
                        self._dirty = True
            while len(self._forms) > self._max_values or self._chars > MAX_BYTES:
                oldest = next(iter(self._forms))
                del self._forms[oldest]
                self._chars -= len(oldest)

    def _matchers(self) -> tuple[list[str], re.Pattern[str] | None]:
        """Case-folded forms: the long ones, and one whole-token pattern for the short ones (text is matched folded too)."""
        with self._lock:
            if self._dirty:
                folded = {_fold(f) for f in [*self._forms, *self._pinned]}
                self._long = [f for f in folded if len(f) >= WHOLE_WORD_BELOW]
                short = sorted((f for f in folded if len(f) < WHOLE_WORD_BELOW), key=len, reverse=True)
                alternatives = "|".join(re.escape(f) for f in short)
                self._short = re.compile(rf"{_SHORT_BEFORE}(?:{alternatives}){_SHORT_AFTER}") if short else None
                self._dirty = False
            return self._long, self._short

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where registered forms sit in ``text``, in any letter case, merged where they overlap."""
        long, short = self._matchers()
        folded = _fold(text)
        spans = [(m.start(), m.end()) for m in short.finditer(folded)] if short is not None else []
        for secret in long:
            at = folded.find(secret)
            while at >= 0:
                spans.append((at, at + len(secret)))
                at = folded.find(secret, at + len(secret))  # from its end: overlapping tries made "xxx..." quadratic
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _hidden_in(self, match: re.Match[str]) -> str:
        """A base64 or hex blob masked whole when the text it encodes holds a registered secret."""
        decoded = decoded_blob(match[0])
        return MASK if decoded is not None and self._spans(decoded) else match[0]

    def scrub(self, text: str) -> str:
        """``text`` with every registered form masked (any letter case), and every base64 or hex blob that encodes one."""
        if not self._forms and not self._pinned:
            return text
        parts, last = [], 0
        for start, end in self._spans(text):
            parts += [text[last:start], MASK]
            last = end
        return _BLOB.sub(self._hidden_in, "".join(parts) + text[last:])


def _fold(text: str) -> str:
    """``text`` lower-cased character by character, so every position stays where it was (``str.lower`` may not)."""
    return text.lower() if text.isascii() else "".join(c if len(low := c.lower()) != 1 else low for c in text)


PROCESS = SecretRegistry()
"""Secrets of a single-key server: its key applies to every line this process logs, in or out of a request."""

_current: ContextVar[SecretRegistry | None] = ContextVar("polytomic_secret_scope", default=None)


@contextmanager
def scope(registry: SecretRegistry) -> Iterator[SecretRegistry]:
    """Scrub output produced inside this block (results, errors, logs) with ``registry``."""
    token = _current.set(registry)
    try:
        yield registry
    finally:
        _current.reset(token)


def current() -> SecretRegistry | None:
    """The registry of the request being served, if any."""
    return _current.get()


def scrub(text: str, registry: SecretRegistry | None = None) -> str:
    """``text`` masked by pattern, by ``registry`` (default: the current scope) and by the process registry."""
    text = mask_patterns(text)
    active = registry if registry is not None else _current.get()
    if active is not None and active is not PROCESS:
        text = active.scrub(text)
    return PROCESS.scrub(text)


def scrub_value(value: Any, registry: SecretRegistry | None = None) -> Any:
    """Scrub every string value inside a JSON-like value (keys are names, kept as they are)."""
    if isinstance(value, str):
        return scrub(value, registry)
    if isinstance(value, Mapping):
        return {k: scrub_value(v, registry) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_value(v, registry) for v in value]
    return value


_LINE_BREAKS = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, 0x85]} | {
    ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def one_line(message: str) -> str:
    """``message`` with line breaks and other control characters escaped: text from a caller (a client id, a
    header) can then never start a forged log line of its own."""
    return message.translate(_LINE_BREAKS)


_installed = False
_install_lock = threading.Lock()


def install_log_scrubbing() -> None:
    """Scrub every log record at creation (message, arguments and traceback), for every handler, and keep its
    message on one line (``one_line``)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken format string must not break logging
                return record
            record.msg, record.args = one_line(scrub(message)), None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
