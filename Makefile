# Servuction Workbook — the two commands of the README, and their parts.
# `make serve`: set up, create the demo cohort, serve on http://localhost:8866
# `make test`:  set up (Chromium included), run every test
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: setup relock serve demo test check browser hub-proxy bench clean messages docs screenshots

# requirements.lock pins every package of `.[test]` (the build backend included) at the versions the tests passed
# with, each with the hashes of its files (uv pip compile --generate-hashes): pip installs exactly those files and
# refuses any other (--require-hashes). The workbook itself goes in after, editable, without dependencies and without
# build isolation (hatchling and Babel come from the lock, checked); pip check fails when the lock misses a dependency
# pyproject.toml declares (run `make relock`).
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
$(STAMP): pyproject.toml requirements.lock
	@rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.lock 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	$(PIP) --no-deps --no-build-isolation -e . 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	$(PY) -m pip check --disable-pip-version-check
	@touch $(STAMP)

# the interface's translations: .mo compiled from the .po files in git (never committed)
setup: $(STAMP)
	@$(PY) -m workbook.i18n >/dev/null

# The scheduled-style job: re-resolve every dependency to its newest allowed release, reinstall, run the
# fast tests (no server, no browser). Commit requirements.lock when they pass.
relock: setup
	$(PY) -m pip install --quiet --disable-pip-version-check 'uv>=0.4'
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --upgrade --quiet --generate-hashes \
	  --no-emit-package servuction-workbook --custom-compile-command 'make relock' -o requirements.lock
	$(MAKE) setup
	$(PY) -m pytest $(FAST_LANE) -q -n auto tests

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

# JupyterHub's proxy (configurable-http-proxy, from npm, pinned in package.json / package-lock.json) for the real hub
# test (tests/browser/test_hub.py): installed into ./node_modules, never globally; Debian's nodejs and npm if absent.
HUB_PROXY := node_modules/.bin/configurable-http-proxy
$(HUB_PROXY): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "installing Debian's nodejs and npm (JupyterHub's proxy for the hub test)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(HUB_PROXY)

hub-proxy: $(HUB_PROXY)

test: setup browser hub-proxy
	$(PY) -m pytest

# the static checks: ruff (rules in pyproject.toml) and the import contract (import-linter: imports point down),
# then the fast lane: every test not marked slow (no server, kernel, browser or subprocess: tests/process_guard.py),
# spread over every core by pytest-xdist (the full `make test` runs in one process: its servers and ports stay apart).
# Byte-code is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE): each worker otherwise compiles
# the package and rewrites every test module's asserts again, seconds of CPU per run (__pycache__ is not in git).
# nbval (notebooks' cells: slow lane only) is not loaded, nor its options of pyproject's addopts: it imports jsonschema
# before the workbook can block jsonschema's RFC 3987 grammar (workbook/__init__.py), ~2 s of CPU per process.
FAST_LANE := -m 'not slow and not browser' -p no:cacheprovider -p no:nbval -o addopts='-ra --strict-markers'
check: export PYTHONDONTWRITEBYTECODE :=
check: setup
	$(VENV)/bin/ruff check workbook tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(FAST_LANE) -q -n auto tests

bench: setup browser
	$(PY) benchmarks/voila_render.py

# after adding or changing interface strings: the template (.pot) extracted from the code and the templates,
# then each language's .po updated (new strings empty, to be translated; changed ones marked fuzzy). The .pot is
# replaced only when more than its POT-Creation-Date changed, so a run without a string change leaves git clean.
POT := workbook/locale/workbook.pot
messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k pgettext:1c,2 --no-location --sort-output --project "Servuction Workbook" --no-wrap -o $(POT).new workbook
	@if [ -f $(POT) ] && cmp -s <(grep -v '^"POT-Creation-Date: ' $(POT)) <(grep -v '^"POT-Creation-Date: ' $(POT).new); \
	  then rm $(POT).new; echo "$(POT): no string changed (kept as it is)"; else mv $(POT).new $(POT); fi
	$(VENV)/bin/pybabel update --no-fuzzy-matching -D workbook -i $(POT) -d workbook/locale --ignore-obsolete --no-wrap
	$(PY) -m workbook.content.typography workbook/locale/fr/LC_MESSAGES/workbook.po  # French no-break spaces (test_french_typography)
	$(PY) -m workbook.i18n

# The documentation site (docs/, mkdocs.yml) into build/site/: MkDocs strict (a missing page, image or anchor
# fails), then the link check of the built HTML (tests/unit/test_docs.py, which lists the external links).
docs: setup
	$(VENV)/bin/mkdocs build --strict --quiet
	$(PY) -m pytest -p no:cacheprovider -q -s tests/unit/test_docs.py

# The guides' screenshots (docs/screenshots/), made again from a real server in Chromium (also part of `make test`)
screenshots: setup browser
	$(PY) -m pytest -p no:cacheprovider -q tests/browser/test_docs_screenshots.py

clean:
	rm -rf $(VENV) data test-artifacts node_modules
