"""The question before changing a sync says what changes, so the person sees the one remapped field among twenty."""

from __future__ import annotations

from polytomic_mcp.tools.syncs.question import SyncFacts, differences, question

BEFORE = SyncFacts(mode="updateOrCreate", target_object="Contact", destination="'Salesforce' (c1)",
                   fields=["email -> Email", "account_ref -> AccountId", "title -> Title"],
                   identities=["email -> Email (Equality)"], sources=["model 'Customers' on 'Product DB' (c2)"])


def test_a_remapped_field_is_named_as_added_and_dropped() -> None:
    after = SyncFacts(**{**BEFORE.__dict__, "fields": ["email -> Email", "sfdc_account_id -> AccountId", "title -> Title"]})
    assert differences(BEFORE, after) == ["+ field sfdc_account_id -> AccountId", "- field account_ref -> AccountId"]
    text = question("Change sync 'Customers'", after, BEFORE)
    assert "Changes: + field sfdc_account_id -> AccountId; - field account_ref -> AccountId\n" in text


def test_mode_identity_and_target_changes_are_named_and_no_change_says_so() -> None:
    after = SyncFacts(**{**BEFORE.__dict__, "mode": "update", "target_object": "Lead", "identities": ["email -> Email (Equality)", "phone -> Phone (Equality)"]})
    assert differences(BEFORE, after) == ["mode updateOrCreate -> update", "target object Contact -> Lead", "+ identity phone -> Phone (Equality)"]
    assert "Changes: none to fields, identity or mode" in question("Change sync 'Customers'", BEFORE, BEFORE)


def test_a_new_sync_has_no_changes_line() -> None:
    assert "Changes:" not in question("Create sync 'Customers'", BEFORE)
