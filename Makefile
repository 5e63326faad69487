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
# Bytecode is compiled once, as a regular install does, where Python imports the modules from
# (the install's folder of links): with PYTHONDONTWRITEBYTECODE set, every command would
# otherwise compile searchkit's sources again (60 ms of each one-shot query).
$(STAMP): pyproject.toml $(shell find searchkit -type d)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=strict
	$(BIN)/python -m compileall -q "$$($(BIN)/python -P -c 'import pathlib, searchkit; print(pathlib.Path(searchkit.__file__).parent)')"
	touch $(STAMP)

clean:
	rm -rf $(VENV) indexes/main
