"""Large generated destinations (hundreds of objects, many fields) for benchmarks, built lazily so seeding stays fast."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .upstream import System, TargetField, TargetObject, modes

_TYPES = (("string", "character varying"), ("integer", "integer"), ("number", "numeric"), ("boolean", "boolean"), ("datetime", "timestamp"))


class SyntheticTargets(Mapping[str, TargetObject]):
    """``objects`` target objects named ``synthetic.object_0001``… each with ``fields`` columns, generated on first access."""

    def __init__(self, objects: int, fields: int) -> None:
        self._ids = [f"synthetic.object_{i:04d}" for i in range(1, objects + 1)]
        self._index = set(self._ids)
        self._fields = fields
        self._cache: dict[str, TargetObject] = {}

    def __getitem__(self, key: str) -> TargetObject:
        if key not in self._index:
            raise KeyError(key)
        if key not in self._cache:
            self._cache[key] = TargetObject(key, key, _synthetic_fields(self._fields), modes("create", "update", "updateOrCreate", "append"))
        return self._cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _synthetic_fields(count: int) -> tuple[TargetField, ...]:
    fields = [TargetField("id", "id", "string", "character varying", identity_functions=("Equality",))]
    if count > 1:
        fields.append(TargetField("email", "email", "string", "character varying", identity_functions=("Equality", "ISubstring")))
    for n in range(len(fields) + 1, count + 1):
        kind, native = _TYPES[n % len(_TYPES)]
        fields.append(TargetField(f"field_{n:02d}", f"field_{n:02d}", kind, native))
    return tuple(fields[:count])


def synthetic_system(objects: int, fields: int) -> System:
    """Build a destination-only system with ``objects`` generated target objects of ``fields`` fields each."""
    return System(
        source_kind="sql",
        targets=SyntheticTargets(objects, fields),
        flags={"supports_field_creation": True, "supports_field_type_selection": True},
    )
