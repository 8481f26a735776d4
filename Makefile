# The two commands of the README: `make run` and `make test`. Both bootstrap .venv from
# pyproject.toml on first use (and again whenever pyproject.toml changes).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run example test lint format demo-server bench screenshot clean \
	bundle frozen lock icons translations

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,server]'
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

# Packaging (packaging/README.md). `make test`, which CI runs, includes tests/packaging: the
# bundle built twice and compared, installed offline (for a user and --system), upgraded and
# removed, the validators and --diagnose. `make frozen` builds the frozen app and runs its
# smoke test (about a minute): not in CI.
bundle:
	PYTHON=$(PYTHON) packaging/build-offline-bundle.sh

frozen: $(BIN)/.installed
	PYTHON=$(PYTHON) packaging/build-frozen.sh
	FROZEN_APP=$(CURDIR)/build/frozen/dispatch-desktop/dispatch-desktop \
		QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/packaging/test_frozen.py

# Pins every dependency and build tool with its hashes (add LOCK_FLAGS=--upgrade to move on
# to newer releases). Needs the package index.
LOCK_FLAGS ?=
PIP_COMPILE = build/lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
lock:
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet pip-tools
	$(PIP_COMPILE) --output-file packaging/requirements.lock pyproject.toml
	$(PIP_COMPILE) --output-file packaging/build-tools.lock packaging/build-tools.in

# Translations (docs/translations.md): extract every user-visible text of the package into the
# Swedish .ts file, then build the .qm file that ships in the package. Both are committed; a
# test checks the .qm is current. English is the language of the source: no file.
TS_DIR := resources/translations
QM_DIR := dispatch_desktop/ui/translations
LUPDATE := $(BIN)/pyside6-lupdate -extensions py -no-obsolete -locations none -silent
translations: $(BIN)/.installed
	$(LUPDATE) dispatch_desktop -ts $(TS_DIR)/dispatch_desktop_sv.ts
	$(BIN)/pyside6-lrelease -silent $(TS_DIR)/dispatch_desktop_sv.ts -qm $(QM_DIR)/dispatch_desktop_sv.qm

icons: $(BIN)/.installed
	$(BIN)/python tools/render_icons.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
