# The two commands of the README:
#   make site   build every brand's site into site/ (sets up .venv first)
#   make test   run the whole test suite (sets up .venv and Chromium first)
# Everything else here is what those two need.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site test lint serve screenshots browser catalogs

site: $(STAMP)
	$(BIN)/policygen build

serve: $(STAMP)
	$(BIN)/policygen serve

test: $(STAMP) browser
	@$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts bench

screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

# Re-extract the UI strings and merge them into every language's catalog.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k _n:1,2 --no-location --sort-output --omit-header \
	  -o generator/locales/messages.pot .
	$(BIN)/pybabel update -i generator/locales/messages.pot -d generator/locales --omit-header --no-fuzzy-matching

# A fresh virtual environment with the pinned dependencies; redone when the lock changes.
$(STAMP): requirements.lock pyproject.toml
	rm -f $(VENV)/.installed-*
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium fonts-noto-core' and retry." >&2; exit 1; \
	  fi; \
	fi
