"""search: the right operation in the top 3 for everyday words, exact names first, deterministic."""

from __future__ import annotations

import pytest

from polytomic_mcp.catalog import find, load, search

QUERIES = [
    ("list webhooks", {"GET /api/webhooks"}),
    ("create webhook", {"POST /api/webhooks"}),
    ("error handling bulk sync", {"GET /api/bulk/syncs/{id}/error-handling", "PUT /api/bulk/syncs/{id}/error-handling"}),
    ("global error notifications", {"GET /api/notifications/global-error-subscribers", "PUT /api/notifications/global-error-subscribers"}),
    ("console log bulk sync execution", {"GET /api/bulk/syncs/{sync_id}/executions/{execution_id}/consolelog"}),
    ("users of the organization", {"GET /api/organization/users", "GET /api/organizations/{org_id}/users"}),
    ("list users", {"GET /api/organization/users", "GET /api/organizations/{org_id}/users"}),
    ("api keys", {"POST /api/organizations/{org_id}/users/{id}/keys"}),
    ("query runner", {"POST /api/connections/{connection_id}/query", "GET /api/queries/{id}"}),
    ("temporary credentials", {"POST /api/temporary-credentials"}),
    ("harbor activity", {"GET /api/organization/harbor-activity"}),
    ("remove a member", {"DELETE /api/organization/users/{id}", "DELETE /api/organizations/{org_id}/users/{id}"}),
    ("who am i", {"GET /api/me"}),
    ("schedules of a bulk sync", {"GET /api/bulk/syncs/{sync_id}/schedules"}),
    ("webhook deliveries", {"GET /api/webhooks/{id}/deliveries"}),
    ("cancel bulk sync execution", {"POST /api/bulk/syncs/{id}/executions/{exec_id}/cancel"}),
    ("record logging", {"GET /api/organization/record-logging", "PUT /api/organization/record-logging"}),
    ("list roles", {"GET /api/permissions/roles"}),
    ("primary keys", {"PUT /api/connections/{connection_id}/schemas/{schema_id}/primary_keys"}),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[query for query, _ in QUERIES])
def test_everyday_words_find_the_operation_in_the_top_three(query: str, expected: set[str]) -> None:
    top = [op.key for op in search(query, limit=3)]
    assert expected & set(top), f"{query!r} -> {top}"


def test_every_method_and_path_is_the_first_hit_for_itself() -> None:
    for op in load():
        assert search(f"{op.method}   {op.path}")[0] is op, op.key
        assert search(op.id)[0] is op, op.id


def test_a_bare_path_lists_its_methods_first_reads_first() -> None:
    assert [op.method for op in search("/api/webhooks/{id}", limit=3)] == ["GET", "PUT", "DELETE"]


def test_a_concrete_method_and_path_still_ranks_by_its_words() -> None:
    assert search("GET /api/bulk/syncs/{sync_id}/schedules/{schedule_id}", limit=1)[0].id == "bulk_sync.schedules.get"
    assert find("GET /api/bulk/syncs/{sync_id}/schedules/{schedule_id}") in search("bulk sync schedule get", limit=3)


def test_ranking_is_deterministic_and_respects_the_limit() -> None:
    first = [op.id for op in search("sync", limit=10)]
    assert first == [op.id for op in search("sync", limit=10)]
    assert len(first) == 10
    assert len(search("sync", limit=0)) == 1, "a limit below 1 still answers one"


def test_plural_and_singular_find_the_same_operations() -> None:
    assert [op.id for op in search("webhooks", limit=5)] == [op.id for op in search("webhook", limit=5)]
    assert [op.id for op in search("policies", limit=5)] == [op.id for op in search("policy", limit=5)]


def test_words_that_match_nothing_find_nothing() -> None:
    assert search("zebra xylophone") == []
    assert search("the of a") == []
