# Servuction Workbook — the two commands of the README, and their parts.
# `make serve`: set up, create the demo cohort, serve on http://localhost:8866
# `make test`:  set up (Chromium included), run every test
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup serve demo test check browser bench clean

$(STAMP): pyproject.toml
	@rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/workbook demo

# The database's schema is brought to this version's revision first (workbook db upgrade keeps every row).
# The demo is refused (one line saying why) beside real cohorts; the workbook is served either way.
serve: setup
	$(VENV)/bin/workbook db upgrade
	-$(VENV)/bin/workbook demo
	$(VENV)/bin/workbook serve

browser:
	@{ command -v chromium && command -v pdftotext && fc-list | grep -qi 'noto sans cjk'; } >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium, poppler-utils and CJK fonts (browser and PDF tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils fonts-noto-cjk >/dev/null; }

test: setup browser
	$(PY) -m pytest

# the static checks: ruff (rules in pyproject.toml) and the import contract (import-linter: imports point down)
check: setup
	$(VENV)/bin/ruff check workbook tests benchmarks
	$(VENV)/bin/lint-imports

bench: setup browser
	$(PY) benchmarks/voila_render.py

clean:
	rm -rf $(VENV) data test-artifacts
