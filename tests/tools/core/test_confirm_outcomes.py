"""Confirmation outcomes: what each answer becomes, which outcomes let an action go ahead, how failures are judged."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.server.mcpserver import AcceptedElicitation, CancelledElicitation, DeclinedElicitation
from mcp.server.mcpserver.exceptions import ToolError

from polytomic_mcp.client import NotFoundError, ServerError, TransportError, UnprocessableEntityError
from polytomic_mcp.client.models import Model, Sync, SyncRequest
from polytomic_mcp.tools.core.consent import Confirmation, Outcome, consent, outcome_of, unchecked
from polytomic_mcp.tools.core.errors import fail
from polytomic_mcp.tools.syncs.question import MAX_LISTED_FIELDS, question, request_facts, sync_facts


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (AcceptedElicitation(data=Confirmation(confirm=True)), "confirmed"),
        (AcceptedElicitation(data=Confirmation(confirm=False)), "declined"),
        (DeclinedElicitation(), "declined"),
        (CancelledElicitation(), "declined"),
        (AcceptedElicitation[Any].model_construct(data=Outcome("to_ask")), "to_ask"),
        (AcceptedElicitation[Any].model_construct(data=Outcome("could_not_check", "x")), "could_not_check"),
        (None, "could_not_check"),
        (AcceptedElicitation[Any].model_construct(data={"confirm": True}), "could_not_check"),
    ],
)
def test_every_answer_becomes_one_outcome(answer: object, kind: str) -> None:
    assert outcome_of(answer).kind == kind


@pytest.mark.parametrize("kind", ["confirmed", "not_needed", "to_ask"])
def test_outcomes_that_go_ahead(kind: Any) -> None:
    consent(Outcome(kind), not_done="Sync 's' was not started")


def test_an_unknown_outcome_fails_closed() -> None:
    with pytest.raises(ToolError, match="Nothing was changed"):
        consent(Outcome("cannot_ask"), not_done="Sync 's' was not started")  # type: ignore[arg-type]  # a kind that no longer exists


@pytest.mark.parametrize(
    ("outcome", "says"),
    [
        (Outcome("declined"), "the user did not confirm"),
        (Outcome("could_not_check", "Could not read sync 's': Polytomic failed (5xx)"), "could not check it"),
        (Outcome("invalid"), "looked invalid"),
    ],
)
def test_outcomes_that_refuse_say_so_and_that_nothing_changed(outcome: Outcome, says: str) -> None:
    with pytest.raises(ToolError) as refused:
        consent(outcome, not_done="Sync 's' was not started")
    text = str(refused.value)
    assert text.startswith("Sync 's' was not started: ") and says in text
    assert outcome.reason in text
    assert outcome.kind == "declined" or "Nothing was changed" in text


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (fail("Target object 'Contactz' does not exist"), "invalid"),
        (fail("not found", api_error=NotFoundError("no sync", status=404)), "invalid"),
        (UnprocessableEntityError("bad mode", status=422), "invalid"),
        (fail("Could not read model 'm': Polytomic failed (5xx)", api_error=ServerError("down", status=503)), "could_not_check"),
        (ServerError("down", status=503), "could_not_check"),
        (TransportError("reset"), "could_not_check"),
        (RuntimeError("boom"), "could_not_check"),
    ],
)
def test_failures_while_asking_are_judged(error: Exception, kind: str) -> None:
    outcome = unchecked(error, action="read sync 's'")
    assert outcome.kind == kind
    assert (outcome.reason != "") == (kind == "could_not_check")


def test_unexpected_errors_name_only_their_type() -> None:
    outcome = unchecked(RuntimeError("pk_live_secret in a message"), action="read sync 's'")
    assert outcome.reason == "Could not read sync 's': unexpected RuntimeError"


MODEL = Model.model_validate({"id": "m1", "name": "Users", "connection_id": "c-src"})
NAMES = {"c-src": "Mongo", "c-dst": "Salesforce"}


def test_question_names_connections_and_caps_fields() -> None:
    request = SyncRequest.model_validate({
        "name": "s", "mode": "update", "schedule": {"frequency": "manual"},
        "target": {"connection_id": "c-dst", "object": "Contact"},
        "fields": [{"source": {"model_id": "m1", "field": f"f{i}"}, "target": f"T{i}"} for i in range(25)],
        "identity": {"source": {"model_id": "m1", "field": "email"}, "target": "Email", "function": "equality"},
    })
    text = question("Create sync 's'", request_facts(request, {"m1": MODEL}, NAMES))
    assert text.startswith("Create sync 's'? Mode 'update' changes existing records in target object 'Contact' "
                           "of connection 'Salesforce' (c-dst).")
    assert f"f{MAX_LISTED_FIELDS - 1} -> T{MAX_LISTED_FIELDS - 1} (+5 more)" in text and "f20 ->" not in text
    assert "Matched by: email -> Email (Equality)" in text and "From: model 'Users' on 'Mongo' (c-src)" in text


def test_stored_sync_question_matches_and_falls_back_to_ids() -> None:
    sync = Sync.model_validate({
        "id": "s1", "name": "s", "mode": "remove", "target": {"connection_id": "c-gone", "object": "Lead"},
        "fields": [{"source": {"model_id": "m1", "field": "email"}, "target": "Email"}, {"target": "Src", "override_value": "x"}],
        "identities": {"mappings": [{"source": {"model_id": "m1", "field": "email"}, "target": "Email", "function": "Equality"}]},
    })
    facts = sync_facts(sync, {"m1": MODEL}, NAMES)
    text = question("Run sync 's' now", facts)
    assert "target object 'Lead' of connection c-gone." in text
    assert "Fields: email -> Email, 'x' -> Src" in text and "Matched by: email -> Email (Equality)" in text
    assert question("Run sync 's' now", sync_facts(sync, {"m1": MODEL}, dict(reversed(NAMES.items())))) == text
