"""An ingestion run split between processes, to use the machine's other cores.

Every process reads the whole input and keeps the items whose notice key falls in its share (a stable
hash of the key). All the items of a notice go to the same process, so each notice is merged, mapped,
classified and written by one process alone, exactly as a single process would: the shares only divide
the work. Reading is a small part of an OCDS run (parsing the JSON: about 7% of it); merging, mapping,
classifying and writing, the rest, are divided.

The parent process takes share 0 and the items rejected while reading (they have no key), so that each
is reported once. The other processes are forked from it once its database connections are closed; each
opens its own, and sends back its report when it is done. SQLite lets one of them write at a time (their
write transactions are short, one batch each, and WAL lets the others read meanwhile); PostgreSQL writes
them side by side. The run, its report and what follows it (the alerts, the market facts) stay one.

Split only where it pays and is safe: a local input of MIN_BYTES or more (a feed's URL is fetched once),
on a machine that can fork, outside a transaction (the other processes would not see what it holds) and
not on an in-memory database.
"""

import logging
import multiprocessing
import zlib
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

MIN_BYTES = 8_000_000  # below this, forking and reading the input twice cost more than they save
PROGRESS_EVERY = 1000  # items of other shares counted into the progress bar at a time


def input_bytes(location: str) -> int:
    """The size of a local file, or of the files under a directory."""
    path = Path(location)
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size if path.is_file() else 0


def count(connector: Any, location: str, processes: int | None) -> int:
    """How many processes ingest this input: `processes` when given, else settings.INGEST_PROCESSES for a
    local input of MIN_BYTES or more; 1 where splitting is not possible or not safe."""
    if not connector.shardable(location):
        return 1
    if processes is None:
        processes = settings.INGEST_PROCESSES if input_bytes(location) >= MIN_BYTES else 1
    if processes <= 1:
        return 1
    connection = connections[DEFAULT_DB_ALIAS]
    if (
        "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon  # a daemon process may not start others
        or connection.in_atomic_block  # the other processes would not see what the transaction holds
        or (connection.vendor == "sqlite" and connection.is_in_memory_db())
    ):
        return 1
    return processes


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


def start(shares: int, work: Callable[[int], Any]) -> list[tuple[multiprocessing.Process, Connection]]:
    """Fork a process for each share but the first, each running `work(share)`."""
    if shares <= 1:
        return []
    connections.close_all()  # a database connection must not be shared across a fork: each opens its own
    context = multiprocessing.get_context("fork")
    workers = []
    for index in range(1, shares):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(send, work, index), name=f"ingest-{index}", daemon=True)
        process.start()
        send.close()
        workers.append((process, receive))
    return workers


def _work(send: Connection, work: Callable[[int], Any], index: int) -> None:
    try:
        outcome = work(index)
    except BaseException as exc:  # reported to the parent, which ends the run as failed
        log.exception("ingestion process %s failed", index)
        outcome = f"one of the run's processes failed: {exc!r}"
    finally:
        connections.close_all()
    send.send(outcome)
    send.close()


def wait(workers: list[tuple[multiprocessing.Process, Connection]]) -> Iterator[Any]:
    """Each worker's outcome (what its `work` returned), once it is done; an error text for one that died."""
    for process, receive in workers:
        try:
            outcome = receive.recv()
        except EOFError:
            process.join()
            outcome = f"one of the run's processes ended unexpectedly (exit code {process.exitcode})"
        receive.close()
        process.join()
        yield outcome
