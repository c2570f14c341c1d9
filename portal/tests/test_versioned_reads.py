"""Reads kept under a namespace's version: served until the namespace changes, never across a change."""

import pytest
from django.db import transaction

from portal.cache import bump_namespace, versioned_read, versioned_reads

pytestmark = pytest.mark.django_db(transaction=True)

NAMESPACE = "test-versioned-reads"


@pytest.fixture(autouse=True)
def fresh_namespace():
    bump_namespace(NAMESPACE)
    yield
    bump_namespace(NAMESPACE)


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_read_is_kept_until_its_namespace_changes():
    compute, calls = counting(7)
    assert versioned_read(NAMESPACE, ("a",), compute, 60) == 7
    assert versioned_read(NAMESPACE, ("a",), compute, 60) == 7
    assert len(calls) == 1

    bump_namespace(NAMESPACE)
    assert versioned_read(NAMESPACE, ("a",), compute, 60) == 7
    assert len(calls) == 2
    assert versioned_read(NAMESPACE, ("b",), compute, 60) == 7
    assert len(calls) == 3, "another key is another read"


def test_a_value_computed_while_the_namespace_changed_is_not_served_afterwards():
    """A reader that read the old rows and stored its answer after a writer's change must not be believed."""

    def computed_across_a_change():
        bump_namespace(NAMESPACE)  # a writer commits while this reader computes
        return "before the change"

    assert versioned_read(NAMESPACE, ("a",), computed_across_a_change, 60) == "before the change"
    assert versioned_read(NAMESPACE, ("a",), lambda: "after the change", 60) == "after the change"
    assert versioned_read(NAMESPACE, ("a",), lambda: "not asked again", 60) == "after the change"


def test_a_transaction_that_changed_the_namespace_neither_reads_nor_fills_it():
    versioned_read(NAMESPACE, ("a",), lambda: "committed", 60)
    with transaction.atomic():
        bump_namespace(NAMESPACE)
        assert versioned_read(NAMESPACE, ("a",), lambda: "its own rows", 60) == "its own rows"
        transaction.set_rollback(True)
    assert versioned_read(NAMESPACE, ("a",), lambda: "not asked", 60) == "committed"


def test_several_reads_of_a_namespace_come_in_one_round_trip_and_each_is_computed_only_when_missing(monkeypatch):
    from django.core.cache import cache

    first, first_calls = counting(1)
    second, second_calls = counting(2)
    assert versioned_reads(NAMESPACE, {("a",): first}, 60) == {("a",): 1}
    trips = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: trips.append(keys) or real_get_many(keys))
    assert versioned_reads(NAMESPACE, {("a",): first, ("b",): second}, 60) == {("a",): 1, ("b",): 2}
    assert versioned_reads(NAMESPACE, {("a",): first, ("b",): second}, 60) == {("a",): 1, ("b",): 2}
    assert (len(first_calls), len(second_calls)) == (1, 1), "each computed once, the second only when first asked"
    assert len(trips) == 2, "one round trip per call, for the version and every value"

    bump_namespace(NAMESPACE)
    assert versioned_reads(NAMESPACE, {("a",): first, ("b",): second}, 60) == {("a",): 1, ("b",): 2}
    assert (len(first_calls), len(second_calls)) == (2, 2)
