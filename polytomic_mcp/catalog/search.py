"""Find operations by words or by ``METHOD /path``: deterministic, local, no quota.

An exact ``METHOD /path`` (or id) is the only answer; a bare path gives its operations first. Words are then scored
against each operation's id, the literal segments of its path and its summary: lower-cased, split at
punctuation and camelCase, stop words dropped, plurals folded (``webhooks`` = ``webhook``), and adjacent
words also joined (``console log`` = ``consolelog``). A small synonym table maps everyday words onto the API's
(``members`` -> ``user``, ``remove`` -> ``delete``). Ties go to the operation with fewer words the query did
not mention, then by path and method.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .operation import Operation
from .operations_file import load, lookup, normalize

ID_WEIGHT = 3.0
PATH_WEIGHT = 3.0
SUMMARY_WEIGHT = 1.0
SYNONYM_FACTOR = 0.8
JOINED_BONUS = 1.0
"""Extra for adjacent query words that match one joined name (``error handling`` -> ``error-handling``)."""
RESOURCE_BONUS = 0.5
"""For an operation of the resource the query names (``list users`` -> ``users.*`` before ``harbors.list_users``)."""
UNMENTIONED_PENALTY = 0.1
"""Per id or path word the query did not mention: ``list webhooks`` prefers ``webhooks.list`` to ``list_deliveries``."""
PATH_PARAM_PENALTY = 0.15
"""Per id the operation needs in its path: ``users of this organization`` prefers the caller's organization's users
to those of an ``{org_id}`` the agent would first have to look up."""
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}

STOP_WORDS = frozenset({
    "a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "and", "or", "my", "our", "your",
    "all", "any", "this", "that", "these", "those", "it", "its", "their", "is", "are", "am", "be", "can", "i", "we",
    "how", "do", "does", "what", "which", "want", "need", "please", "via", "using", "into",
})

SYNONYMS: dict[str, tuple[str, ...]] = {
    "member": ("user",), "people": ("user",), "person": ("user",), "account": ("user",),
    "organisation": ("organization",), "workspace": ("organization",),
    "apikey": ("api", "key"), "credential": ("key",), "token": ("key", "credential"),
    "remove": ("delete",), "destroy": ("delete",), "drop": ("delete",), "archive": ("delete",),
    "add": ("create",), "new": ("create",), "make": ("create",), "invite": ("create",),
    "edit": ("update",), "change": ("update",), "modify": ("update",), "set": ("update",),
    "replace": ("update",), "fetch": ("get",), "show": ("get", "list"), "read": ("get",), "view": ("get",),
    "describe": ("get",), "find": ("search", "list"),
    "run": ("start", "execution", "execute"), "trigger": ("start",), "execute": ("start",),
    "stop": ("cancel",), "abort": ("cancel",), "kill": ("cancel",), "pause": ("activate",), "resume": ("activate",),
    "enable": ("activate",), "disable": ("activate",),
    "history": ("execution",), "job": ("execution",),
    "log": ("consolelog",), "consolelog": ("log",), "failure": ("error",),
    "alert": ("notification", "error"), "notify": ("notification",), "subscriber": ("notification",),
    "table": ("schema",), "object": ("schema", "target"), "column": ("field",), "destination": ("target",),
    "who": ("identity", "me"), "whoami": ("identity", "me"), "identity": ("me",), "me": ("identity",),
    "sql": ("query",), "permission": ("role", "policy"), "access": ("permission", "policy"),
    "hook": ("webhook",), "audit": ("event",), "activity": ("event",),
    "elt": ("bulk",), "replication": ("bulk",), "etl": ("bulk",), "reverse": ("model",),
}
"""Everyday words and the API words they stand for (keys and values are folded forms)."""

ABBREVIATIONS = {"org": "organization", "exec": "execution"}
"""Short forms in ids and paths (``current_org_users``, ``exec_id``) and the words they stand for."""


@dataclass(frozen=True)
class _Document:
    """The folded words of one operation, by where they occur."""

    operation: Operation
    resource: str
    id_words: frozenset[str]
    path_words: frozenset[str]
    joined: frozenset[str]
    summary_words: frozenset[str]


def fold(word: str) -> str:
    """A word's singular form, crudely: ``policies`` -> ``policy``, ``statuses`` -> ``status``, ``logs`` -> ``log``."""
    word = ABBREVIATIONS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "uses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Folded words of a text, split at punctuation, underscores and camelCase, stop words dropped."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [fold(word) for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word and word not in STOP_WORDS]


def _literal_segments(path: str) -> list[str]:
    """The path's segments that are names, not parameters, without the leading ``api``."""
    return [segment for segment in path.split("/")[2:] if segment and not segment.startswith("{")]


@functools.cache
def _documents() -> tuple[_Document, ...]:
    documents = []
    for operation in load():
        segments = _literal_segments(operation.path)
        id_parts = re.split(r"[./]", operation.id)
        documents.append(_Document(
            operation=operation,
            resource=fold(id_parts[0].replace("_", "")),
            id_words=frozenset(words(" ".join(id_parts))),
            path_words=frozenset(word for segment in segments for word in words(segment)),
            joined=frozenset(fold(re.sub(r"[^a-z0-9]", "", part.lower())) for part in [*segments, *id_parts[:-1]]),
            summary_words=frozenset(words(operation.summary)),
        ))
    return tuple(documents)


def _expansions(word: str) -> tuple[str, ...]:
    return SYNONYMS.get(word, ())


def _word_score(document: _Document, word: str) -> float:
    """The best place one query word occurs in a document, or a synonym of it (discounted)."""
    best = _direct_score(document, word)
    for synonym in _expansions(word):
        best = max(best, SYNONYM_FACTOR * _direct_score(document, synonym))
    return best


def _direct_score(document: _Document, word: str) -> float:
    if word in document.id_words:
        return ID_WEIGHT
    if word in document.path_words or word in document.joined:
        return PATH_WEIGHT
    if word in document.summary_words:
        return SUMMARY_WEIGHT
    return 0.0


def _score(document: _Document, query_words: list[str]) -> float:
    distinct = list(dict.fromkeys(query_words))
    score = sum(_word_score(document, word) for word in distinct)
    if score == 0:
        return 0.0
    joined_pairs = {fold(first + second) for first, second in zip(query_words, query_words[1:], strict=False)}
    score += JOINED_BONUS * len(joined_pairs & document.joined)
    mentioned = set(distinct) | {synonym for word in distinct for synonym in _expansions(word)}
    if document.resource in joined_pairs or document.resource in mentioned:
        score += RESOURCE_BONUS
    unmentioned = (document.id_words | document.path_words) - mentioned
    needed = PATH_PARAM_PENALTY * len(document.operation.path_params)
    return score - UNMENTIONED_PENALTY * len(unmentioned) - needed


def _exact(query: str) -> list[Operation]:
    """Operations the query names exactly: an id or ``METHOD /path``, or every method of a bare path."""
    found = lookup(query)
    if found is not None:
        return [found]
    name = normalize(query)
    if name.startswith("/"):
        return sorted((operation for operation in load() if operation.path == name), key=lambda op: METHOD_ORDER[op.method])
    return []


def search(query: str, limit: int = 5) -> list[Operation]:
    """Up to ``limit`` operations for a query, best first; exact names first, then by word matches."""
    limit = max(1, limit)
    exact = _exact(query)
    if len(exact) == 1 and lookup(query) is not None:
        return exact
    query_words = words(query)
    scored = [(_score(document, query_words), document.operation) for document in _documents()] if query_words else []
    ranked = sorted(
        ((score, operation) for score, operation in scored if score > 0),
        key=lambda pair: (-pair[0], pair[1].path, METHOD_ORDER[pair[1].method]),
    )
    return _unique([*exact, *(operation for _, operation in ranked)])[:limit]


def _unique(operations: Iterable[Operation]) -> list[Operation]:
    seen: set[str] = set()
    result = []
    for operation in operations:
        if operation.id not in seen:
            seen.add(operation.id)
            result.append(operation)
    return result
