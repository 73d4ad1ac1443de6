"""The hot paths compiled with Cython (core/compiled.py): loaded only while built from their current source, and
the same results as the source."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from greenbridge.core import compiled

ROOT = Path(__file__).resolve().parents[2]
PURE = bool(os.environ.get("GREENBRIDGE_PURE_PYTHON"))


@pytest.mark.skipif(PURE, reason="GREENBRIDGE_PURE_PYTHON is set: everything runs from source")
def test_make_venv_compiles_every_hot_path():
    """`make venv` builds them (with the gcc its `compiler` target installs when missing); each imported module is
    the compiled one."""
    import importlib

    assert compiled.status() == dict.fromkeys(compiled.MODULES, True)
    for name in compiled.MODULES:
        assert compiled.is_compiled(importlib.import_module(name)), name


def test_a_module_edited_since_the_build_runs_from_source(tmp_path, monkeypatch):
    """The compiled form is found by the digest of the source: an edited source has none, and imports as usual."""
    finder = compiled._Finder()
    name = "greenbridge.matching.scoring"
    source = compiled.source_of(name).read_bytes()
    built = compiled.compiled_path(name)
    assert built.name.startswith("scoring.")
    assert built.name.endswith(compiled.SUFFIX)
    if built.exists():
        assert finder.find_spec(name).origin == str(built)

    edited = tmp_path / "scoring.py"
    edited.write_bytes(source + b"\n# edited\n")
    monkeypatch.setattr(compiled, "source_of", lambda module: edited)
    assert not compiled.compiled_path(name).exists()
    assert finder.find_spec(name) is None
    assert finder.find_spec("greenbridge.matching.views") is None  # not a hot path: never looked for


# Matches generated notices against generated watches and prints whether the matcher ran compiled, and a digest
# of every match (notice, watch, score, reasons).
MATCH_ALL = """
import hashlib, json, os, pickle, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "greenbridge.settings"
import django
django.setup()
from greenbridge.core.compiled import is_compiled
from greenbridge.matching import matcher
from greenbridge.matching.engine import Matcher, NoticeFacts
from greenbridge.reference.lexicon import Lexicon
labels, rows, specs, now = pickle.load(open(sys.argv[1], "rb"))
engine = Matcher(specs, now=now, lexicon=Lexicon(labels))
digest, count = hashlib.sha256(), 0
for row in rows:
    for r in engine.match(NoticeFacts.from_row(row)):
        count += 1
        digest.update(json.dumps([row["id"], r.watch, r.score, r.explanation], sort_keys=True).encode())
print(is_compiled(matcher), count, digest.hexdigest())
"""


@pytest.mark.own_database
@pytest.mark.django_db
@pytest.mark.skipif(PURE, reason="GREENBRIDGE_PURE_PYTHON is set: nothing compiled to compare")
def test_compiled_matcher_matches_exactly_as_the_source(tmp_path):
    """1,000 notices against 600 watches (the benchmark's generator, real CPV vocabulary in eight languages):
    every match, score and reason the same, compiled and from source."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import match_bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from greenbridge.reference.lexicon import cpv_label_table

    rows, specs = match_bench.generate(1000, 600)
    data = tmp_path / "data.pickle"
    data.write_bytes(pickle.dumps((cpv_label_table(), rows, specs, match_bench.JUDGED_ON)))

    def run(**env: str) -> list[str]:
        environment = {k: v for k, v in os.environ.items() if k != "GREENBRIDGE_PURE_PYTHON"} | env
        out = subprocess.run(
            [sys.executable, "-c", MATCH_ALL, str(data)], env=environment, capture_output=True, text=True, check=True
        )
        return out.stdout.split()

    compiled_run, source_run = run(), run(GREENBRIDGE_PURE_PYTHON="1")
    assert compiled_run[0] == "True"
    assert source_run[0] == "False"
    assert int(compiled_run[1]) > 5_000  # a heavy load, as the benchmark's
    assert compiled_run[1:] == source_run[1:]
