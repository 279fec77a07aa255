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

$(VENV)/.installed: requirements.txt requirements-dev.txt policies/requirements.txt policies/pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/zizmor --offline --min-severity low .github/workflows

test: lint
	$(VENV)/bin/pytest

test-fast: venv
	$(VENV)/bin/pytest -x -q

# The main job with no cloud account: program under mocks, every resource through the policy
# pack over gRPC, then the authorization matrix. FORMAT=table|markdown|json, PREVIEW=1.
FORMAT ?= table
report: venv
	$(PY) -m report --stack $(STACK) --format $(FORMAT) $(if $(PREVIEW),--preview)

# `make report` wall time for the dev stack and a 1,000-operation spec, with a breakdown.
.PHONY: bench-report
bench-report: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/report_timing.py

lock: venv
	{ echo '# Transitive pins: every package in the dev venv, as resolved and tested. Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# --- Client and integration tests (README: Calling the API) ----------------------------------------
# Call one operation of the deployed stack as a consumer, e.g.
#   make call CONSUMER=orders OP='POST /pets' DATA='{"type": "dog", "price": 249.99}'
# Reads `pulumi stack output --json --show-secrets` of $(STACK), or M2M_* variables if set.
.PHONY: integration
CONSUMER ?= analytics
OP ?= GET /pets
DATA ?=

call: venv
	$(PY) -m m2m_client call --stack $(STACK) --consumer '$(CONSUMER)' \
	  '$(firstword $(OP))' '$(lastword $(OP))' $(if $(DATA),--data '$(DATA)')

# Deploys and destroys a throw-away stack; without the Pulumi CLI or AWS credentials every
# test is reported SKIPPED with the missing prerequisite.
integration: venv
	$(VENV)/bin/pytest -m integration -rs

# Policy pack Analyze time on 400- and 4,000-operation bodies over gRPC, next to a pack that
# only parses the body (bench/parse_only_pack). Target: within 3x that floor, about linear.
.PHONY: bench
bench: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/policy_pack.py

# --- Deploying the program (needs the Pulumi CLI and AWS credentials) --------------------------
# make preview|up|destroy [STACK=dev] [YES=1]. Secrets are encrypted with a passphrase: export
# PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE first.
PULUMI ?= pulumi
define pulumi_prerequisites
	@command -v $(PULUMI) >/dev/null 2>&1 || { echo "error: the Pulumi CLI ('$(PULUMI)') is not installed or not on PATH; install it from https://www.pulumi.com/docs/install/" >&2; exit 1; }
	@if [ -z "$$PULUMI_CONFIG_PASSPHRASE" ] && [ -z "$$PULUMI_CONFIG_PASSPHRASE_FILE" ]; then echo "error: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE; the stack's secrets (client secrets) are encrypted with it" >&2; exit 1; fi
	@case "$(PULUMI_BACKEND_URL)" in file://*) mkdir -p "$(patsubst file://%,%,$(PULUMI_BACKEND_URL))";; esac
endef

.PHONY: stack-select bench-program
stack-select: venv
	$(pulumi_prerequisites)
	$(PULUMI) stack select --create $(STACK) --secrets-provider passphrase

# The pack runs with the project's venv first on PATH: the CLI starts a Python policy pack with
# the `python` it finds there, and that one has pulumi-policy installed at the pinned version.
POLICY_PACK ?= policies
preview: stack-select
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PULUMI) preview --stack $(STACK) --diff --policy-pack $(POLICY_PACK)

up: stack-select
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PULUMI) up --stack $(STACK) --policy-pack $(POLICY_PACK) $(if $(YES),--yes)

destroy: venv
	$(pulumi_prerequisites)
	$(PULUMI) destroy --stack $(STACK) $(if $(YES),--yes)

# Program build time under mocks for 4, 100 and 1,000 operations, and the AWS resource count
# (must not grow with the operations). Target: under 2 s at 1,000 operations.
bench-program: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/program_build.py

# What a change does to access: the report of $(STACK) at git ref BASE (built in a temporary
# worktree, removed afterwards) against this checkout's. FORMAT=terminal|markdown|json.
# Exit 1 (make: 2) when this checkout adds a mandatory violation; `.venv/bin/python -m report
# diff --base-ref REF` keeps the 1.
.PHONY: report-diff
BASE ?= main
DIFF_FORMAT = $(if $(filter table,$(FORMAT)),terminal,$(FORMAT))
report-diff: venv
	@$(PY) -m report diff --base-ref '$(BASE)' --stack $(STACK) --format $(DIFF_FORMAT)
