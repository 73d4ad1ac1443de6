"""Ingestion of TED's notices from before eForms (R2.0.9): the 73 real notices, and generated monthly packages.

    .venv/bin/python benchmarks/ted_r209_bench.py                  # 73 real notices, then 1,000 and 5,000
    .venv/bin/python benchmarks/ted_r209_bench.py --sizes 2000 --json

A generated package is what TED publishes for a month: a .tar.gz of daily .tar.gz packages (250 notices a
day here), its notices copies of the 73 real ones in turn, each with a new notice number (DOC_ID, its OJ S
reference, and for a corrigendum the number of the notice it corrects), so that every copy is a new notice.
Each ingestion runs in its own process, in a fresh SQLite data directory, on one core: the time is the
ingestion run's own (reading, parsing, mapping, classifying, writing notices, history, CPV/sector rows and
the search index), without the start of the process; the peak memory is the process's. The same package
is then ingested again (everything "unchanged").
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TED = ROOT / "data" / "ted_r209"
PER_DAY = 250


def _renumbered(data: bytes, n: int) -> bytes:
    """A copy of a real notice as notice number n of 2019 (references: numbers from 500,000 up)."""
    number = f"{n:06d}-2019"
    data = re.sub(rb'DOC_ID="[^"]*"', f'DOC_ID="{number}"'.encode(), data, count=1)
    references = iter(range(2))

    def ojs(m: re.Match) -> bytes:
        own = next(references, 1) == 0
        serial = n if own else 500_000 + n
        return f"<{m.group(1).decode()}>2019/S 001-{serial:06d}</{m.group(1).decode()}>".encode()

    return re.sub(rb"<(NO_DOC_OJS|NOTICE_NUMBER_OJ)>[^<]*</(?:NO_DOC_OJS|NOTICE_NUMBER_OJ)>", ojs, data)


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def generate(path: Path, count: int) -> None:
    """A monthly package of `count` notices in daily packages of PER_DAY."""
    sources = [p.read_bytes() for p in sorted(TED.glob("*.xml"))]
    with tarfile.open(path, "w:gz") as monthly:
        for day, start in enumerate(range(0, count, PER_DAY), 1):
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w:gz") as daily:
                for n in range(start + 1, min(start + PER_DAY, count) + 1):
                    _add(daily, f"201901{day:02}/{n:06d}_2019.xml", _renumbered(sources[n % len(sources)], n))
            _add(monthly, f"201901{day:02}_{day:03}.tar.gz", buffer.getvalue())


def _child(location: str) -> None:
    """In the measured process: one ingestion run, its own time printed as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
    django.setup()
    from greenbridge.tenders.services import notices_ingest

    start, cpu = time.perf_counter(), time.process_time()
    run = notices_ingest(connector="eforms", location=location)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "read": run.read,
                "created": run.created,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
            }
        )
    )


def _measure(location: Path, env: dict) -> dict:
    load = os.getloadavg()[0]
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(location)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(proc.stderr.read().decode()[-2000:])
    result = json.loads(out)
    load = (load + os.getloadavg()[0]) / 2  # the machine's 1-minute load, before and after
    return {
        **result,
        "per_second": result["read"] / result["seconds"],
        "per_cpu_second": result["read"] / result["cpu_seconds"],
        "peak_mb": usage.ru_maxrss / 1024,
        "load": load,
    }


def ingest(location: Path) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GREENBRIDGE_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "greenbridge", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        first = _measure(location, env)
        again = _measure(location, env)
    return {"first": first, "again": again}


def run(sizes: tuple[int, ...]) -> dict:
    results = {"real": ingest(TED), "packages": {}}
    with tempfile.TemporaryDirectory() as work:
        for n in sizes:
            path = Path(work) / f"TED_monthly_{n}.tar.gz"
            generate(path, n)
            results["packages"][n] = {"file_mb": path.stat().st_size / 1e6, **ingest(path)}
    return results


def report(r: dict) -> str:
    real = r["real"]
    lines = [
        f"The 73 real notices (`data/ted_r209/`, 2.3 MB): {real['first']['seconds']:.2f} s "
        f"({real['first']['cpu_seconds']:.2f} s of CPU, peak {real['first']['peak_mb']:.0f} MB), again "
        f"{real['again']['seconds']:.2f} s (all unchanged); load {real['first']['load']:.1f}.",
        "",
        "| notices | monthly package | ingestion | CPU | notices/s | per CPU second | peak memory "
        "| same package again | load (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, p in sorted(r["packages"].items(), key=lambda kv: int(kv[0])):
        f, a = p["first"], p["again"]
        lines.append(
            f"| {int(n):,} | {p['file_mb']:.1f} MB | {f['seconds']:.1f} s | {f['cpu_seconds']:.1f} s "
            f"| {f['per_second']:,.0f} | {f['per_cpu_second']:,.0f} | {f['peak_mb']:.0f} MB | {a['seconds']:.1f} s "
            f"| {f['load']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 5_000])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    results = run(tuple(args.sizes))
    print(json.dumps(results) if args.json else report(results))


if __name__ == "__main__":
    main()
