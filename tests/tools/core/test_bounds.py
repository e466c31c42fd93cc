"""Bounding a result: within the size limit whatever its shape, every cut named, reading only what it shows."""

from __future__ import annotations

import json
from typing import Any

from polytomic_mcp.tools.core.bounds import MAX_DEPTH, MAX_RESULT_CHARS, TOO_DEEP, bounded

KEPT = {"total": 50_000, "next_cursor": "bzo1MA", "next_page_token": "dGhlLW5leHQ", "next_step": "Call again with cursor."}


def size(value: Any) -> int:
    """Characters of the text form's JSON (``<`` escaped as the text form writes it)."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c"))


def depth(value: Any) -> int:
    """How many containers deep ``value`` goes (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": True}
    for _ in range(levels):
        value = {"k": value}
    return value


class CountingList(list[Any]):
    """A list that counts the items read from it."""

    read = 0

    def __iter__(self) -> Any:
        for item in super().__iter__():
            CountingList.read += 1
            yield item


def test_an_object_of_50000_keys_is_cut_to_the_limit_keeping_how_to_go_on() -> None:
    data = {"data": {f"key{index:05d}": index for index in range(50_000)}, **KEPT}
    shown = bounded(data)
    assert size(shown) <= MAX_RESULT_CHARS
    assert {key: shown[key] for key in KEPT} == KEPT
    assert 100 < len(shown["data"]) < 50_000 and "key00000" in shown["data"]
    assert f"data shows {len(shown['data'])} of 50000 keys" in shown["truncated"] and "narrower call" in shown["truncated"]


def test_thousands_of_one_item_lists_are_cut_to_the_limit() -> None:
    data = {"rows": {f"row{index}": [f"value {index} " + "x" * 60] for index in range(3_000)}, "next_step": "Narrow it."}
    shown = bounded(data)
    assert size(shown) <= MAX_RESULT_CHARS and shown["next_step"] == "Narrow it."
    assert f"rows shows {len(shown['rows'])} of 3000 keys" in shown["truncated"]
    assert all(len(row) == 1 for row in shown["rows"].values()), "the lists shown are whole"


def test_values_nested_past_the_depth_limit_become_a_marker_without_recursing() -> None:
    for levels in (300, 50_000):
        shown = bounded({"response": nested(levels), "next_step": "Read less."})
        assert depth(shown) == MAX_DEPTH and TOO_DEEP in json.dumps(shown)
        assert "1 value(s) nested too deep (the first at response.k.k" in shown["truncated"] and shown["next_step"] == "Read less."


def test_bounding_reads_only_about_as_much_as_it_shows() -> None:
    CountingList.read = 0
    shown = bounded({"items": CountingList(f"item {index}" for index in range(1_000_000))})
    assert 500 < len(shown["items"]) < 2_000 and CountingList.read <= 2 * len(shown["items"]) + 100, "at most two passes over what is shown"
    assert f"items shows the first {len(shown['items'])} of 1000000 items" in shown["truncated"]


def test_escaped_angle_brackets_count_toward_the_limit() -> None:
    shown = bounded({"records": ["<b>" * 600 for _ in range(100)]})
    assert size(shown) <= MAX_RESULT_CHARS and "truncated" in shown


def test_sibling_lists_share_the_limit_and_small_ones_stay_whole() -> None:
    row = {"id": "r", "text": "x" * 100}
    shown = bounded({"fields": [row] * 500, "sample": [row] * 500, "configuration": {"table": "users"}})
    assert size(shown) <= MAX_RESULT_CHARS and shown["configuration"] == {"table": "users"}
    assert abs(len(shown["fields"]) - len(shown["sample"])) <= 2 and len(shown["fields"]) > 40
    assert "fields shows the first" in shown["truncated"] and "sample shows the first" in shown["truncated"]


def test_a_result_within_the_limit_is_unchanged_but_cleaned() -> None:
    data = {"models": [{"id": f"m{index}", "name": f"Model {index}"} for index in range(50)], "total": 50,
            "name": "bad\udcffname", "long": "y" * 5_000}
    shown = bounded(data)
    assert shown["models"] == data["models"] and shown["name"] == "bad\ufffdname" and "truncated" not in shown
    assert shown["long"].startswith("y" * 2_000) and shown["long"].endswith("[3000 more characters cut]")
