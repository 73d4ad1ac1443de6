"""A web process's start-up heap is frozen out of the cycle collector's walks (core.heap, greenbridge/wsgi.py)."""

import gc

from greenbridge.core import heap


def test_freeze_moves_the_heap_out_of_the_collectors_walks():
    gc.unfreeze()
    try:
        tracked = len(gc.get_objects())
        heap.freeze()
        assert gc.get_freeze_count() > tracked // 2
        assert len(gc.get_objects()) < tracked // 10  # a full collection now walks only what came after
    finally:
        gc.unfreeze()
