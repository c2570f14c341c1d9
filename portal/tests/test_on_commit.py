"""The one reading of Django's on-commit queue (portal.on_commit), pinned to the installed Django."""

import django
import pytest
from django.db import connection, transaction

from portal import on_commit


class Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self) -> None:
        ran.append(self.name)


ran: list[str] = []


@pytest.mark.django_db(transaction=True)
def test_pending_callbacks_are_found_and_forgotten_with_a_rolled_back_savepoint():
    ran.clear()
    assert list(on_commit.pending(Marker)) == [], "outside a transaction nothing is pending"
    with transaction.atomic():
        transaction.on_commit(Marker("outer"))
        transaction.on_commit(lambda: None)
        try:
            with transaction.atomic():
                transaction.on_commit(Marker("inner"))
                assert [m.name for m in on_commit.pending(Marker)] == ["inner", "outer"]
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        assert [m.name for m in on_commit.pending(Marker)] == ["outer"]
    assert ran == ["outer"]
    assert list(on_commit.pending(Marker)) == []


@pytest.mark.django_db
def test_the_queue_shape_read_is_the_installed_djangos():
    """run_on_commit is private: if an upgrade changes it, this says so before the cache goes stale."""
    assert django.VERSION[:2] == (5, 2), "re-check portal/on_commit.py against this Django's run_on_commit"
    with transaction.atomic():
        marker = Marker("shape")
        transaction.on_commit(marker, robust=True)
        (entry,) = connection.run_on_commit
        savepoints, callback, robust = entry
        assert callback is marker and robust is True and isinstance(savepoints, set)
