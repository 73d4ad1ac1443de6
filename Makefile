# GreenBridge: the documented commands. CI runs `make test` (via .ci/run) and nothing else.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
GB := $(BIN)/greenbridge
export GREENBRIDGE_DATA_DIR ?= $(CURDIR)/var
# Root installs system packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help venv compiler system-deps pdf-deps demo serve test test-sqlite test-postgres lint format bench messages clean

help:
	@echo "make demo   set everything up and serve GreenBridge on http://127.0.0.1:8000"
	@echo "make test   install what the checks need and run them all (ruff, pytest on SQLite and PostgreSQL)"
	@echo "make bench  run the benchmarks (see docs/benchmarks.md)"

# The hot paths compiled with Cython (greenbridge/core/compiled.py) with Debian's gcc; without a C compiler
# GreenBridge runs from source. Cython is installed first, so that they compile (about 45 s on 2 cores, run as a
# script that needs nothing else: `-P`) while the rest is installed; `venv` builds them again after their source
# changed. The rest is installed by uv (Astral's installer, pip's resolution at a fraction of its time: 42 → 8 s on
# 2026-12-07), or by pip where uv cannot reach the package index (uv does not read pip's configuration). Neither
# compiles every installed module to bytecode: Python compiles those a command imports the first time it imports them.
$(VENV)/.installed: pyproject.toml | compiler
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "Cython>=3.0" "uv>=0.5"
	$(BIN)/python -P greenbridge/core/compiled.py & compiling=$$!; \
		$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]" \
		|| $(BIN)/pip install --quiet --no-compile -e ".[dev]"; installed=$$?; wait $$compiling; exit $$installed
	touch $@

venv: $(VENV)/.installed compiler
	@$(BIN)/python -c "from greenbridge.core.compiled import main; main()"

compiler:
	@command -v gcc >/dev/null || { \
		echo "Installing Debian's gcc (to compile the hot paths)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gcc >/dev/null; \
	}

# Debian packages the checks need: chromium for the browser tests, PostgreSQL for the second pass, Dovecot
# for the help desk's IMAP intake tests (each test run starts its own server on a free port).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	/sbin/ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: venv pdf-deps
	$(GB) migrate --no-input
	$(GB) demo_setup
	$(GB) runserver 127.0.0.1:8000 --insecure

# WeasyPrint (the assessments' PDF reports) draws text with Pango.
pdf-deps:
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || { echo "Installing Debian packages: libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

serve: venv
	$(GB) runserver 127.0.0.1:8000 --insecure

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The two passes run side by side, each with a worker per core: a pass alone leaves the cores idle a third of its time
# (browser pages, mail and database servers starting, the commands tested in processes of their own). Each pass's
# output is printed whole once it ends (--output-sync).
test: venv system-deps lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# One pytest worker per core (pytest-xdist): each has its own test database. A worker that runs out of
# tests takes the other's last ones ("worksteal"): the browser tests, long and last, no longer keep one
# worker busy while the other waits (the SQLite pass 679 → 590 s on 2 cores, 2026-12-06).
PYTEST_WORKERS = -n auto --dist worksteal
test-sqlite: venv
	GREENBRIDGE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -q $(PYTEST_WORKERS)

# The PostgreSQL pass runs the tests that use the database (about 1,080 of 1,760): the others cannot reach it
# and ran on the SQLite pass (tests/conftest.py, --database-tests-only).
test-postgres: venv system-deps
	GREENBRIDGE_DATA_DIR=$$(mktemp -d) scripts/with-postgres.sh $(BIN)/pytest -q $(PYTEST_WORKERS) --database-tests-only

bench: venv
	$(BIN)/python benchmarks/run.py

# After changing interface strings: update the catalogues, translate, then compile (needs gettext).
messages: venv
	cd greenbridge && ../$(GB) makemessages -l ro -l uk -l fr --ignore "tests/*" --no-location --no-obsolete
	cd greenbridge && ../$(GB) compilemessages -l ro -l uk -l fr

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info
