# The two set-up commands of the README: `make build` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/kg build seeds/ --out exports/

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) exports
