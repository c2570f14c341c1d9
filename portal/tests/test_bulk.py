"""Bulk work pauses most garbage collections and leaves the collector as it found it."""

import gc
import weakref

from portal.bulk import BULK_THRESHOLD, fewer_collections


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_collections_are_rarer_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == BULK_THRESHOLD
        assert gc.get_freeze_count() > 0, "what was alive at the start is out of the collector's sight"
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_during_bulk_work_is_still_freed_afterwards():
    with fewer_collections():
        node = Node()
        alive = weakref.ref(node)
        del node
    gc.collect()
    assert alive() is None


def test_the_collector_is_restored_when_the_work_fails():
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise RuntimeError("the import failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_overlapping_bulk_work_in_threads_leaves_the_collector_as_it_found_it():
    """The first to enter pauses the collector and the last to leave restores it, whatever the order they leave in."""
    import threading

    before = gc.get_threshold()
    first_inside, second_inside, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, tuple] = {}

    def first() -> None:
        with fewer_collections():
            first_inside.set()
            first_may_leave.wait(5)
        seen["after first left"] = gc.get_threshold()
        second_inside.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(5)
    with fewer_collections():
        first_may_leave.set()
        second_inside.wait(5)
        # The other thread has left; this one is still at work, with the collector still paused.
        assert seen["after first left"][0] == BULK_THRESHOLD
        assert gc.get_threshold()[0] == BULK_THRESHOLD
    thread.join(5)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
