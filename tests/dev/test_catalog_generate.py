"""The catalog generator's pieces, run against the pinned SDK (``python -m dev.regenerate --check`` compares the file)."""

from __future__ import annotations

import typing

import pytest

pytest.importorskip("polytomic", reason="the polytomic SDK (test extra) is not installed; the generator needs it")

from dev import catalog_generate as generate  # noqa: E402


def test_the_summary_is_the_first_sentence_without_markup() -> None:
    def documented() -> None:
        """Returns a [`thing`](../link) by ID. More text follows.

        Parameters
        ----------
        """

    assert generate.summary(documented, "GET", "/api/things/{id}") == "Returns a thing by ID"


def test_the_summary_falls_back_to_method_and_path_without_a_docstring() -> None:
    def undocumented() -> None:
        pass

    assert generate.summary(undocumented, "GET", "/api/things/{id}") == "GET /api/things/{id}"


def test_a_long_summary_is_cut_at_a_word() -> None:
    def wordy() -> None:
        pass

    wordy.__doc__ = "Lists " + "many " * 40 + "things."
    cut = generate.summary(wordy, "GET", "/api/things")
    assert len(cut) <= generate.MAX_SUMMARY
    assert cut.endswith("many…")


def test_compact_types_in_the_sdk_spelling() -> None:
    assert generate.compact(typing.Optional[str]) == "string"  # noqa: UP045
    assert generate.compact(typing.Union[typing.Literal["a", "b"], typing.Any]) == "a|b"  # noqa: UP007
    assert generate.compact(typing.Optional[typing.Union[str, typing.Sequence[str]]]) == "string|[string]"  # noqa: UP007, UP045
    assert generate.compact(typing.Dict[str, typing.Optional[typing.Sequence[str]]]) == "map<[string]>"  # noqa: UP006, UP045
    assert generate.compact(typing.List[int]) == ["integer"]  # noqa: UP006
