# Everyday commands. Each creates .venv with $(PYTHON) and installs the project with its [dev],
# [dask], [lab] and [annotate] extras on first use, every package at the version of
# requirements.lock (pip's constraints file: the exact versions the project is tested with),
# and compiles the token scanner, analysis/_scan.c, where a C compiler is found (without one,
# tokenizing runs in pure Python: the same tokens, slower). Editing pyproject.toml,
# requirements.lock, setup.py or the scanner reinstalls on the next call.
#
#   make test      ruff, then pytest
#   make reports   execute every notebook, write figures/ and reports/ (python -m analysis build)
#   make lab       JupyterLab on notebooks/, with the package importable
#   make docs      the API reference from the docstrings, docs/api/index.html (offline)
#   make bench     install the [bench] extra too, run the benchmarks of bench/ (see its README);
#                  GOLD="--pysbd DIR --gum DIR --ewt DIR" extracts the gold sentences first
#   make lock      rewrite requirements.lock: install the project with every extra into a
#                  scratch venv (.venv-lock), keeping the locked versions and resolving any
#                  package not yet locked (UPGRADE=1: the newest releases of all), then freeze it
#   make test-lowest  the tests in a second venv (.venv-lowest) holding the lower bound of every
#                  range of pyproject.toml (the oldest releases the project claims to work with)
#   make clean     remove reports/ and .cache/

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
GOLD ?=
LOCK := requirements.lock
UPGRADE ?=

.PHONY: test reports lab bench clean venv docs lock test-lowest

venv: $(STAMP)

# If the venv module cannot install pip (e.g. Debian without python3-venv), fall back to an
# empty venv into which the outer pip installs pip.
# $(call make-venv,DIR): a venv with pip in DIR, unless one is there.
define make-venv
	@if [ ! -x $(1)/bin/python ]; then \
		$(PYTHON) -m venv $(1) || { \
			rm -rf $(1) && \
			$(PYTHON) -m venv --without-pip $(1) && \
			$(PYTHON) -m pip --python $(1)/bin/python install pip; \
		}; \
	fi
endef

$(STAMP): pyproject.toml $(LOCK) setup.py analysis/_scan.c
	$(call make-venv,$(VENV))
	$(BIN)/python -m pip install -c $(LOCK) -e '.[dev,dask,lab,annotate]'
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
	$(BIN)/python -m pip install -c $(LOCK) -e '.[dev,dask,lab,annotate,bench]'
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

# The lock is what a fresh venv resolves for the project and every extra: by default with the
# current lock as constraints (so only packages new to pyproject.toml are resolved afresh; a
# raised lower bound above a locked version needs UPGRADE=1), with UPGRADE=1 from scratch.
# Then run make test, and commit requirements.lock with environment.yml's pins brought to it
# (tests/test_environment.py compares the files).
lock:
	rm -rf .venv-lock
	$(call make-venv,.venv-lock)
	.venv-lock/bin/python -m pip install $(if $(UPGRADE),,$(if $(wildcard $(LOCK)),-c $(LOCK))) \
		'.[dev,dask,lab,annotate,bench]'
	{ echo "# The exact versions the project is tested with (pip constraints; make lock)."; \
	  .venv-lock/bin/python -m pip freeze --exclude analysis; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf .venv-lock

# The lower bounds of pyproject.toml's ranges, each installed exactly (a constraints file made
# from the ranges, tests/lowest.py), then the tests.
test-lowest:
	$(call make-venv,.venv-lowest)
	$(PYTHON) tests/lowest.py > .venv-lowest/lowest.txt
	.venv-lowest/bin/python -m pip install -c .venv-lowest/lowest.txt -e '.[dev,dask,lab,annotate]'
	.venv-lowest/bin/python -m pytest -p no:cacheprovider

clean:
	rm -rf reports/ .cache/ docs/api/
