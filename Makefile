# The two commands of the README: `make run` and `make test`. Both bootstrap .venv from
# pyproject.toml on first use (and again whenever pyproject.toml changes).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run example test lint format demo-server bench screenshot clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/dispatch-desktop --demo

example: $(BIN)/.installed
	$(BIN)/python examples/first_run.py

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo-server: $(BIN)/.installed
	$(BIN)/python -m dispatch_desktop.demo

bench: $(BIN)/.installed
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/events.py

screenshot: $(BIN)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshot.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
