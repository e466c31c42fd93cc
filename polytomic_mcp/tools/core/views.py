"""Result views shared by several families: the base class, a configuration field, and the outcome of an update.

API objects stay defined once in the client; views select and mask fields from them. Each family's own
results live in its ``views`` module. A view names its fields that hold workspace or third-party text in
``untrusted``; ``untrusted_paths`` composes those names into JSON paths through nested views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from polytomic_mcp.client.models import ConfigField, ConfigurationSchema

UNTRUSTED = "untrusted"
"""The structured result's key listing the JSON paths whose values are workspace data."""


class View(BaseModel):
    """A tool result; its validator is built on first use, not at import (every result type costs cold start otherwise)."""

    model_config = ConfigDict(defer_build=True)
    untrusted: ClassVar[tuple[str, ...]] = ()
    """This view's fields whose values come from the workspace or a third party (names, messages, records...)."""


def untrusted_paths(view: BaseModel, prefix: str = "") -> list[str]:
    """JSON paths (``connections[].name``) of the values in ``view`` that are workspace data, each once, in field order."""
    declared = getattr(type(view), "untrusted", ())
    found: dict[str, None] = {}
    for name, info in type(view).model_fields.items():
        value = getattr(view, name)
        path = f"{prefix}{info.serialization_alias or info.alias or name}"
        if value is None:
            continue
        if name in declared:
            found[path] = None
            continue
        for child, child_prefix in _nested(value, path):
            found.update(dict.fromkeys(untrusted_paths(child, child_prefix)))
    return list(found)


def _nested(value: object, path: str) -> list[tuple[BaseModel, str]]:
    """The models directly inside a field's value, with the path prefix of each."""
    if isinstance(value, BaseModel):
        return [(value, f"{path}.")]
    if isinstance(value, list):
        return [(item, f"{path}[].") for item in value if isinstance(item, BaseModel)]
    return []


class Written(View):
    """The result of a write tool: whether a dry run found the change blocked (first, so it is read first), and how
    the person's yes was given."""

    blocked: str | None = Field(default=None, description="A dry run's verdict when problems stop the change.")
    consent: Literal["asked", "approved by link", "relayed by the assistant", "not needed"] | None = Field(
        default=None, description="How the person's yes was given.")


class FieldSpec(View):
    """A configuration field of a connection type (or of a bulk destination)."""

    name: str
    type: str | None = None
    secret: bool | None = Field(default=None, description="True: write-only, never shown back.")
    default: Any = None
    enum: list[Any] | None = None
    description: str | None = None


class LastRun(View):
    """How a sync's last finished run went."""

    status: str
    at: str | None = Field(default=None, description="When it finished (or started).")
    rejected: int | None = Field(default=None, description="Records the destination rejected.")


class UsedBy(View):
    """Something that uses a changed connection or model; a sync with its last run (none: never run)."""

    untrusted = ("name",)

    kind: str
    id: str
    name: str
    last_run: LastRun | None = None


class UpdateResult(Written):
    """Outcome of update_connection, update_model or update_sync (or of its dry run)."""

    untrusted = ("name", "request", "used_by")

    updated: bool
    kind: str
    id: str
    name: str
    changes: list[str] = Field(description="What differs from the stored object.")
    checks: list[str] | None = Field(default=None, description="Problems found before calling the API.")
    request: dict[str, Any] | None = Field(default=None, description="Dry run: the full body that would be sent (secrets masked).")
    result: SerializeAsAny[View] | None = Field(default=None, description="The object as saved.")
    used_by: list[UsedBy] | None = Field(default=None, description="What uses it: from their next run, with the change.")
    next_step: str


@dataclass(frozen=True)
class Updating:
    """The object an update changes and what differs: the dry-run answer and the result of every update tool."""

    kind: str
    id: str
    changes: list[str]

    def preview(self, name: str, request: dict[str, Any], problems: Sequence[object], step: str) -> UpdateResult:
        """The dry run: what would be sent, the problems found, the next step."""
        return UpdateResult(updated=False, kind=self.kind, id=self.id, name=name, changes=self.changes,
                            checks=[str(p) for p in problems] or None, request=request, next_step=step)

    def saved(self, name: str, shown: View, next_step: str, used_by: list[UsedBy] | None = None) -> UpdateResult:
        """The object as saved (``shown``: its view, whose workspace data stays marked), and what uses it."""
        return UpdateResult(updated=True, kind=self.kind, id=self.id, name=name, changes=self.changes,
                            result=shown, used_by=used_by or None, next_step=next_step)


def field_spec(field: ConfigField) -> FieldSpec:
    """A schema field as the model sees it."""
    return FieldSpec(
        name=field.path,
        type=field.type,
        secret=True if field.secret else None,
        default=field.default if field.has_default else None,
        enum=field.enum,
        description=field.title or field.description,
    )


def example_configuration(schema: ConfigurationSchema) -> dict[str, Any]:
    """A configuration skeleton with the required fields (defaults where known)."""
    example: dict[str, Any] = {}
    for field in schema.required:
        if not field.settable:
            continue
        if field.has_default:
            example[field.path] = field.default
        elif field.enum:
            example[field.path] = field.enum[0]
        else:
            example[field.path] = {"integer": 0, "number": 0, "boolean": False}.get(field.type or "", "<" + field.path + ">")
    return example
