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
	@echo "make dev    - Dagster UI and daemon (dg dev) on the same definitions, with the file sensor running"
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

# The demo's run is recorded in the instance `make dev` opens, so the UI shows its materialisations and checks.
demo: $(STAMP) $(SGPULSE_DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(SGPULSE_DAGSTER_HOME) $(BIN)/sgpulse refresh

$(SGPULSE_DAGSTER_HOME)/dagster.yaml:
	@mkdir -p $(SGPULSE_DAGSTER_HOME)
	cp config/dagster.yaml $@

test: $(STAMP)
	$(BIN)/python -m pytest -q --durations=25

lint: $(STAMP)
	$(BIN)/ruff check pipelines tests bench

# `dg dev` (Dagster 1.13's local command; `dagster dev` is superseded) reads [tool.dg.project] in pyproject.toml:
# the code location `sgpulse` from pipelines.definitions. The file sensor runs (a refresh whenever data/raw changes;
# the first tick on a fresh .dagster_home refreshes once): `make dev SGPULSE_SENSOR_STATUS=stopped` keeps it off.
# DEV_ARGS passes options on, e.g. DEV_ARGS="-p 3001".
SGPULSE_SENSOR_STATUS ?= running
DEV_ARGS ?=
dev: $(STAMP) $(SGPULSE_DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(SGPULSE_DAGSTER_HOME) SGPULSE_SENSOR_STATUS=$(SGPULSE_SENSOR_STATUS) VIRTUAL_ENV=$(CURDIR)/$(VENV) \
		$(BIN)/dg dev $(DEV_ARGS)

# Jupyter refuses to start as root without --allow-root (containers and CI run as root).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# The manifest lets tests/sample prove that the generator still writes exactly the bundled bytes.
sample: $(STAMP)
	$(BIN)/sgpulse sample --out data/raw --scale 1
	$(BIN)/python -m pipelines.sample.manifest data/raw > tests/sample/data_raw.sha256

# Not part of `make test`: generates up to ~1 GB of raw data into bench/.data/ (reused) and takes many minutes.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf data/marts/*.duckdb data/marts/briefs $(SGPULSE_DAGSTER_HOME)
