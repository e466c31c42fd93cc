"""Closest-name suggestions for error messages ("did you mean ...")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, options: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` options that look like ``name`` (case-insensitive, then fuzzy)."""
    pool = list(dict.fromkeys(options))
    lowered = {o.lower(): o for o in pool}
    if name.lower() in lowered:
        return [lowered[name.lower()]]
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    picked = [lowered[m] for m in matches]
    picked += [o for o in pool if name.lower() in o.lower() and o not in picked]
    return picked[:n]


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    close = closest(name, options)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def listing(options: Iterable[str], limit: int = 25) -> str:
    """A short, quoted, comma-separated list; says how many more there are."""
    items = list(options)
    shown = ", ".join(repr(o) for o in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "") if items else "(none)"
