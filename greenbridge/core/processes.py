"""Work shared with forked processes, to use the machine's other cores in a batch run (an ingestion of a large
file, the market facts of many notices).

The parent closes its database connections and forks; each process opens its own, runs its share of the work and
sends back what it returns (an error text when it failed or died). What the parent holds in memory (modules,
reference data) is shared with the forked processes until either changes it.

Forking is possible and safe only on a machine that can fork, from a process that may have children (not a
daemon: a Celery worker's process) and runs one thread (a forked process keeps only the thread that forked, and a
lock another thread held stays locked in it for ever: a web server's process, or a Celery task run in a request,
does its batch work in one process), outside a transaction (the other processes would not see what it holds) and
not on an in-memory database (it cannot be shared): `available` gives 1 otherwise.
"""

import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

Workers = list[tuple[multiprocessing.Process, Connection]]


def available(processes: int) -> int:
    """`processes`, or 1 where forking is not possible or not safe here."""
    if processes <= 1:
        return 1
    connection = connections[DEFAULT_DB_ALIAS]
    if (
        "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon  # a daemon process may not start others
        or threading.active_count() > 1
        or connection.in_atomic_block  # the other processes would not see what the transaction holds
        or (connection.vendor == "sqlite" and connection.is_in_memory_db())
    ):
        return 1
    return processes


def start(shares: int, work: Callable[[int], Any]) -> Workers:
    """Fork a process for each share but the first (the caller's own), each running `work(share)`."""
    if shares <= 1:
        return []
    connections.close_all()  # a database connection must not be shared across a fork: each opens its own
    context = multiprocessing.get_context("fork")
    workers = []
    for index in range(1, shares):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(send, work, index), name=f"share-{index}", daemon=True)
        process.start()
        send.close()
        workers.append((process, receive))
    return workers


def _work(send: Connection, work: Callable[[int], Any], index: int) -> None:
    try:
        outcome = work(index)
    except BaseException as exc:  # sent to the parent, which says so
        log.exception("process %s of the run failed", index)
        outcome = f"one of the run's processes failed: {exc!r}"
    finally:
        connections.close_all()
    send.send(outcome)
    send.close()


def wait(workers: Workers) -> Iterator[Any]:
    """Each process's outcome (what its `work` returned) once it is done; an error text for one that died."""
    for process, receive in workers:
        try:
            outcome = receive.recv()
        except EOFError:
            process.join()
            outcome = f"one of the run's processes ended unexpectedly (exit code {process.exitcode})"
        receive.close()
        process.join()
        yield outcome
