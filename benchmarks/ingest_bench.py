"""Ingestion throughput and peak memory, against `ocdskit compile` on the same file in the same run.

Each measured command runs as its own process in a fresh data directory (SQLite), on one core
(ingestion is single-threaded); peak memory is the process's maximum resident set size.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "greenbridge" / "reference" / "data" / "ocds-schema-1.1.5" / "release-schema.json"


def measure(cmd: list[str], *, env: dict | None = None, stdin=None, stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def ingest(path: Path, count: int) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GREENBRIDGE_DATA_DIR": data_dir}
        subprocess.run([BIN / "greenbridge", "migrate", "-v0"], env=env, check=True)
        seconds, rss = measure([str(BIN / "greenbridge"), "ingest", "ocds", str(path), "--no-progress"], env=env)
        # A second run of the same file: everything is "unchanged" (idempotency), and how fast that is.
        again, _ = measure([str(BIN / "greenbridge"), "ingest", "ocds", str(path), "--no-progress"], env=env)
    return {"count": count, "seconds": seconds, "per_second": count / seconds, "peak_mb": rss, "rerun_seconds": again}


def ocdskit(path: Path, count: int) -> dict:
    with path.open("rb") as fh:
        seconds, rss = measure([str(BIN / "ocdskit"), "compile", "--schema", str(SCHEMA)], stdin=fh)
    return {"count": count, "seconds": seconds, "per_second": count / seconds, "peak_mb": rss}


def run(workdir: Path, sizes: tuple[int, ...] = (20_000, 100_000)) -> dict:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    results = {}
    for n in sizes:
        path = workdir / f"releases-{n}.json"
        generate(path, n)
        size_mb = path.stat().st_size / 1e6
        results[n] = {"file_mb": size_mb, "greenbridge": ingest(path, n), "ocdskit": ocdskit(path, n)}
        print(
            f"{n} releases ({size_mb:.0f} MB): greenbridge {results[n]['greenbridge']}, "
            f"ocdskit compile {results[n]['ocdskit']}",
            flush=True,
        )
    return results


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        run(Path(d))
