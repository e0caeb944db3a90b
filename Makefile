# Policy Atlas: `make run` starts the app, `make test` runs every test. Both set themselves up.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench fuzz lint build validate setup system-deps clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests need (Virtuoso, Chromium, Java for HermiT, a CJK font so that Chromium draws
# Chinese); installed when root and missing.
system-deps:
	@missing=""; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource-7"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk" || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing (install them, or run as root)"; fi; \
	fi

build: $(STAMP)
	$(VENV)/bin/policyatlas build

validate: $(STAMP)
	$(VENV)/bin/policyatlas validate

# `build` answers "up to date" at once when nothing changed (a hash of the inputs), so `make run` on an
# unchanged KB starts the app at once; UI_ARGS passes options to `policyatlas ui` (e.g. --port 8502).
UI_ARGS ?=
run: $(STAMP) build
	$(VENV)/bin/policyatlas ui $(UI_ARGS)

test: $(STAMP) system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports  # the layers of docs/architecture.md (contracts in pyproject.toml)
	$(VENV)/bin/policyatlas build
	$(PY) -m pytest -q -p no:cacheprovider

bench: $(STAMP) system-deps build
	$(PY) bench/run.py

# The standing fuzz campaign with a long budget (the same properties run briefly in `make test`).
fuzz: $(STAMP) build
	POLICYATLAS_FUZZ=long $(PY) -m pytest -q -p no:cacheprovider -o timeout=0 tests/fuzz

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf build  # every release, the current pointer and its links
