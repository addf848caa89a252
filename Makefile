# One entry point per chore.  `make demo` and `make test` work from nothing: they create .venv,
# install newsbot, then run.  `make demo` installs the runtime dependencies only; `make test`,
# `make check` and the rest add the dev tools (pytest, ruff, mypy).  Each install is skipped
# when .venv is current.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast check format bench install clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsbot needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml setup.py | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $(RUNTIME)

$(STAMP): pyproject.toml setup.py | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $(RUNTIME)

install: $(STAMP)

demo: $(RUNTIME)
	$(BIN)/newsbot demo

# the suite runs in parallel (pytest-xdist): most tests wait on processes, sockets and the model
# rather than compute, so four workers keep two cores busy.  `make test WORKERS=0` runs serially.
WORKERS ?= 4
test: $(STAMP)
	$(BIN)/python -m pytest -q -rs -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

# the tests that take under a few seconds each (no serve processes, benchmarks or contracts)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -rs -n $(WORKERS) --dist worksteal -m "not slow" $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check bot tests bench migrations
	$(BIN)/ruff format --check bot tests bench migrations
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix bot tests bench migrations
	$(BIN)/ruff format bot tests bench migrations

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
