# Everything a fresh machine needs: Python 3.11 and make. `make demo` and `make test` set up .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SGPULSE_DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: demo test lint dev lab sample bench clean help

help:
	@echo "make demo   - set up .venv, run the whole pipeline on the bundled sample, show where the outputs are"
	@echo "make test   - set up .venv and run the whole test suite"
	@echo "make dev    - Dagster UI and daemon (dagster dev) on the same definitions"
	@echo "make lab    - JupyterLab on notebooks/"
	@echo "make sample - regenerate the bundled synthetic sample in data/raw (and its SHA-256 manifest)"
	@echo "make bench  - benchmark refresh at scales 1, 10, 100 against SQL and pandas baselines (bench/results.md)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found); set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sgpulse refresh

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipelines tests bench

dev: $(STAMP)
	@mkdir -p $(SGPULSE_DAGSTER_HOME)
	@test -f $(SGPULSE_DAGSTER_HOME)/dagster.yaml || cp config/dagster.yaml $(SGPULSE_DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(SGPULSE_DAGSTER_HOME) $(BIN)/dagster dev -m pipelines.definitions

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The manifest lets tests/sample prove that the generator still writes exactly the bundled bytes.
sample: $(STAMP)
	$(BIN)/sgpulse sample --out data/raw --scale 1
	$(BIN)/python -m pipelines.sample.manifest data/raw > tests/sample/data_raw.sha256

# Not part of `make test`: generates up to ~1 GB of raw data into bench/.data/ (reused) and takes many minutes.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf data/marts/*.duckdb data/marts/briefs $(SGPULSE_DAGSTER_HOME)
