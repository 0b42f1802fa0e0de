# One place for the commands a person (and CI) runs.
#   make build   install what is needed, then build the real policy into build/site
#   make check   install what is needed, then lint, type-check and test
#   make golden  write every golden file anew (messages and renderers), to review as a diff
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup build check test lint types bench golden clean

setup: $(STAMP)

$(STAMP): pyproject.toml system-packages.txt tools/package-lock.json
	./scripts/install-system-packages
	./scripts/install-test-tools
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/policyctl build

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks policyctl.py

types: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/pytest -q

check: lint types test

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The tests compare with these files; after an intended change, regenerate and read `git diff tests/`.
golden: $(STAMP)
	$(BIN)/python -m tests.messages.regenerate
	$(BIN)/python -m tests.golden.regenerate

clean:
	rm -rf build
