"""Check a sync's mapping against its model(s), target object, target fields and schedule forms.

Runs before ``create_sync`` calls the API so that every mistake comes back at once,
named, with the valid options.
"""

from __future__ import annotations

import re

from polytomic_mcp.client.models import (
    IDENTITY_FUNCTIONS,
    Model,
    ScheduleOption,
    SyncIdentity,
    SyncRequest,
    TargetFields,
    TargetObject,
)

from ..core.suggest import did_you_mean, listing
from ..core.write import Problem
from .type_fit import consequence, fit

CREATING_MODES = frozenset({"create", "updateOrCreate", "replace", "append", "snapshot"})
UPDATING_MODES = frozenset({"update", "updateOrCreate"})


def check_sync(
    request: SyncRequest,
    *,
    models: dict[str, Model],
    target_object: TargetObject,
    target_fields: TargetFields,
    schedule_options: list[ScheduleOption],
) -> list[Problem]:
    """Every problem found; empty when the mapping looks valid."""
    problems: list[Problem] = []
    problems += _check_mode(request, target_object)
    problems += _check_sources(request, models)
    problems += _check_targets(request, target_fields)
    problems += _check_types(request, models, target_fields)
    problems += _check_identity(request, target_object, target_fields)
    problems += _check_required(request, target_fields)
    problems += check_sync_schedule(request, schedule_options)
    return problems


MODE_SYNONYMS = {"upsert": "updateOrCreate", "merge": "updateOrCreate", "insert": "create", "add": "create",
                 "overwrite": "replace", "mirror": "replace", "insertonly": "append"}
"""What other tools call Polytomic's modes (compared without case, ``_`` or ``-``)."""


def _check_mode(request: SyncRequest, target_object: TargetObject) -> list[Problem]:
    """The mode must be one the target object supports; a near name or a common synonym is suggested."""
    modes = [m.id for m in target_object.modes]
    if request.mode in modes:
        return []
    plain = request.mode.lower().replace("_", "").replace("-", "")
    meant = next((m for m in modes if m.lower() == plain), None) or MODE_SYNONYMS.get(plain)
    hint = f" (did you mean '{meant}'?)" if meant in modes else did_you_mean(request.mode, modes)
    return [Problem(
        path="mode",
        message=f"object '{target_object.id}' does not support mode '{request.mode}'; valid modes: {listing(modes)}{hint}",
    )]


def _sources(request: SyncRequest) -> list[tuple[str, str, str]]:
    """(path, model_id, field) of every model field the request reads."""
    found = [(f"fields[{i}].source", f.source.model_id, f.source.field) for i, f in enumerate(request.fields) if f.source]
    for index, identity in enumerate(request.identity_mappings()):
        found.append((_identity_path(request, index) + ".source", identity.source.model_id, identity.source.field))
    return found


def _identity_path(request: SyncRequest, index: int) -> str:
    """Where an identity mapping sits in the request as given."""
    return f"identities.mappings[{index}]" if request.identities is not None else "identity"


def _check_sources(request: SyncRequest, models: dict[str, Model]) -> list[Problem]:
    """Every source must name a known model and one of its fields."""
    problems: list[Problem] = []
    for path, model_id, field in _sources(request):
        model = models.get(model_id)
        if model is None:
            problems.append(Problem(path=f"{path}.model_id", message=f"model '{model_id}' does not exist; call list_models"))
            continue
        names = model.field_names
        if field not in names:
            problems.append(Problem(
                path=f"{path}.field",
                message=f"model '{model.name}' has no field '{field}'{did_you_mean(field, names)}; "
                f"its fields: {listing(names)}",
            ))
    return problems


def _check_targets(request: SyncRequest, target_fields: TargetFields) -> list[Problem]:
    """Every mapped target field must exist, once, and be writable in this mode."""
    problems: list[Problem] = []
    seen: set[str] = set()
    mapped = [(f"fields[{i}].target", f.target, f.new) for i, f in enumerate(request.fields)]
    mapped += [(f"override_fields[{i}].target", f.target, f.new) for i, f in enumerate(request.override_fields or [])]
    for path, target, new in mapped:
        if target in seen:
            problems.append(Problem(path=path, message=f"target field '{target}' is mapped more than once"))
        seen.add(target)
        problem = _target_problem(request.mode, target, new, target_fields)
        if problem is not None:
            problems.append(Problem(path=path, message=problem))
    return problems


def _target_problem(mode: str, target: str, new: bool | None, target_fields: TargetFields) -> str | None:
    """Why ``target`` cannot be written in ``mode`` (absent and not to be created, or not writable), or None."""
    field = target_fields.field(target)
    if field is None:
        ids = [f.id for f in target_fields.fields]
        return None if new else (f"'{target_fields.id}' has no field '{target}'{did_you_mean(target, ids)}; "
                                 "call list_target_objects(connection_id, target_object=...) to see them")
    if mode in CREATING_MODES - UPDATING_MODES and not field.createable:
        return f"field '{target}' cannot be set on create (not createable)"
    if mode == "update" and not field.updateable:
        return f"field '{target}' cannot be updated (not updateable)"
    if mode == "updateOrCreate" and not (field.createable or field.updateable):
        return f"field '{target}' is neither createable nor updateable"
    return None


def _check_types(request: SyncRequest, models: dict[str, Model], target_fields: TargetFields) -> list[Problem]:
    """Mapped model fields whose values cannot (blocking) or may not all (warning) be written to the target field's type."""
    problems: list[Problem] = []
    for index, mapping in enumerate(request.fields):
        model = models.get(mapping.source.model_id) if mapping.source else None
        source = next((f for f in model.fields if mapping.source and f.name == mapping.source.field), None) if model else None
        target = target_fields.field(mapping.target)
        if source is None or target is None or source.type is None or target.type is None:
            continue
        verdict = fit(source.type, target.type)
        if verdict is not None:
            problems.append(Problem(path=f"fields[{index}]", message=consequence(source.name, source.type, target.id, target.type, verdict),
                                    warning=True if verdict == "some" else None))
    return problems


def _check_identity(request: SyncRequest, target_object: TargetObject, target_fields: TargetFields) -> list[Problem]:
    """Identity present where the mode needs one; its field and function supported."""
    mappings = request.identity_mappings()
    mode = target_object.mode(request.mode)
    candidates = [f.id for f in target_fields.fields if f.supports_identity]
    if mode is not None and mode.requires_identity and not mappings:
        return [Problem(
            path="identity",
            message=f"mode '{request.mode}' needs an identity (how records are matched); "
            f"target fields that support one: {listing(candidates)}",
        )]
    found = [_identity_problem(_identity_path(request, index), identity, target_fields, candidates)
             for index, identity in enumerate(mappings)]
    return [problem for problem in found if problem is not None]


def _identity_problem(path: str, identity: SyncIdentity, target_fields: TargetFields, candidates: list[str]) -> Problem | None:
    """What is wrong with one identity mapping: its target field, or its function; None when it is fine."""
    field = target_fields.field(identity.target)
    if field is None:
        if identity.new_field:
            return None
        ids = candidates or [f.id for f in target_fields.fields]
        return Problem(path=f"{path}.target",
                       message=f"'{target_fields.id}' has no field '{identity.target}'{did_you_mean(identity.target, ids)}")
    if not field.supports_identity:
        return Problem(path=f"{path}.target",
                       message=f"field '{field.id}' cannot be used as an identity; fields that can: {listing(candidates)}")
    functions = [f.id for f in field.identity_functions] or list(IDENTITY_FUNCTIONS)
    if identity.function not in functions:
        return Problem(path=f"{path}.function", message=f"field '{field.id}' does not support identity function "
                       f"'{identity.function}'; valid: {listing(functions)}")
    return None


def _check_required(request: SyncRequest, target_fields: TargetFields) -> list[Problem]:
    """Modes that create records must map every required target field."""
    if request.mode not in CREATING_MODES:
        return []
    mapped = {f.target for f in request.fields} | {f.target for f in request.override_fields or []}
    mapped |= {m.target for m in request.identity_mappings()}
    missing = [f.id for f in target_fields.fields if f.required and f.createable and f.id not in mapped]
    if not missing:
        return []
    return [Problem(
        path="fields",
        message=f"mode '{request.mode}' creates records, so these required fields of "
        f"'{target_fields.id}' must be mapped: {listing(missing)}",
    )]


def check_sync_schedule(request: SyncRequest, options: list[ScheduleOption]) -> list[Problem]:
    """The frequency must exist and the fields its configuration form requires be set."""
    if not options:
        return []
    frequencies = [o.frequency for o in options]
    option = next((o for o in options if o.frequency == request.schedule.frequency), None)
    if option is None:
        return [Problem(
            path="schedule.frequency",
            message=f"unknown frequency '{request.schedule.frequency}'; valid: {listing(frequencies)}"
            f"{did_you_mean(request.schedule.frequency, frequencies)}; for an interval use custom (cron): {CRON_EXAMPLE}",
        )]
    given = request.schedule.to_body()
    if option.frequency == "custom":
        return _check_cron(given)
    required = option.configuration.get("required") or []
    missing = [name for name in required if given.get(name) in (None, "", [])]
    if not missing:
        return []
    return [Problem(
        path="schedule",
        message=f"frequency '{option.frequency}' needs {listing(missing)} (strings, UTC), "
        f"e.g. {{\"frequency\": \"{option.frequency}\", " + ", ".join(f'"{m}": "0"' for m in missing) + "}",
    )]


CRON_FIELDS = ("minute", "hour", "day_of_month", "month", "day_of_week")
_CRON_PART = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
CRON_EXAMPLE = (
    '{"frequency": "custom", "minute": "*/5", "hour": "*", "day_of_month": "*", "month": "*", "day_of_week": "*"} '
    "(every 5 minutes, UTC)"
)


def _check_cron(given: dict[str, object]) -> list[Problem]:
    """A custom schedule is a cron expression: all five fields, each cron syntax (``*``, ``5``, ``*/5``, ``1-5``, ``1,15``)."""
    missing = [name for name in CRON_FIELDS if given.get(name) in (None, "")]
    if missing:
        return [Problem(path="schedule", message=f"frequency 'custom' is a cron schedule and needs all of {listing(CRON_FIELDS)}; "
                        f"missing {listing(missing)}; e.g. {CRON_EXAMPLE}")]
    bad = [name for name in CRON_FIELDS if not _CRON_PART.match(str(given[name]).strip())]
    if bad:
        return [Problem(path=f"schedule.{bad[0]}", message=f"{', '.join(bad)} must be cron syntax ('*', '5', '*/5', '1-5', '1,15'); "
                        f"e.g. {CRON_EXAMPLE}")]
    return []
