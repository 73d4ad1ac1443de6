"""The cycle collector kept out of the way: a long-running process's start-up heap, and batch runs that make
millions of short-lived objects."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze() -> None:
    """What a web process builds to start (modules, URL patterns, the CPV lexicon: about 350,000 objects) lives as
    long as the process. Python's full collections walk every tracked object each time: about 100 ms for the app
    alone and 200 ms with the lexicon, added to whichever request triggers one. Frozen (gc.freeze), they are left
    out and a full collection walks only what requests made. Called once the start is built, and again after a
    later build (the lexicon, in its thread) adds to it; a frozen object that becomes garbage is still freed by its
    reference count, only cycles among frozen objects stay."""
    gc.collect()
    gc.freeze()


@contextmanager
def rare_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs after every 700 new objects by default, and now and then walks every
    object alive: a batch run (an ingestion, an alert run) creates millions of short-lived dicts, tuples and
    matches and keeps a large working set, so with the default thresholds a fifth of an ingestion's time and a
    twelfth of an alert run's went to collections that found nothing (their data has no reference cycles:
    reference counting frees it). During the run it collects after 100,000 new objects instead; the thresholds
    are restored after."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
