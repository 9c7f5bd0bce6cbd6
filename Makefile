# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DB := data/valuechain.duckdb

.PHONY: run test build lint messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): $(VENV)/.installed $(wildcard data/reference/*.csv data/geo/*.geojson etl/*.py etl/*.sql) valuechain/member_columns.py
	$(BIN)/python -m etl build

build: $(VENV)/.installed
	$(BIN)/python -m etl build

run: $(DB)
	$(BIN)/streamlit run dashboard.py

# After changing the code's messages: the template from the code, then each language's catalogue updated from it
# (new keys appear untranslated, which the message test reports until they are translated).
messages: $(VENV)/.installed
	$(BIN)/python -m valuechain.extract_messages
	$(BIN)/python -m babel.messages.frontend update -i locales/messages.pot -d locales --no-fuzzy-matching \
		--ignore-obsolete --width 120

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest
