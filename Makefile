# Two commands do everything on a fresh machine with Python 3.11+ and pip:
#   make test    set up a local virtual environment if none, install the locked releases, run the whole suite
#   make report  set up, then run the main job on the bundled data
# The environment is built from requirements-lock.txt (every package at one release, `make lock` writes it from
# pyproject.toml's ranges), so a fresh machine gets the releases the committed outputs were made with.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements-lock.txt
# The lock's own tool, at one release too (its output format is part of the lock file).
UV := uv==0.13.9
TOOLS := .venv-tools
LATEST := .venv-latest
# The suite in one worker a processor (pytest-xdist); the tests that share a report run share a worker
# (tests/conftest.py), so that each run happens once. WORKERS=-n0 runs it in one process.
WORKERS ?= -n auto --dist loadgroup
# Python keeps the modules it compiles (__pycache__, git-ignored) even where the machine says not to
# (PYTHONDONTWRITEBYTECODE, as some containers do): else each process of a run or of the suite (the command line,
# the kernels, the test workers) compiles the package, and the workers the tests, again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: test test-latest lock lint docs report example example-counties audit synthetic bench clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --requirement $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $(STAMP)

# Rewrite the lock from pyproject.toml: the newest releases its ranges allow today, for every Python from 3.11 on
# and every platform. Review the change and regenerate the SYNTHETIC files (make synthetic) in the new environment.
lock:
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet '$(UV)'
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra test --extra lint --extra docs --extra bench --extra spark --universal \
		--python-version 3.11 --custom-compile-command 'make lock' --quiet --output-file $(LOCK)

test: $(STAMP)
	$(BIN)/python -m pytest $(WORKERS)

# The suite against the newest releases pyproject.toml allows, in a separate environment rebuilt each time (does
# not gate CI), the property tests drawing new examples: upstream breakage shows here before users meet it.
# Byte-for-byte checks of committed files compare values at their printed precision outside the locked environment.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade --editable '.[test,lint,docs,bench,spark]'
	$(LATEST)/bin/python -m pip list --format freeze | grep -iE '^(numpy|pandas|scipy|matplotlib|statsmodels)=='
	$(LATEST)/bin/python -m pytest $(WORKERS) --hypothesis-profile=explore

# Style: ruff's linter and formatter, configured in pyproject.toml (fix with: .venv/bin/ruff format . && .venv/bin/ruff check --fix .).
lint: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

# The API reference, generated from the docstrings by pdoc, in docs/api/ (open docs/api/index.html).
docs: $(STAMP)
	$(BIN)/python scripts/api_docs.py docs/api

audit: $(STAMP)
	$(BIN)/livecommerce audit --output audit.csv --overwrite

# Speed and memory of the sensitivity analyses (prints figures, asserts nothing): Monte Carlo at 31 provinces and
# at 3,000 synthetic regions, Sobol' against scipy and SALib (the benchmark-only extra), tornado and switching points,
# the what-if callback, the maps (the report's two; the national county map), the aggregations beyond the means
# (BoD at 3,000 regions), SMAA-2 from 1,000,000 draws, uncertainty over imputation and treatment, and indicators
# from 155 M SYNTHETIC records (DuckDB against pandas on the same Parquet files, 3.3 GB in a temporary folder), and
# saving the report's figures (PNG and SVG, their encoding, a notebook's preview), and three whole runs of
# livecommerce report (about a minute and a half; issue 22's 30 s).
# SALib and pyarrow come with the locked environment.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_uncertainty.py
	$(BIN)/python benchmarks/bench_sobol.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_explore.py
	nice prlimit --as=8000000000 $(BIN)/python benchmarks/bench_records.py
	$(BIN)/python benchmarks/bench_regions.py
	$(BIN)/python benchmarks/bench_maps.py
	$(BIN)/python benchmarks/bench_methods.py
	$(BIN)/python benchmarks/bench_smaa.py
	$(BIN)/python benchmarks/bench_steps.py
	$(BIN)/python benchmarks/bench_figures.py
	$(BIN)/python benchmarks/bench_report.py

# Regenerate the SYNTHETIC example panels (every level) and the SYNTHETIC 2024 edition from their seeds (byte for
# byte; tests check the committed files).
synthetic: $(STAMP)
	$(BIN)/python scripts/make_synthetic_panel.py
	$(BIN)/python scripts/make_synthetic_edition.py
	$(BIN)/python scripts/make_synthetic_regions.py

# The main job: every chapter notebook run on the bundled data, written to build/ (figures also to figures/).
report: $(STAMP)
	$(BIN)/livecommerce report --output-dir build --figures-dir figures

# The worked example: the SYNTHETIC 2024 edition (data/examples/) against the published 2023 report, in example-2024/.
example: $(STAMP)
	$(BIN)/livecommerce report --edition data/examples/synthetic_edition_2024 --previous 2023 --output-dir example-2024

# The SYNTHETIC county example: Sichuan's 183 county-level divisions (data/examples/synthetic_counties_sichuan/):
# its index tables, its map and its printed document (notebook 03, the one that runs for a set other than the
# report's three), in example-counties/.
example-counties: $(STAMP)
	$(BIN)/livecommerce report --level county:510000 --edition data/examples/synthetic_counties_sichuan \
		--output-dir example-counties

clean:
	rm -rf build
