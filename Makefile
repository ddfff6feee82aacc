# smista: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: install run test bench corpus clean

$(BIN)/smista: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/smista

## Set up, train a model if models/ has none, and triage the sample Maildir.
run: install
	$(BIN)/smista run --demo

## Lint and types (mypy --strict on the pure core: classifier/ and inbox/), then the whole test suite.
test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/mypy --strict --allow-subclassing-any classifier inbox
	$(BIN)/pytest

## Benchmarks: accuracy against baselines, classification speed and memory, the HTTP API (bench/ingest.py needs Dovecot).
bench: install
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/api.py

## Rebuild the corpus files from the generator and the hand-written sources.
corpus: install
	$(BIN)/smista corpus generate
	$(BIN)/smista corpus compile

clean:
	rm -rf $(VENV) mlruns mlflow.db
