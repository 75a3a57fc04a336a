# The two set-up commands of the README: `make build` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the explorer page's JavaScript libraries, from the npm registry (kg/web/package-lock.json)
WEB := kg/web/node_modules/.installed

.PHONY: build test train gazetteer lint clean browser

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

$(WEB): kg/web/package.json kg/web/package-lock.json
	npm ci --prefix kg/web --no-audit --no-fund --loglevel=error
	touch $(WEB)

# Chromium for the browser tests, from Debian's packages (needs root; CI runs as root)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "chromium is not installed and cannot be installed here (not root): the browser tests will be skipped"; \
	  fi; }

build: $(STAMP) $(WEB)
	$(BIN)/kg build seeds/ --out exports/

# two workers (pytest-xdist), a test file each at a time: the suite is ~12 min of CPU, and the
# machines it must pass on have 2 cores; set TEST_WORKERS=0 to run it in one process
TEST_WORKERS ?= 2
test: $(STAMP) $(WEB) browser
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile
	$(BIN)/lint-imports

# the learned relation decider, from the annotated news (benchmarks/gold/) and ../shared/eval:
# the same repository gives the same bytes (checked by tests/test_decider.py)
train: $(STAMP)
	$(BIN)/python training/train_decider.py --out kg/data/decider.json

# kg/data/curated.jsonl (and the names, offices and ids it adds to kg/data/gazetteer.jsonl),
# from the tables in scripts/curate_gazetteer.py (checked by tests/test_gazetteer_curated.py)
gazetteer: $(STAMP)
	$(BIN)/python scripts/curate_gazetteer.py

clean:
	rm -rf $(VENV) exports kg/web/node_modules
