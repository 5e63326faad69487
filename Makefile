# Everything runs inside .venv, made on first use; only python3 (3.11+), pip and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test clean

demo: $(STAMP)
	$(BIN)/searchkit index corpus/
	$(BIN)/searchkit query "al-Bab ceasefire"

test: $(STAMP)
	$(BIN)/python -m pytest

# A strict editable install (links, no import hook: faster start-up) sees new modules only after
# a reinstall, so adding or removing a file under searchkit/ (a folder's mtime) reinstalls too.
# Bytecode is compiled once, as a regular install does, for the dependencies and where Python
# imports searchkit from (the install's folder of links): with PYTHONDONTWRITEBYTECODE set, pip
# compiles nothing and every command would compile Whoosh, Typer and searchkit again (a one-shot
# query: 0.54 s instead of 0.22).
$(STAMP): pyproject.toml $(shell find searchkit -type d)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=strict
	$(BIN)/python -m compileall -q -j0 $(VENV)/lib "$$($(BIN)/python -P -c 'import pathlib, searchkit; print(pathlib.Path(searchkit.__file__).parent)')"
	touch $(STAMP)

clean:
	rm -rf $(VENV) indexes/main
