# Everyday commands. Each creates .venv with $(PYTHON) and installs the project with its [dev]
# and [dask] extras on first use (which compiles the token scanner, analysis/_scan.c, with the C compiler);
# editing pyproject.toml (e.g. a pin), setup.py or the scanner reinstalls on the next call.
#
#   make test      ruff, then pytest
#   make reports   execute every notebook, write figures/ and reports/ (python -m analysis build)
#   make lab       JupyterLab on notebooks/, with the package importable
#   make docs      the API reference from the docstrings, docs/api/index.html (offline)
#   make bench     install the [bench] extra too, run the benchmarks of bench/ (see its README);
#                  GOLD="--pysbd DIR --gum DIR --ewt DIR" extracts the gold sentences first
#   make clean     remove reports/ and .cache/

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
GOLD ?=

.PHONY: test reports lab bench clean venv docs

venv: $(STAMP)

# If the venv module cannot install pip (e.g. Debian without python3-venv), fall back to an
# empty venv into which the outer pip installs pip.
$(STAMP): pyproject.toml setup.py analysis/_scan.c
	@if [ ! -x $(BIN)/python ]; then \
		$(PYTHON) -m venv $(VENV) || { \
			rm -rf $(VENV) && \
			$(PYTHON) -m venv --without-pip $(VENV) && \
			$(PYTHON) -m pip --python $(BIN)/python install pip; \
		}; \
	fi
	$(BIN)/python -m pip install -e '.[dev,dask]'
	touch $@

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

reports: $(STAMP)
	$(BIN)/python -m analysis build

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The [bench] extra (peer sentence splitters) on top of [dev,dask]; redone whenever $(STAMP) is.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -e '.[dev,dask,bench]'
	touch $@

bench: $(BENCH_STAMP)
	@if [ -n "$(GOLD)" ]; then $(BIN)/python bench/extract_gold.py $(GOLD); fi
	$(BIN)/python bench/bench_sentences.py
	$(BIN)/python bench/bench_tokenize.py
	$(BIN)/python bench/bench_groups.py
	$(BIN)/python bench/bench_explore.py
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_dask.py

# The reference is rebuilt whole; any warning (a docstring pdoc cannot read) fails it.
docs: $(STAMP)
	rm -rf docs/api
	$(BIN)/python -W error docs/reference.py docs/api

clean:
	rm -rf reports/ .cache/ docs/api/
