# The two commands of the README:
#   make site   build every brand's site into site/ (sets up .venv first)
#   make test   run the whole test suite (sets up .venv and Chromium first)
# Everything else here is what those two need.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site test lint serve screenshots browser pdf-libs catalogs

site: $(STAMP) pdf-libs
	$(BIN)/policygen build

serve: $(STAMP)
	$(BIN)/policygen serve

test: $(STAMP) browser pdf-libs node_modules/.installed
	$(BIN)/ruff check generator tests scripts bench
	$(BIN)/mypy
	@$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts bench
	$(BIN)/mypy

screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

# Re-extract the UI strings and merge them into every language's catalog.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k _n:1,2 --no-location --sort-output --omit-header \
	  -o generator/locales/messages.pot .
	$(BIN)/pybabel update -i generator/locales/messages.pot -d generator/locales --no-fuzzy-matching

# A fresh virtual environment with the pinned dependencies; redone when the lock changes.
$(STAMP): requirements.lock pyproject.toml
	rm -f $(VENV)/.installed-*
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# The Nu Html Checker (vnu-jar) and axe-core, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# What WeasyPrint needs to make each version's PDF (Pango, HarfBuzz's font subsetter) and the fonts the PDFs
# are set in (DejaVu: every Vietnamese letter); pdftotext, with which the tests read the PDFs back.
pdf-libs:
	@missing=""; \
	for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils; do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing:$$missing. Install them (sudo apt-get install$$missing) and retry." >&2; exit 1; \
	  fi; \
	fi

# Debian's Chromium for the browser tests (Playwright never downloads a browser here), and a Java
# runtime for the Nu Html Checker.
browser:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium fonts-noto-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing:$$missing. Install them (sudo apt-get install$$missing) and retry." >&2; exit 1; \
	  fi; \
	fi
