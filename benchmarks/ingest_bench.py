"""Ingestion throughput and peak memory, side by side with `ocdskit compile` on the same file.

The file: `generate.py --every-updated`: N releases of N/2 processes, each process updated once, its
update 1 to about 2,000 releases after it. GreenBridge's run is the whole ingestion (reading, merging,
mapping, classifying, history, CPV/sector rows, full-text index, and the market facts after it) into a fresh
SQLite database, as the `greenbridge ingest ocds` command does it (by default two processes share a large file:
tenders/ingest/shards.py), and again with `--processes 1`; ocdskit's is `ocdskit compile` (reading and merging only,
printing the compiled releases). They alternate, `repeat` times each, in the same run, so that a slow
spell of the machine hits all; the medians are reported. Each command runs as its own process: wall
time, CPU time (user + system of it and the processes it starts, steadier when other work shares the
cores) and peak memory: the largest process's maximum resident set size, and all its processes' together
(their proportional set sizes summed every 0.1 s: a page forked processes share counts once).

    .venv/bin/python benchmarks/ingest_bench.py [--sizes 20000 100000] [--repeat 3]
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "greenbridge" / "reference" / "data" / "ocds-schema-1.1.5" / "release-schema.json"


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], *, env: dict | None = None, stdin=None) -> dict:
    """Run `cmd`; its wall seconds, CPU seconds (of the process and the processes it started), the peak RSS in MB
    of the largest process, and the peak memory of all its processes together: their proportional set sizes
    (a page that forked processes share counts once), summed every 0.1 s."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_total = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak_total[0] = max(peak_total[0], sum(_pss_kb(p) for p in _tree(proc.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return {
        "seconds": elapsed,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "peak_total_mb": peak_total[0] / 1024,
    }


def greenbridge_run(path: Path, *, again: bool = False, processes: int | None = None) -> dict:
    """One ingestion into a fresh database (and, with `again`, the same file a second time), as the command runs
    it by default (two processes on a machine with two cores) or with `processes`."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GREENBRIDGE_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "greenbridge", "migrate", "-v0"], env=env, check=True)
        cmd = [sys.executable, "-m", "greenbridge", "ingest", "ocds", str(path), "--no-progress"]
        if processes is not None:
            cmd += ["--processes", str(processes)]
            env["GREENBRIDGE_BATCH_PROCESSES"] = str(processes)  # the market facts after it too
        first = measure(cmd, env=env)
        if again:  # every release "unchanged" (idempotency): how fast that is
            first["again_seconds"] = measure(cmd, env=env)["seconds"]
    return first


def ocdskit_run(path: Path) -> dict:
    with path.open("rb") as fh:
        return measure([str(BIN / "ocdskit"), "compile", "--schema", str(SCHEMA)], stdin=fh)


def _summary(runs: list[dict], count: int) -> dict:
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "runs": [round(r["seconds"], 2) for r in runs],
        "seconds": seconds,
        "per_second": count / seconds,
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "peak_total_mb": max(r["peak_total_mb"] for r in runs),
        **({"again_seconds": runs[0]["again_seconds"]} if "again_seconds" in runs[0] else {}),
    }


def run(workdir: Path, sizes: tuple[int, ...] = (20_000, 100_000), repeat: int = 3) -> dict:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    results: dict = {"ocdskit_version": version("ocdskit"), "ocdsmerge_version": version("ocdsmerge"), "sizes": {}}
    print(f"ocdskit {results['ocdskit_version']} (ocdsmerge {results['ocdsmerge_version']})", flush=True)
    for n in sizes:
        path = workdir / f"releases-{n}.json"
        generate(path, n, every_updated=True)
        ours, alone, theirs = [], [], []
        for i in range(repeat):
            ours.append(greenbridge_run(path, again=i == 0))
            alone.append(greenbridge_run(path, processes=1))
            theirs.append(ocdskit_run(path))
        row = {
            "file_mb": path.stat().st_size / 1e6,
            "greenbridge": _summary(ours, n),
            "one_process": _summary(alone, n),
            "ocdskit": _summary(theirs, n),
        }
        results["sizes"][n] = row
        print(f"{n} releases ({row['file_mb']:.0f} MB): {json.dumps(row)}", flush=True)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        print(json.dumps(run(Path(d), tuple(args.sizes), args.repeat)))
