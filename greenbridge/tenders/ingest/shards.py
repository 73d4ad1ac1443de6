"""An ingestion run split between processes, to use the machine's other cores.

Every process reads the whole input and keeps the items whose notice key falls in its share (a stable
hash of the key). All the items of a notice go to the same process, so each notice is merged, mapped,
classified and written by one process alone, exactly as a single process would: the shares only divide
the work. Reading is a small part of an OCDS run (parsing the JSON: about 7% of it); merging, mapping,
classifying and writing, the rest, are divided.

The parent process takes share 0 and the items rejected while reading (they have no key), so that each
is reported once. The other processes are forked from it (core.processes) and send back their reports.
SQLite lets one of them write at a time (their write transactions are short, one batch each, its notices
classified before it begins, and WAL lets the others read meanwhile); PostgreSQL writes them side by side.
The run, its report and what follows it (the alerts, the market facts) stay one.

Split only where it pays, a local input of MIN_BYTES or more (a feed's URL is fetched once), and where forking
is safe (core.processes.available).
"""

import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from greenbridge.core.processes import available as processes_available

MIN_BYTES = 8_000_000  # below this, forking and reading the input twice cost more than they save
PROGRESS_EVERY = 1000  # items of other shares counted into the progress bar at a time


def input_bytes(location: str) -> int:
    """The size of a local file, or of the files under a directory."""
    path = Path(location)
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size if path.is_file() else 0


def count(connector: Any, location: str, processes: int | None) -> int:
    """How many processes ingest this input: `processes` when given, else settings.BATCH_PROCESSES for a
    local input of MIN_BYTES or more; 1 where splitting is not possible or forking not safe."""
    if not connector.shardable(location):
        return 1
    if processes is None:
        processes = settings.BATCH_PROCESSES if input_bytes(location) >= MIN_BYTES else 1
    return processes_available(processes)


def mine(items: Iterable[Any], index: int, shares: int, progress: Callable[[int], None] | None = None) -> Iterator[Any]:
    """The items of share `index` of `shares`; the others are counted into `progress` (every process
    reads them all)."""
    if shares == 1:
        yield from items
        return
    others = 0
    for item in items:
        if (zlib.crc32(item.key.encode()) % shares if item.key else 0) == index:
            yield item
        elif progress is not None:
            others += 1
            if others == PROGRESS_EVERY:
                progress(others)
                others = 0
    if progress is not None and others:
        progress(others)
