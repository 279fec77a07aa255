# Entry points. Every target that needs Python creates the pinned virtualenv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STACK ?= dev
# Local file backend and passphrase secrets by default: no Pulumi Cloud account needed.
# Point PULUMI_BACKEND_URL at s3://..., azblob://... or https://api.pulumi.com to change it.
export PULUMI_BACKEND_URL ?= file://$(CURDIR)/.pulumi-state

.PHONY: venv lint test test-fast bench report up preview destroy call lock clean

$(VENV)/.installed: requirements.txt requirements-dev.txt policies/requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	cd policies && ../$(VENV)/bin/mypy --config-file ../pyproject.toml __main__.py

test: lint
	$(VENV)/bin/pytest

test-fast: venv
	$(VENV)/bin/pytest -x -q

lock: venv
	{ echo '# Transitive pins: every package in the dev venv, as resolved and tested. Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
