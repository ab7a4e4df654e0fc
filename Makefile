# Two commands do everything on a fresh machine with Python 3.11+ and pip:
#   make test    set up a local virtual environment if none, install, run the whole suite
#   make report  set up, then run the main job on the bundled data
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: test lint docs report example audit synthetic bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint,docs]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# Style: ruff's linter and formatter, configured in pyproject.toml (fix with: .venv/bin/ruff format . && .venv/bin/ruff check --fix .).
lint: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

# The API reference, generated from the docstrings by pdoc, in docs/api/ (open docs/api/index.html).
docs: $(STAMP)
	$(BIN)/python scripts/api_docs.py docs/api

audit: $(STAMP)
	$(BIN)/livecommerce audit --output audit.csv --overwrite

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

# Speed and memory of the sensitivity analyses (prints figures, asserts nothing): Monte Carlo at 31 provinces and
# at 3,000 synthetic regions, Sobol' against scipy and SALib (the benchmark-only extra), tornado and switching points,
# and the what-if callback.
bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_uncertainty.py
	$(BIN)/python benchmarks/bench_sobol.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_explore.py

# Regenerate the SYNTHETIC example panels (every level) and the SYNTHETIC 2024 edition from their seeds (byte for
# byte; tests check the committed files).
synthetic: $(STAMP)
	$(BIN)/python scripts/make_synthetic_panel.py
	$(BIN)/python scripts/make_synthetic_edition.py

# The main job: every chapter notebook run on the bundled data, written to build/ (figures also to figures/).
report: $(STAMP)
	$(BIN)/livecommerce report --output-dir build --figures-dir figures

# The worked example: the SYNTHETIC 2024 edition (data/examples/) against the published 2023 report, in example-2024/.
example: $(STAMP)
	$(BIN)/livecommerce report --edition data/examples/synthetic_edition_2024 --previous 2023 --output-dir example-2024

clean:
	rm -rf build
