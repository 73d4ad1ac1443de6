"""A long-running process's start-up heap, out of the cycle collector's way."""

import gc


def freeze() -> None:
    """What a web process builds to start (modules, URL patterns, the CPV lexicon: about 350,000 objects) lives as
    long as the process. Python's full collections walk every tracked object each time: about 100 ms for the app
    alone and 200 ms with the lexicon, added to whichever request triggers one. Frozen (gc.freeze), they are left
    out and a full collection walks only what requests made. Called once the start is built, and again after a
    later build (the lexicon, in its thread) adds to it; a frozen object that becomes garbage is still freed by its
    reference count, only cycles among frozen objects stay."""
    gc.collect()
    gc.freeze()
