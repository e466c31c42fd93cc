"""What one sync body is validated against (its models and resolved target): shared by the sync and filter checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import listing, unprocessable
from ..upstream import System, TargetObject
from .body import require_object, require_str

if TYPE_CHECKING:
    from ..store import Workspace


@dataclass
class Checker:
    """Holds what one sync body is validated against: the workspace's models and the resolved target."""

    ws: Workspace
    system: System
    target: TargetObject
    new_target: bool
    model_ids: list[str] = field(default_factory=list)

    @property
    def can_create_fields(self) -> bool:
        """Whether mappings may name fields the sync will create (new targets, or destinations that add columns)."""
        return self.new_target or bool(self.system.target_properties()["supports_field_creation"])

    def source(self, ref: Any, where: str) -> dict[str, Any]:
        """Check a ``{model_id, field}`` reference and return it normalised."""
        ref = require_object(ref, where)
        model_id = require_str(ref, "model_id", f"{where}.")
        name = require_str(ref, "field", f"{where}.")
        model = self.ws.models.get(model_id)
        if model is None:
            raise unprocessable(f'{where}.model_id: model "{model_id}" not found')
        names = [f["name"] for f in model.fields]
        if name not in names and name not in {f["id"] for f in model.fields}:
            raise unprocessable(f'{where}.field: model field "{name}" does not exist in model "{model.name}"; available: {listing(names)}')
        if model_id not in self.model_ids:
            self.model_ids.append(model_id)
        return {"model_id": model_id, "field": name}

    def target_field(self, name: str, where: str, *, new: bool) -> Any:
        """Return the target field ``name`` (None for a field the sync will create) or raise 422."""
        found = self.target.by_id.get(name)
        if found is not None:
            if not (found.createable or found.updateable):
                raise unprocessable(f'{where}: target field "{name}" on {self.target.id} is read-only')
            return found
        if (new or self.new_target) and self.can_create_fields:
            return None
        hint = " (set new: true to create it)" if self.can_create_fields else ""
        raise unprocessable(
            f'{where}: target field "{name}" does not exist on {self.target.id}{hint}; available: {listing(list(self.target.by_id))}'
        )
