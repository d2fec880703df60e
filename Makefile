# Alpine Cluster Atlas — the two commands that matter on a fresh machine:
#   make run    set up and serve the atlas on the bundled data at http://127.0.0.1:8050
#   make test   set up (Python packages, Debian's Chromium/ChromeDriver/Redis, axe-core) and run every test

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# Not root: apt-get goes through sudo when there is one.
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && echo sudo)

.PHONY: run test bench bench-quick build-data check-data system-deps bench-deps export-deps node-deps plotly-bundle clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/python
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

# Debian packages are installed only when a program is missing, so a second run costs nothing.
define apt_install
	@missing=""; for program in $(1); do command -v $$program >/dev/null 2>&1 || missing="$$missing $$program"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ] && [ -z "$(SUDO)" ]; then \
			echo "missing:$$missing — install the Debian packages $(2) as root" >&2; exit 1; \
		fi; \
		echo "installing Debian packages $(2) (missing:$$missing)"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2); \
	fi
endef

# Static exports (PNG, SVG, PDF) render in Chromium; without it the atlas runs and export links answer 503.
export-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] || [ -n "$(SUDO)" ]; then \
			$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
				|| echo "note: chromium could not be installed; static exports are unavailable"; \
		else echo "note: chromium is not installed; static exports are unavailable"; fi; \
	fi

system-deps:
	$(call apt_install,chromium chromedriver redis-server,chromium chromium-driver redis-server)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

# The atlas's plotly.js (only the trace types it draws) is committed under dashboard/vendor, so `make run` needs
# no Node; this rebuilds it from the pinned npm packages after a change of version or of js/plotly-atlas.js.
plotly-bundle: node-deps
	node js/build-plotly.mjs

run: $(VENV)/.installed-run export-deps
	$(PY) app.py

test: $(VENV)/.installed-dev system-deps node-deps
	$(PY) -m pytest

# Row 4 drives the server with wrk (Debian's package).
bench-deps: system-deps
	$(call apt_install,wrk,wrk)

bench: $(VENV)/.installed-dev bench-deps
	$(PY) -m bench

bench-quick: $(VENV)/.installed-dev bench-deps
	$(PY) -m bench --quick

build-data: $(VENV)/.installed-run
	$(PY) -m geodata build

check-data: $(VENV)/.installed-run
	$(PY) -m geodata build --check

clean:
	rm -rf $(VENV) node_modules .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
