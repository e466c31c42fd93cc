"""Validate decoded JSON into client models, mapping pydantic errors into the client's tree."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._exceptions import ResponseParseError

T = TypeVar("T", bound=BaseModel)


def parse_model(model: type[T], data: Any, where: str) -> T:
    """One object of ``model`` from ``data``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ResponseParseError(f"{where}: unexpected response shape ({exc.error_count()} problems)") from exc


def parse_list(model: type[T], data: Any, where: str) -> list[T]:
    """A list of ``model`` from ``data``."""
    try:
        return TypeAdapter(list[model]).validate_python(data)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise ResponseParseError(f"{where}: unexpected response shape ({exc.error_count()} problems)") from exc
