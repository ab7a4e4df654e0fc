# Two commands do everything on a fresh machine with Python 3.11+ and pip:
#   make test    set up a local virtual environment if none, install, run the whole suite
#   make report  set up, then run the main job on the bundled data
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint docs report audit synthetic bench clean

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

# Speed and memory of the Monte Carlo uncertainty analysis (prints figures, asserts nothing).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_uncertainty.py

# Regenerate the SYNTHETIC example panel from its seed (byte for byte; a test checks the committed file).
synthetic: $(STAMP)
	$(BIN)/python scripts/make_synthetic_panel.py

# The main job: every chapter notebook run on the bundled data, written to build/ (figures also to figures/).
report: $(STAMP)
	$(BIN)/livecommerce report --output-dir build --figures-dir figures

clean:
	rm -rf build
