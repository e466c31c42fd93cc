"""Secrets recognized by their shape alone, so they stay hidden in any process, with or without a registry.

One table of rules (``RULES``), applied in order by ``mask_shapes``: private-key blocks, passwords in
URLs, JWTs, ``Authorization``/``Cookie`` header values, signed-URL signatures, credential-looking
``key=value`` / ``key: value`` / ``"key": "value"`` pairs (URL-encoded and ODBC forms included) and
base64 ``user:password`` pairs. Each rule masks the value and keeps the words around it: the key, the
header name, the scheme, the URL's host. Paging cursors and consent tokens are not credentials and stay.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator

from polytomic_mcp.client import MASK

_URL_CREDENTIALS = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:'\"<>]*):(?P<password>[^\s/?#'\"<>]+)@")
_PRIVATE_KEY = re.compile(
    r"(?P<begin>-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)(?P<body>.*?)(?P<end>-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.DOTALL,
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
_SCHEME_VALUE = re.compile(r"\b(?P<scheme>Bearer|Basic)(?P<gap>\s+)[A-Za-z0-9._~+/=\-]{8,}", re.IGNORECASE)
_AUTHORIZATION = re.compile(
    r"(?P<head>\b(?:proxy-)?authorization\\?[\"']?\s*[:=]\s*\\?[\"']?)(?P<first>[^\s'\"\\,;]+)(?:(?P<gap>\s+)(?P<second>[^\s'\"\\,;]+))?",
    re.IGNORECASE,
)
_COOKIE = re.compile(r"(?P<head>\b(?:set-)?cookie\\?[\"']?\s*:\s*\\?[\"']?)(?P<value>[^\r\n'\"\\]+)", re.IGNORECASE)
_SIGNED_URL = re.compile(r"(?P<head>(?:\bX-(?:Amz|Goog)-(?:Signature|Credential)|[?&](?:Signature|sig))=)(?P<value>[^&\s'\"\\<>]+)",
                         re.IGNORECASE)

_NOT_CREDENTIALS = frozenset({"consent_token", "page_token", "next_page_token", "previous_page_token", "prev_page_token"})
"""Names that look like credentials but carry what the agent must read (a relayed yes, a paging cursor)."""
_KEY = (
    r"(?<![\w-])(?P<key>(?!bypass\b)[\w-]*?(?:pass(?:wd|word|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|"
    r"private[_-]?key|client[_-]?key|credentials?|signature)(?:[_-]?(?:value|string|key|hash))?)(?![\w-])"
)
_INLINE = re.compile(
    _KEY + r"(?P<sep>\\?[\"']?\s*(?:=>?|:)\s*)"
    r"(?P<value>\\\"(?:[^\"\\]|\\[^\"])*\\\"|'[^']*'|\"[^\"]*\"|\{[^}]*\}|[^\s,;)&'\"\\]+)",
    re.IGNORECASE,
)
_INLINE_ENCODED = re.compile(_KEY + r"(?P<sep>%3[DA])(?P<value>(?:(?!%26|%2C|%3B)[^\s&'\"\\])+)", re.IGNORECASE)
_NO_VALUE = frozenset({"null", "none", "true", "false", "nil", MASK})
_LINE_END = re.compile(r"[ \t]*(?:$|[\r\n,;)}\]])", re.MULTILINE)
_B64_PAIR = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/]{12,}={0,2}(?![\w+/=-])")
_PRINTABLE_PAIR = re.compile(r"[\x21-\x7e]+:[\x20-\x7e]+")


def _credential(key: str) -> bool:
    return key.lower() not in _NOT_CREDENTIALS


def _inline(match: re.Match[str]) -> str:
    """The value of a credential-looking pair masked, its quotes kept; a prose label (``password: is required``) stays."""
    if not _holds_secret(match):
        return match[0]
    value = match["value"]
    quote = value[:2] if value.startswith('\\"') else value[:1] if value[:1] in "'\"{" else ""
    closing = {"{": "}"}.get(quote, quote)
    return f"{match['key']}{match['sep']}{quote}{MASK}{closing if quote else ''}"


def _holds_secret(match: re.Match[str]) -> bool:
    """Whether a credential-looking pair carries a value: not a cursor or consent token, not empty or null, not prose."""
    value = match["value"]
    if not _credential(match["key"]) or value.strip("'\"{}\\") == "" or value.lower() in _NO_VALUE:
        return False
    return value[:1] in "'\"{\\" or _assigned(match)


def _assigned(match: re.Match[str]) -> bool:
    """Whether an unquoted pair assigns a value: ``=`` always; ``:`` when the value looks random or ends the line."""
    if "=" in match["sep"] or "%" in match["sep"]:
        return True
    return _random(match["value"], "+/=_~!@#$%^&*") or _LINE_END.match(match.string, match.end()) is not None


def _random(value: str, symbols: str = "+/=_-.~") -> bool:
    """Whether a value looks like a credential rather than a word: long enough, with digits, symbols or mixed case."""
    inner = value[1:]
    mixed = any(c.islower() for c in inner) and any(c.isupper() for c in inner)
    return len(value) >= 6 and (mixed or any(c.isdigit() or c in symbols for c in value))


def _authorization(match: re.Match[str]) -> str:
    """An ``Authorization`` value masked, its scheme (``Token``, ``Digest``...) kept; plain words stay."""
    first, second = match["first"], match["second"]
    if second is not None and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", first) and _random(second):
        return f"{match['head']}{first}{match['gap']}{MASK}"
    if _random(first):
        return f"{match['head']}{MASK}{match['gap'] or ''}{second or ''}"
    return match[0]


def _cookie(match: re.Match[str]) -> str:
    """A ``Cookie`` / ``Set-Cookie`` value masked whole when it holds ``name=value`` pairs."""
    return f"{match['head']}{MASK}" if "=" in match["value"] else match[0]


def decoded_blob(token: str) -> str | None:
    """The text a base64 (standard or URL-safe) or hex token encodes, if it is text; None for binary or no encoding."""
    if len(token) % 2 == 0 and re.fullmatch(r"[0-9a-fA-F]+", token):
        raw = binascii.unhexlify(token)
    else:
        body = token.rstrip("=")
        try:
            raw = base64.urlsafe_b64decode(body.replace("+", "-").replace("/", "_") + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(c.isprintable() or c in "\r\n\t" for c in text) else None


def _basic_pair(match: re.Match[str]) -> str:
    """A base64 token masked whole when it encodes ``user:password`` (a ``Basic`` credential without its scheme)."""
    decoded = decoded_blob(match[0]) if not re.fullmatch(r"[0-9a-fA-F]+", match[0]) else None
    return MASK if decoded is not None and _PRINTABLE_PAIR.fullmatch(decoded) else match[0]


Rule = tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]]
_KEY_WORDS = ("pass", "pwd", "secret", "token", "key", "credential", "signature")
RULES: list[Rule] = [
    (("-----begin",), _PRIVATE_KEY, lambda m: f"{m['begin']}{MASK}{m['end']}"),
    (("://",), _URL_CREDENTIALS, lambda m: f"{m['head']}:{MASK}@"),
    (("eyj",), _JWT, lambda m: MASK),
    (("bearer", "basic"), _SCHEME_VALUE, lambda m: f"{m['scheme']}{m['gap']}{MASK}"),
    (("authorization",), _AUTHORIZATION, _authorization),
    (("cookie",), _COOKIE, _cookie),
    (("signature=", "credential=", "sig="), _SIGNED_URL, lambda m: f"{m['head']}{MASK}"),
    (_KEY_WORDS, _INLINE, _inline),
    (("%3",), _INLINE_ENCODED, _inline),
    (("",), _B64_PAIR, _basic_pair),
]
"""(words the lower-cased text must hold for the rule to apply, pattern, replacement), in the order they run."""


def mask_shapes(text: str) -> str:
    """``text`` with every secret recognized by its shape replaced by the mask (the words around it kept)."""
    lowered = text.lower()
    for needles, pattern, replace in RULES:
        if any(needle in lowered for needle in needles):
            text = pattern.sub(replace, text)
    return text


def url_passwords(text: str) -> list[str]:
    """Passwords written into URLs (``scheme://user:password@host``) inside ``text``."""
    return [m["password"] for m in _URL_CREDENTIALS.finditer(text)] if "://" in text else []


def inline_credentials(text: str) -> list[str]:
    """Values written as ``password='x'`` / ``api_key: y`` / ``Pwd={z}`` inside free text such as model SQL."""
    return [value for value in _inline_values(text) if value]


def _inline_values(text: str) -> Iterator[str]:
    for match in _INLINE.finditer(text):
        if _holds_secret(match):
            yield match["value"].strip("'\"{}\\")
