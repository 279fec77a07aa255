# Entry points. Every target that needs Python creates the pinned virtualenv first.
# `make help` lists the targets and the variables they read.
SHELL := /bin/bash
# No "Entering directory" lines: `make report FORMAT=json > f` must write only the report,
# also when make runs inside another make (CI, `make test`).
MAKEFLAGS += --no-print-directory
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STACK ?= dev
# Local file backend and passphrase secrets by default: no Pulumi Cloud account needed.
# Point PULUMI_BACKEND_URL at s3://..., azblob://... or https://api.pulumi.com to change it.
export PULUMI_BACKEND_URL ?= file://$(CURDIR)/.pulumi-state

# On/off variables (YES, PREVIEW): off when unset, empty, 0, no, false or off (any case), on
# for anything else. `$(call flag,$(YES))` is non-empty exactly when the flag is on, so
# `make destroy YES=0` asks before destroying, as `make destroy` does.
lowercase = $(subst A,a,$(subst E,e,$(subst F,f,$(subst L,l,$(subst N,n,$(subst O,o,$(subst S,s,$(1))))))))
flag = $(filter-out 0 no false off,$(call lowercase,$(strip $(1))))

.PHONY: help venv lint test test-fast bench report up preview destroy call lock clean

help:
	@echo 'Targets (no cloud account needed):'
	@echo '  venv            create .venv with the pinned dependencies (every target below does it first)'
	@echo '  test            lint, type-check and run every offline test'
	@echo '  test-fast       pytest only, stop at the first failure'
	@echo '  lint            ruff, ruff format --check, mypy --strict, zizmor on the workflows'
	@echo '  report          who can call each operation of STACK, and the policy verdicts'
	@echo '  bench           policy pack Analyze time on large bodies'
	@echo '  audit           the policy pack over a `pulumi stack export` file (EXPORT), offline'
	@echo '  bench-program   program build time for 4/100/1,000 operations'
	@echo '  bench-report    `make report` wall time, dev stack and a 1,000-operation spec'
	@echo '  lock            rewrite constraints.txt from the venv'
	@echo '  clean           remove .venv and tool caches'
	@echo 'Targets that need the Pulumi CLI and AWS credentials:'
	@echo '  preview         pulumi preview of STACK with the policy pack'
	@echo '  up              pulumi up of STACK with the policy pack (asks first unless YES is on)'
	@echo '  destroy         pulumi destroy of STACK (asks first unless YES is on)'
	@echo '  call            call one operation as CONSUMER with a client-credentials token'
	@echo '  integration     deploy, test and destroy a throw-away stack'
	@echo 'Variables (name=current value):'
	@printf '  %-28s %s\n' \
	  'STACK=$(STACK)' 'stack name; reads Pulumi.<STACK>.yaml' \
	  'FORMAT=$(FORMAT)' 'report format: table, markdown or json' \
	  'PREVIEW=$(PREVIEW)' 'report: simulate `pulumi preview` (on/off)' \
	  'YES=$(YES)' 'up, destroy: skip the confirmation prompt (on/off)' \
	  'CONSUMER=$(CONSUMER)' 'call: consumer name' \
	  "OP='$(OP)'" "call: 'METHOD /path'" \
	  "DATA='$(DATA)'" 'call: JSON request body' \
	  'EXPORT=$(EXPORT)' 'audit: a file written by `pulumi stack export`' \
	  'POLICY_CONFIG=$(POLICY_CONFIG)' 'audit: policy config, JSON in the Pulumi CLI'"'"'s format' \
	  'PULUMI_BACKEND_URL' 'state backend; default file://<here>/.pulumi-state' \
	  'PYTHON=$(PYTHON)' 'interpreter that creates the venv'
	@echo 'On/off variables are off when unset, empty, 0, no, false or off; anything else is on.'
	@echo 'The report exits 1 on a mandatory violation and 2 on bad input only when run directly:'
	@echo '  .venv/bin/python -m report --stack dev --format json   (make turns any failure into 2)'

# Silent, with progress on stderr: a fresh clone's first `make report > f` must still write
# only the report to f.
$(VENV)/.installed: requirements.txt requirements-dev.txt policies/requirements.txt policies/pyproject.toml constraints.txt
	@echo "creating $(VENV) with the pinned dependencies (about 2 minutes)" >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt >&2
	@touch $@

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
# Silent (`@`): stdout carries the report alone, so `make report FORMAT=json > f` is JSON. make
# reports any failure as exit 2; `$(PY) -m report ...` keeps 1 (mandatory violation) and 2.
FORMAT ?= table
report: venv
	@$(PY) -m report --stack $(STACK) --format $(FORMAT) $(if $(call flag,$(PREVIEW)),--preview)

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
# Then AnalyzeStack on 2,000/4,000 resources next to a pack of as many no-op stack policies
# (bench/stack_floor_pack), in the same run. Targets at 4,000: own work <= 0.1 s, < 0.5 s in all.
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
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PULUMI) up --stack $(STACK) --policy-pack $(POLICY_PACK) $(if $(call flag,$(YES)),--yes)

destroy: venv
	$(pulumi_prerequisites)
	$(PULUMI) destroy --stack $(STACK) $(if $(call flag,$(YES)),--yes)

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

# The policy pack over a `pulumi stack export` file, in the call shape of `pulumi policy
# analyze --file`, offline: every secret is redacted to '[secret]' as the CLI does when it
# cannot decrypt. EXPORT=<file> [POLICY_CONFIG=<policy config JSON, the CLI's format>]. make turns a
# mandatory violation (exit 1) into 2; `.venv/bin/python -m offline_engine.audit` keeps it.
.PHONY: audit
EXPORT ?=
POLICY_CONFIG ?=
audit: venv
	@test -n '$(EXPORT)' || { echo "error: set EXPORT=<file written by pulumi stack export>" >&2; exit 2; }
	@$(PY) -m offline_engine.audit --prog 'make audit' '$(EXPORT)' $(if $(POLICY_CONFIG),--policy-pack-config '$(POLICY_CONFIG)')
