"""The hot paths compiled with Cython, loaded only while they are what their source says.

A few pure-Python modules do most of the work of an alert run, an ingestion or a schedule: the matcher's
loop, the phrase tries, the CPV lexicon, the OCDS merge, the green classification, the annealing. Cython
compiles each of them as it is (no type annotations of its own: `annotation_typing` is off, so Python's
annotations mean what they mean to Python): matching takes about 15% less time, the annealing makes about 45%
more moves a second, ingestion about 4% less CPU (docs/benchmarks.md). The source stays the one
truth: each compiled module is stored beside its source as `<name>.<digest of the source><ABI suffix>`
("matcher.3f0c….cpython-311-x86_64-linux-gnu.so"), and the import finder installed by `install` (from
`greenbridge/__init__.py`) loads it only when the source's digest is the same. A module edited since the
last build is simply imported from its source: nothing stale is ever run, and nothing needs the compiled
modules. `GREENBRIDGE_PURE_PYTHON=1` turns them off.

`make venv` builds them (`main`; it needs Cython, a dev dependency, and a C compiler: without either, it says so
and GreenBridge runs from source).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

MODULES = (
    # Matching (an alert run): the loop, what it reads of a notice, CPV relations and reasons, label terms.
    "greenbridge.matching.matcher",
    "greenbridge.matching.facts",
    "greenbridge.matching.scoring",
    "greenbridge.matching.labels",
    # Words: tries of phrases and words, the CPV lexicon (translations learned), folding.
    "greenbridge.reference.phrases",
    "greenbridge.reference.lexicon",
    "greenbridge.reference.text",
    # Ingestion: merging releases, mapping them to notices, the green classification.
    "greenbridge.tenders.ingest.merge",
    "greenbridge.tenders.ingest.ocds",
    "greenbridge.reference.green",
    # Scheduling: the annealing's Kempe moves.
    "greenbridge.events.scheduling.anneal",
)

# No debugging information, and gcc's -O2 over the -O3 of Python's own flags: the eleven modules compile in 47 s
# instead of 79 (87 s of CPU instead of 139, on 2 cores, 2026-12-07), and the annealing's moves a second were the same
# within the machine's noise (four runs of each, alternating: 186 and 201 thousand against 178 and 223 on two events).
COMPILE_ARGS = ["-g0", "-O2"]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # ".cpython-311-x86_64-linux-gnu.so": this Python's ABI


def source_of(module: str) -> Path:
    return PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py")


def compiled_path(module: str) -> Path:
    """Where the build stores this module compiled from its current source."""
    path = source_of(module)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return path.with_name(f"{path.stem}.{digest}{SUFFIX}")


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled form of the listed modules, when it was built from their current source."""

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname not in MODULES:
            return None
        try:
            compiled = compiled_path(fullname)
        except OSError:
            return None
        if not compiled.exists():
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(compiled))
        return importlib.util.spec_from_file_location(fullname, compiled, loader=loader)


_FINDER = _Finder()


def install() -> None:
    """Put the finder first on the import path (once), unless GREENBRIDGE_PURE_PYTHON is set."""
    if os.environ.get("GREENBRIDGE_PURE_PYTHON") or _FINDER in sys.meta_path:
        return
    sys.meta_path.insert(0, _FINDER)


def is_compiled(module: object) -> bool:
    """Whether an imported module runs compiled."""
    return str(getattr(module, "__file__", "")).endswith(SUFFIX)


def status() -> dict[str, bool]:
    """Module -> whether its compiled form is up to date with its source."""
    return {module: compiled_path(module).exists() for module in MODULES}


def build(jobs: int = 2) -> tuple[list[str], dict[str, str]]:
    """Compile every listed module whose compiled form is missing or stale, and remove stale ones; returns
    the modules built and those Cython could not compile (module -> why: they run from source). Raises
    ImportError without Cython, and whatever the C compiler raises."""
    import shutil
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    from setuptools import Distribution, Extension

    wanted = {module: compiled_path(module) for module in MODULES}
    for path in wanted.values():
        for old in path.parent.glob(f"{path.name.split('.')[0]}.*{SUFFIX}"):
            if old != path:
                old.unlink()
    todo = [module for module, path in wanted.items() if not path.exists()]
    if not todo:
        return [], {}
    with tempfile.TemporaryDirectory() as tmp:
        # Cython writes its C next to a copy of the source, so the tree only ever gets the finished modules.
        copies = {module: Path(tmp, "src", *module.split(".")).with_suffix(".py") for module in todo}
        for module, copy in copies.items():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_of(module), copy)
        with ProcessPoolExecutor(jobs) as pool:
            outcomes = dict(zip(todo, pool.map(_cythonize, todo, map(str, copies.values())), strict=True))
        failed = {module: why for module, why in outcomes.items() if why}
        built = [module for module in todo if module not in failed]
        extensions = [
            Extension(module, [str(copies[module].with_suffix(".c"))], extra_compile_args=COMPILE_ARGS)
            for module in built
        ]
        distribution = Distribution({"ext_modules": extensions})
        command = distribution.get_command_obj("build_ext")
        command.build_lib = str(Path(tmp, "lib"))
        command.build_temp = str(Path(tmp, "temp"))
        command.parallel = jobs
        distribution.run_command("build_ext")
        for module in built:
            shutil.copyfile(Path(tmp, "lib", *module.split(".")).with_suffix(SUFFIX), wanted[module])
    return built, failed


def _cythonize(module: str, path: str) -> str:
    """Cython's C for one module, next to its source; "" when done, else why not."""
    from Cython.Build import cythonize
    from Cython.Compiler.Errors import CompileError
    from setuptools import Extension

    directives = {"language_level": 3, "annotation_typing": False}
    try:
        cythonize([Extension(module, [path])], compiler_directives=directives, quiet=True, force=True)
    except CompileError as error:
        return str(error)
    return ""


def main() -> None:
    """What `make venv` runs: build what is missing or stale, and say what was built or why not."""
    try:
        built, failed = build(os.cpu_count() or 1)
    except Exception as error:  # no Cython, no compiler: GreenBridge runs from source
        print(f"The hot paths were not compiled ({type(error).__name__}: {error}); GreenBridge runs from source.")
        return
    for module, why in failed.items():
        print(f"{module} was not compiled ({why}): it runs from source.")
    if built:
        print(f"Compiled with Cython: {', '.join(built)}.")


if __name__ == "__main__":
    # `python -P greenbridge/core/compiled.py` builds without importing greenbridge (nor Django, Celery…): make venv
    # runs it while pip installs the rest. (-P: not this folder first on the path, where http.py would hide the
    # standard library's.)
    main()
