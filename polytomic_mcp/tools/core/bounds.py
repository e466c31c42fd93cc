"""Results within bounds: every string capped and the whole result within ``MAX_RESULT_CHARS``, in one pass.

``bounded`` copies a result while a character budget lasts (its JSON size, each ``<`` counted as the six
characters of its escape in the text form) and stops reading where it stops copying, so bounding a huge
answer costs about as much as bounding one that just fits:

- in each object the scalars go first (``total``, ``next_cursor``, ``next_page_token`` and ``next_step``
  before all), then the nested values share what is left: those that fit a fair share are kept whole,
  the others split the rest;
- a list keeps its first items while they fit, a string is cut with ``[N more characters cut]``, a value
  nested deeper than ``MAX_DEPTH`` levels becomes a marker, and an unpaired UTF-16 surrogate (which
  cannot be written as UTF-8 and would break the transport) becomes U+FFFD;
- every cut is named in a top-level ``truncated`` note: what is shown and how to get the rest.

Dumping and scrubbing a result still read all of it, so ``off_loop`` does that for a large result in a
worker thread, and the event loop stays free for other calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any, TypeVar

import anyio
from pydantic import BaseModel

T = TypeVar("T")
R = TypeVar("R")
MAX_RESULT_CHARS = 16_000
MAX_STRING_CHARS = 2_000
MAX_ERROR_CHARS = 2_000
MAX_KEY_CHARS = 200
MAX_DEPTH = 32
"""Containers nested deeper than this (the result itself is level 0) become ``TOO_DEEP``."""
TOO_DEEP = f"[nested deeper than {MAX_DEPTH} levels: not shown]"
KEPT = ("total", "next_cursor", "next_page_token", "next_step")
"""Keys copied before any other in each object, so cutting never drops how to go on."""
LARGE = 2_000
"""A result holding more values than this is dumped, scrubbed and bounded in a worker thread."""
NOTE_ROOM = 800
"""Characters kept free for the ``truncated`` note when something is cut."""
SHARE = 1_000
"""The least a nested value is offered when its siblings share the budget."""
STUB = 200
"""The least room in which a nested value that does not fit is shown in part (else it is left out)."""
HOW = ("To see the rest, make a narrower call: a search or filter, a smaller limit, the next cursor or page token, "
       "or just the item you need.")


def _as_is(text: str) -> str:
    return text


Scrub = Callable[[str], str]
"""What every string read is passed through before it is measured (``redaction.scrub``): so only what is read is scrubbed."""


def clean_text(text: str, limit: int = MAX_STRING_CHARS) -> str:
    """``text`` without unpaired surrogates, cut at ``limit`` characters with a visible marker."""
    if not text.isascii():
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if len(text) > limit:
        return f"{text[:limit]}... [{len(text) - limit} more characters cut]"
    return text


def clean_message(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """An error message cleaned and cut in the middle, so both what went wrong and the next step survive."""
    text = clean_text(text, len(text))
    if len(text) <= limit:
        return text
    head, tail = text[: limit * 2 // 3], text[-(limit // 3):]
    return f"{head}... [{len(text) - len(head) - len(tail)} characters cut] ...{tail}"


def clip(value: str, limit: int = 120) -> str:
    """An argument echoed in a message (an id, a name), shortened when an agent passed something huge."""
    return value if len(value) <= limit else f"{value[:limit]}...({len(value)} characters)"


def bounded(structured: dict[str, Any], budget: int = MAX_RESULT_CHARS, *, scrub: Scrub = _as_is) -> dict[str, Any]:
    """``structured`` cleaned and within ``budget`` characters of JSON, each string read passed through ``scrub`` first."""
    walk = _Walk(scrub)
    value, _ = walk.mapping(structured, budget, "", 0)
    if not walk.cut_any:
        return value
    walk = _Walk(scrub)
    value, _ = walk.mapping(structured, budget - NOTE_ROOM, "", 0)
    if walk.cut_any:
        value["truncated"] = walk.note()
    return value


def fitted(
    data: dict[str, Any], render: Callable[[dict[str, Any]], str], *, scrub: Scrub = _as_is, reserve: int = 0,
) -> tuple[dict[str, Any], str]:
    """``data`` bounded (see ``bounded``), and its text ``render(bounded)``, both within ``MAX_RESULT_CHARS - reserve``.

    The text form adds markers (and may escape more) to the JSON; when it is longer, the data is bounded tighter.
    """
    limit = budget = MAX_RESULT_CHARS - reserve
    while True:
        shown = bounded(data, budget, scrub=scrub)
        text = render(shown)
        if len(text) <= limit or budget <= 2 * NOTE_ROOM:
            return shown, text
        budget -= len(text) - limit + 100


def dumped(model: BaseModel, *, by_alias: bool = True) -> dict[str, Any]:
    """The model as JSON data without unset fields; values nested past pydantic's limit become ``TOO_DEEP``."""
    try:
        return model.model_dump(mode="json", by_alias=by_alias, exclude_none=True)
    except ValueError:  # "Maximum serialization depth exceeded" (about 250 levels)
        return _shallow(model, 0).model_dump(mode="json", by_alias=by_alias, exclude_none=True)  # type: ignore[no-any-return]


def is_large(value: Any, limit: int = LARGE) -> bool:
    """Whether ``value`` (a model or JSON data) holds more than ``limit`` values; looks at no more than that."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            item = item.__dict__
        children = item.values() if isinstance(item, dict) else item if isinstance(item, (list, tuple)) else ()
        seen += len(children)
        if seen > limit:
            return True
        stack.extend(child for child in children if isinstance(child, (dict, list, tuple, BaseModel)))
    return False


async def off_loop(render: Callable[[T], R], value: T) -> R:
    """``render(value)``, in a worker thread when ``value`` is large, so other calls are not held up meanwhile."""
    if is_large(value):
        return await anyio.to_thread.run_sync(render, value)
    return render(value)


def _shallow(value: Any, depth: int) -> Any:
    """``value`` with containers deeper than ``MAX_DEPTH`` replaced by ``TOO_DEEP`` (models are copied, not changed)."""
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _shallow(item, depth + 1) for name, item in value.__dict__.items()})
    if isinstance(value, (dict, list, tuple)) and depth >= MAX_DEPTH:
        return TOO_DEEP
    if isinstance(value, dict):
        return {key: _shallow(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shallow(item, depth + 1) for item in value]
    return value


def _cost(text: str) -> int:
    """Characters of ``text`` as a JSON string in the text form (quotes, escapes; ``<`` is written ``\\u003c``)."""
    return len(encode_basestring(text)) + 5 * text.count("<")


def _scalar(value: Any) -> tuple[Any, int] | None:
    """A non-string scalar and its JSON size; None for anything else (which is shown as a string)."""
    if value is None or isinstance(value, bool):
        return value, 5 if value is False else 4
    if isinstance(value, int):
        return value, len(str(value))
    if isinstance(value, float):
        text = repr(value)
        return value, len(_FLOATS.get(text, text))
    return None


_FLOATS = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}


def _key(key: Any) -> tuple[str, int]:
    """An object key as shown and what it costs with its colon and the comma (or brace) after the value."""
    name = clean_text(str(key), MAX_KEY_CHARS)
    return name, _cost(name) + 2


def _ordered(value: dict[Any, Any]) -> Iterator[Any]:
    """The keys of ``value``: those in ``KEPT`` first, then the others in order."""
    yield from (key for key in KEPT if key in value)
    yield from (key for key in value if key not in KEPT)


def _fit(text: str, room: int) -> tuple[str, int] | None:
    """``text`` cut (with its marker) so that it costs at most ``room``; None when not even 20 characters fit."""
    limit = min(len(text), room - 40)
    for _ in range(4):
        if limit < 20:
            return None
        cut = clean_text(text, limit)
        size = _cost(cut)
        if size <= room:
            return cut, size
        limit -= max(size - room, limit // 8)
    return None


class _Walk:
    """One bounding pass: copies values within a budget and remembers every cut for the note."""

    def __init__(self, scrub: Scrub) -> None:
        self.scrub = scrub
        self.cuts: list[tuple[int, str]] = []
        """(depth, what was cut) of each cut, for the note."""
        self.deep: list[str] = []
        """The paths of the values replaced by ``TOO_DEEP``."""

    @property
    def cut_any(self) -> bool:
        """Whether anything was cut."""
        return bool(self.cuts or self.deep)

    def note(self) -> str:
        """The ``truncated`` note: values nested too deep, the outermost cuts, how many more, and how to get the rest."""
        cuts = [f"{len(self.deep)} value(s) nested too deep (the first at {_tail(self.deep[0])})"] if self.deep else []
        cuts += [what for _, what in sorted(self.cuts, key=lambda cut: cut[0])]
        shown = "; ".join(cuts[:4]) + (f"; and {len(cuts) - 4} more" if len(cuts) > 4 else "")
        text = f"Result cut to fit the size limit ({MAX_RESULT_CHARS:,} characters): {shown}. {HOW}"
        fitted = _fit(text, NOTE_ROOM - 20) if _cost(text) > NOTE_ROOM - 20 else None
        return fitted[0] if fitted is not None else text

    def cut(self, path: str, depth: int, what: str) -> None:
        """Remember a cut at ``path``."""
        self.cuts.append((depth, f"{_tail(path)} {what}"))

    def value(self, item: Any, room: int, path: str, depth: int) -> tuple[Any, int] | None:
        """``item`` within ``room``: whole when it fits, else cut; None when no useful part fits."""
        if isinstance(item, (dict, list, tuple)) and depth < MAX_DEPTH and room >= STUB:
            return self.mapping(item, room, path, depth) if isinstance(item, dict) else self.sequence(item, room, path, depth)
        got = self.whole(item, room, path, depth)
        if got is None and isinstance(item, str):
            text = self.scrub(item)
            got = _fit(clean_text(text, len(text)), room)
            if got is not None:
                self.cut(path, depth, f"shows {len(got[0])} characters")
        return got

    def whole(self, item: Any, room: int, path: str, depth: int) -> tuple[Any, int] | None:
        """``item`` copied whole (strings capped at ``MAX_STRING_CHARS``), or None when that costs more than ``room``."""
        cuts, deep = len(self.cuts), len(self.deep)
        got = self._whole(item, room, path, depth)
        if got is None:
            del self.cuts[cuts:], self.deep[deep:]
        return got

    def _whole(self, item: Any, room: int, path: str, depth: int) -> tuple[Any, int] | None:
        if isinstance(item, (dict, list, tuple)) and depth >= MAX_DEPTH or isinstance(item, str) and item == TOO_DEEP:
            self.deep.append(path)
            item = TOO_DEEP
        if isinstance(item, dict):
            return self._whole_mapping(item, room, path, depth)
        if isinstance(item, (list, tuple)):
            return self._whole_sequence(item, room, path, depth)
        scalar = _scalar(item)
        if scalar is None:
            text = clean_text(self.scrub(item if isinstance(item, str) else str(item)))
            scalar = text, _cost(text)
        return scalar if scalar[1] <= room else None

    def _whole_mapping(self, item: dict[Any, Any], room: int, path: str, depth: int) -> tuple[Any, int] | None:
        if len(item) * 5 > room:
            return None
        copy: dict[str, Any] = {}
        used = 2 if not item else 1
        for key, child in item.items():
            name, cost = _key(key)
            got = self._whole(child, room - used - cost, self.child(path, name), depth + 1)
            if got is None:
                return None
            copy[name] = got[0]
            used += cost + got[1]
        return copy, used

    def _whole_sequence(self, item: list[Any] | tuple[Any, ...], room: int, path: str, depth: int) -> tuple[Any, int] | None:
        if len(item) * 2 > room:
            return None
        copy: list[Any] = []
        used = 2 if not item else 1
        for index, child in enumerate(item):
            got = self._whole(child, room - used - 1, f"{path}[{index}]", depth + 1)
            if got is None:
                return None
            copy.append(got[0])
            used += got[1] + 1
        return copy, used

    def sequence(self, items: list[Any] | tuple[Any, ...], room: int, path: str, depth: int) -> tuple[list[Any], int]:
        """The first items of ``items`` that fit ``room`` (the first one cut when it alone does not fit)."""
        copy: list[Any] = []
        used = 1
        for index, item in enumerate(items):
            where = f"{path}[{index}]"
            got = self.value(item, room - used - 1, where, depth + 1) if not copy else self.whole(item, room - used - 1, where, depth + 1)
            if got is None:
                break
            copy.append(got[0])
            used += got[1] + 1
        if len(copy) < len(items):
            self.cut(path, depth, f"shows the first {len(copy)} of {len(items)} items")
        return copy, max(used, 2)

    def mapping(self, item: dict[Any, Any], room: int, path: str, depth: int) -> tuple[dict[str, Any], int]:
        """``item``'s scalars while they fit, then its nested values sharing the rest; keys keep their order."""
        chosen: dict[Any, tuple[str, Any]] = {}
        nested: list[Any] = []
        used = reserve = 1
        for key in _ordered(item):
            child = item[key]
            name, cost = _key(key)
            if isinstance(child, (dict, list, tuple)):
                nested.append(key)
                reserve += cost + 2
            else:
                got = self.value(child, room - used - reserve - cost, self.child(path, name), depth + 1)
                if got is None:
                    break
                chosen[key] = (name, got[0])
                used += cost + got[1]
            if used + reserve >= room:
                break
        used += self.shared(item, nested, chosen, room - used, path, depth)
        if len(chosen) < len(item):
            self.cut(path, depth, f"shows {len(chosen)} of {len(item)} keys")
        return _in_order(item, chosen), max(used, 2)

    def shared(self, item: dict[Any, Any], keys: list[Any], chosen: dict[Any, tuple[str, Any]], room: int, path: str, depth: int) -> int:
        """Copy the nested values ``keys`` into ``chosen`` within ``room``: whole within a fair share, else splitting the rest."""
        if not keys:
            return 0
        share = max(room // len(keys), SHARE)
        large: list[tuple[Any, str, int]] = []
        spent = planned = 0
        for key in keys:
            name, cost = _key(key)
            offer = min(share, room - planned - cost)
            if offer < 2:
                break
            got = self.whole(item[key], offer, self.child(path, name), depth + 1) if len(keys) > 1 else None
            if got is None:
                large.append((key, name, cost))
                planned += cost + offer
            else:
                chosen[key] = (name, got[0])
                spent += cost + got[1]
                planned += cost + got[1]
        left = room - spent - sum(cost for *_, cost in large)
        for index, (key, name, cost) in enumerate(large):
            got = self.value(item[key], left // (len(large) - index), self.child(path, name), depth + 1)
            if got is not None:
                chosen[key] = (name, got[0])
                spent += cost + got[1]
                left -= got[1]
        return spent

    @staticmethod
    def child(path: str, name: str) -> str:
        """The path of an object's value (each key shortened to 40 characters)."""
        return f"{path}.{name[:40]}" if path else name[:40]


def _tail(path: str) -> str:
    """A path as a note names it: "the result" for the top, the last 80 characters of a long one."""
    return "the result" if not path else path if len(path) <= 80 else f"...{path[-77:]}"


def _in_order(item: dict[Any, Any], chosen: dict[Any, tuple[str, Any]]) -> dict[str, Any]:
    """The chosen entries as an object, in ``item``'s key order (reading only as far as the last one)."""
    copy: dict[str, Any] = {}
    for key in item:
        if len(copy) == len(chosen):
            break
        if key in chosen:
            name, value = chosen[key]
            copy[name] = value
    return copy
