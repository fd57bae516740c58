# The study's two commands: `make study` and `make test`. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# the first supported interpreter found (3.11, 3.12, 3.13), else python3; `make setup PYTHON=/path/to/python` to choose
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Inline figures need the notebook backend, not Agg; hash seeds and platform dirs fixed for identical outputs.
unexport MPLBACKEND
export PYTHONHASHSEED := 0
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help setup store study execute site test lint unit quick nbval lab lock bench docs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv from the lock (Python 3.11–3.13, packages, the CJK font) if missing or out of date

$(STAMP): requirements-pip.lock requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "Python 3.11, 3.12 or 3.13 is needed; found " + sys.version.split()[0] + " (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# Build matplotlib's font cache now, so that no notebook prints "building the font cache" on stderr.
	$(BIN)/python -c 'import matplotlib.pyplot'
	@touch $@

ifdef CORPUS
study: setup ## Re-execute every notebook, export the figures and render the site (CORPUS=dir OUT=dir: your own reports)
	$(BIN)/python -m helpers study --corpus "$(CORPUS)" --out "$(or $(OUT),build/study)" $(if $(METADATA),--metadata "$(METADATA)")
else
study: setup execute site
endif

STORE := data/processed/cache/store

store: setup ## Build (or bring up to date) the bundled corpus's Parquet store that the notebooks read
	$(BIN)/python -m helpers build --corpus data/raw --store $(STORE)

execute: setup store ## Re-execute every notebook in place (after syncing it with its .py twin)
	@for nb in $(NOTEBOOKS); do \
	  $(BIN)/jupytext --quiet --sync "$$nb" && \
	  $(BIN)/jupyter nbconvert --log-level=ERROR --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=600 \
	    '--ExecutePreprocessor.extra_arguments=["--IPKernelApp.log_level=ERROR", "--InteractiveShell.cache_size=0"]' "$$nb" || exit 1; \
	  $(BIN)/jupytext --quiet --sync "$$nb" || exit 1; \
	done

site: setup ## Render the executed notebooks and figures into site/ (open site/index.html)
	$(BIN)/python -m helpers site

test: setup lint unit nbval ## The lint gate, unit tests, then strict nbval over every notebook

lint: setup ## Ruff (pyflakes, pycodestyle, import order, Google docstrings, complexity) and mypy over src/ (pyproject.toml)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

unit: setup ## Unit tests, including the end-to-end runs of the study on corpus shapes
	$(BIN)/python -m pytest -q tests

quick: setup ## Unit tests without the slow end-to-end study runs
	$(BIN)/python -m pytest -q -m "not slow" tests

nbval: setup store ## Strict nbval: re-run every notebook and compare every output with the committed one
	@# figures and tables go to build/nbval/, so that a test run leaves the tracked data/processed/ untouched
	STUDY_FIGURES="$(CURDIR)/build/nbval/figures" STUDY_PROCESSED="$(CURDIR)/build/nbval/processed" \
	STUDY_CACHE="$(CURDIR)/data/processed/cache" \
	$(BIN)/python -m pytest -q -p no:cacheprovider -p no:warnings --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

lab: setup store ## Open JupyterLab on notebooks/ in the study's environment
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: setup ## Print the store build's speed and memory on 1 000 and 10 000 synthetic reports, tokenisation speed, the items explorer's weight, text reuse's time and memory
	$(BIN)/python benchmarks/scale.py --reports 1000 10000 --memory-at 20000 --study
	$(BIN)/python benchmarks/tokenise_speed.py
	$(BIN)/python benchmarks/bench_explore.py --reports 10000
	$(BIN)/python benchmarks/bench_reuse.py --reports 10000 20000

docs: setup ## Regenerate docs/data_dictionary.md from the code (a test checks it is up to date)
	$(BIN)/python scripts/data_dictionary.py

lock: ## Re-resolve requirements.lock from pyproject.toml (needs uv) and regenerate environment.yml
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --fork-strategy fewest --generate-hashes \
		-c scripts/lock-constraints.txt -o requirements.lock
	$(PYTHON) scripts/environment_yml.py

clean: ## Remove the environment and everything built (site/, figures/, the store and caches, build/)
	rm -rf $(VENV) site figures .pytest_cache data/processed/cache build
