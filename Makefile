# Entry points. Every target that needs Python creates the pinned virtualenv first.
# `make help` lists every target and every variable they read (tests/program/test_make.py
# holds it to that: a new target or `?=` variable needs its line in `help`).
SHELL := /bin/bash
# No "Entering directory" lines: `make report FORMAT=json > f` must write only the report,
# also when make runs inside another make (CI, `make test`).
MAKEFLAGS += --no-print-directory
.DEFAULT_GOAL := help
# The oldest Python the project runs on: pyproject.toml's ruff `target-version` and mypy
# `python_version` say the same (tests/program/test_make.py checks).
MIN_PYTHON := 3.11
# Whether PYTHON was chosen (command line or environment), before its default is applied.
PYTHON_GIVEN := $(filter command line environment environment override,$(origin PYTHON))
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STACK ?= dev
# How the user ran make (`make`, `gmake`, a path), for the commands' `--help` and hints. Taken
# through `:=`: a recipe line naming MAKE itself would run even under `make -n`.
MAKE_COMMAND := $(MAKE)
# Local file backend and passphrase secrets by default: no Pulumi Cloud account needed.
# Point PULUMI_BACKEND_URL at s3://..., azblob://... or https://api.pulumi.com to change it.
export PULUMI_BACKEND_URL ?= file://$(CURDIR)/.pulumi-state

# On/off variables (YES, PREVIEW): off when unset, empty, 0, no, false or off (any case), on
# for anything else. `$(call flag,$(YES))` is non-empty exactly when the flag is on, so
# `make destroy YES=0` asks before destroying, as `make destroy` does.
lowercase = $(subst A,a,$(subst E,e,$(subst F,f,$(subst L,l,$(subst N,n,$(subst O,o,$(subst S,s,$(1))))))))
flag = $(filter-out 0 no false off,$(call lowercase,$(strip $(1))))

.PHONY: help venv lint test test-fast bench report up preview destroy call lock clean FORCE

help:
	@echo 'Targets (no cloud account needed):'
	@echo '  venv            create $(VENV) with the pinned dependencies (every target below does it first)'
	@echo '  test            lint, type-check and run every offline test'
	@echo '  test-fast       pytest only, stop at the first failure'
	@echo '  lint            ruff, ruff format --check, mypy --strict, zizmor on the workflows'
	@echo '  report          who can call each operation of STACK, and the policy verdicts'
	@echo '  report-diff     what this checkout changes in access, against the report at BASE'
	@echo '  bench           policy pack Analyze time on large bodies'
	@echo '  audit           the policy pack over a `pulumi stack export` file (EXPORT), offline'
	@echo '  bench-program   program build time for 4/100/1,000 operations and a 4 MB spec (YAML, JSON)'
	@echo '  bench-report    `make report` wall time, dev stack and a 1,000-operation spec'
	@echo '  lock            rewrite constraints.txt from the venv'
	@echo '  hash-lock       rewrite .github/requirements/*.txt (hash-locked, for privileged CI jobs) after lock'
	@echo '  clean           remove $(VENV) and tool caches'
	@echo '  help            this list'
	@echo 'Targets that need the Pulumi CLI and AWS credentials:'
	@echo '  preview         pulumi preview of STACK with the policy pack'
	@echo '  up              pulumi up of STACK with the policy pack (asks first unless YES is on)'
	@echo '  destroy         pulumi destroy of STACK (asks first unless YES is on)'
	@echo '  stack-select    select STACK (create it with CREATE=1); preview and up do it first'
	@echo '  call            call one operation as CONSUMER with a client-credentials token'
	@echo '  integration     deploy, test and destroy a throw-away stack'
	@echo 'Variables (name=current value):'
	@printf '  %-28s %s\n' \
	  'STACK=$(STACK)' 'stack name; reads Pulumi.<STACK>.yaml' \
	  'FORMAT=$(FORMAT)' 'report, report-diff: table, markdown or json' \
	  'PREVIEW=$(PREVIEW)' 'report: simulate `pulumi preview` (on/off)' \
	  'BASE=$(BASE)' 'report-diff: the git ref to compare with' \
	  'YES=$(YES)' 'up, destroy: skip the confirmation prompt (on/off)' \
	  'CREATE=$(CREATE)' 'preview, up, stack-select: create STACK if the backend lacks it (on/off)' \
	  'SECRETS_PROVIDER=$(SECRETS_PROVIDER)' 'new stack: passphrase or awskms://...; default: the stack file'"'"'s, else the backend'"'"'s' \
	  'CONSUMER=$(CONSUMER)' 'call: consumer name' \
	  "OP='$(OP)'" "call: 'METHOD /path'" \
	  "DATA='$(DATA)'" 'call: JSON request body' \
	  'PULUMI=$(PULUMI)' 'the Pulumi CLI to run' \
	  'POLICY_PACK=$(POLICY_PACK)' 'preview, up: the policy pack folder' \
	  'EXPORT=$(EXPORT)' 'audit: a file written by `pulumi stack export`' \
	  'POLICY_CONFIG=$(POLICY_CONFIG)' 'audit: policy config, JSON in the Pulumi CLI'"'"'s format' \
	  'PULUMI_BACKEND_URL' 'state backend; default file://<here>/.pulumi-state' \
	  'PYTHON=$(PYTHON)' 'interpreter that creates the venv, $(MIN_PYTHON) or newer; hash-lock: 3.11' \
	  'INDEX_URL=$(INDEX_URL)' 'hash-lock: the package index to read hashes from' \
	  'VENV=$(VENV)' 'the virtualenv folder'
	@echo 'On/off variables are off when unset, empty, 0, no, false or off; anything else is on.'
	@echo 'A passphrase (PULUMI_CONFIG_PASSPHRASE or _FILE) is needed only for passphrase stacks.'
	@echo '$(VENV) is rebuilt when built by a Python older than $(MIN_PYTHON), one that no longer runs,'
	@echo 'or another one than a PYTHON you give.'
	@echo 'The report exits 1 on a mandatory violation and 2 on bad input only when run directly:'
	@echo '  .venv/bin/python -m report --stack dev --format json   (make turns any failure into 2)'

# Which Python the venv is built with, checked on every run (two interpreter starts) before
# anything is installed. `$(VENV)/.python` records it; it is rewritten, and so the venv
# rebuilt, only when the venv's Python no longer runs, is older than MIN_PYTHON, or is another
# one than a PYTHON given on the command line or in the environment. Without a given PYTHON a
# working venv is kept, whichever interpreter made it. PYTHON itself must run and be
# MIN_PYTHON or newer before a venv is made (pip would otherwise fail half-way, leaving a venv
# that keeps failing). An identity is `<major>.<minor> <interpreter's real path>`.
python_identity = $(1) -c 'import os, sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], os.path.realpath(sys.executable)))' 2>/dev/null
MIN_MAJOR := $(word 1,$(subst ., ,$(MIN_PYTHON)))
MIN_MINOR := $(word 2,$(subst ., ,$(MIN_PYTHON)))
$(VENV)/.python: FORCE
	@recent() { local v=$${1%% *}; local major=$${v%%.*} minor=$${v#*.}; \
	  [[ $$major =~ ^[0-9]+$$ && $$minor =~ ^[0-9]+$$ ]] && \
	  { (( major > $(MIN_MAJOR) )) || (( major == $(MIN_MAJOR) && minor >= $(MIN_MINOR) )); }; }; \
	want=""; reason=""; have=""; \
	if [ -n "$(PYTHON_GIVEN)" ] || [ ! -d $(VENV) ]; then want=$$($(call python_identity,$(PYTHON))); fi; \
	if [ -d $(VENV) ]; then \
	  have=$$($(call python_identity,$(VENV)/bin/python)); \
	  if [ -z "$$have" ]; then reason="its Python no longer runs"; \
	  elif ! recent "$$have"; then reason="it was built by Python $$have, older than $(MIN_PYTHON)"; \
	  elif [ -n "$$want" ] && [ "$$want" != "$$have" ]; then reason="it was built by Python $$have, PYTHON=$(PYTHON) is $$want"; fi; \
	fi; \
	if [ -n "$(PYTHON_GIVEN)" ] || [ ! -d $(VENV) ] || [ -n "$$reason" ]; then \
	  [ -n "$$want" ] || want=$$($(call python_identity,$(PYTHON))); \
	  if [ -z "$$want" ]; then echo "error: PYTHON=$(PYTHON) does not run; install Python $(MIN_PYTHON) or newer and name it, e.g. make $(or $(MAKECMDGOALS),venv) PYTHON=python$(MIN_PYTHON)" >&2; exit 2; fi; \
	  if ! recent "$$want"; then echo "error: PYTHON=$(PYTHON) is Python $$want; this project needs $(MIN_PYTHON) or newer: install it and name it, e.g. make $(or $(MAKECMDGOALS),venv) PYTHON=python$(MIN_PYTHON)" >&2; exit 2; fi; \
	fi; \
	if [ -n "$$reason" ]; then echo "rebuilding $(VENV): $$reason" >&2; rm -rf $(VENV); fi; \
	if [ ! -f $@ ] || [ -n "$$reason" ]; then \
	  mkdir -p $(VENV); echo "$${want:-$$have}" > $@; \
	  if [ -z "$$reason" ] && [ -f $(VENV)/.installed ]; then touch -r $(VENV)/.installed $@; fi; \
	fi

FORCE:

# Silent, with progress on stderr: a fresh clone's first `make report > f` must still write
# only the report to f.
$(VENV)/.installed: requirements.txt requirements-dev.txt policies/requirements.txt policies/pyproject.toml provider/pyproject.toml constraints.txt $(VENV)/.python
	@echo "creating $(VENV) with the pinned dependencies (about 2 minutes)" >&2
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) >&2
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt >&2
	@touch $@

venv: $(VENV)/.installed

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy . .github/scripts
	$(VENV)/bin/zizmor --offline --min-severity low .github/workflows
	$(VENV)/bin/zizmor --offline --persona auditor --min-severity medium .github/workflows

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
	@$(PY) -m report --prog '$(MAKE_COMMAND) report' --stack $(STACK) --format $(FORMAT) $(if $(call flag,$(PREVIEW)),--preview)

# `make report` wall time for the dev stack and a 1,000-operation spec, with a breakdown.
.PHONY: bench-report
bench-report: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/report_timing.py

lock: venv
	{ echo '# Transitive pins: every package in the dev venv, as resolved and tested. Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable; } > constraints.txt

# Hash-locked requirement files of the jobs that hold a secret or a role (docs/ci.md, supply
# chain): .github/requirements/<name>.txt from <name>.in, versions from constraints.txt, every
# file's sha256 from PyPI (INDEX_URL). Python 3.11, the workflows' version. After `make lock`.
PIP_TOOLS_VERSION = 7.6.2
INDEX_URL ?= https://pypi.org/simple
.PHONY: hash-lock
hash-lock:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "hash-lock: needs Python 3.11 (PYTHON=python3.11), the version the workflows run")'
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(PYTHON) -m venv "$$tmp/venv" && \
	  PIP_CONFIG_FILE=/dev/null "$$tmp/venv/bin/pip" install --quiet --disable-pip-version-check \
	    --index-url $(INDEX_URL) pip-tools==$(PIP_TOOLS_VERSION) && \
	  for name in deploy publish integration; do \
	    PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= "$$tmp/venv/bin/pip-compile" --quiet \
	      --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	      --index-url $(INDEX_URL) --output-file .github/requirements/$$name.txt \
	      .github/requirements/$$name.in || exit 1; \
	  done

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
	$(PY) -m m2m_client --prog '$(MAKE_COMMAND) call' call --stack $(STACK) --consumer '$(CONSUMER)' \
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
# make preview|up|destroy [STACK=dev] [YES=1] [CREATE=1]. First `python -m preflight` (see
# preflight/__main__.py): the stack must exist in the backend unless CREATE is on (a typo in
# STACK must not create an empty stack), and a passphrase (PULUMI_CONFIG_PASSPHRASE or
# PULUMI_CONFIG_PASSPHRASE_FILE) is required only when the stack's secrets provider is the
# passphrase: not on Pulumi Cloud, not with a KMS key. Then it selects (or creates) the stack.
PULUMI ?= pulumi
CREATE ?=
SECRETS_PROVIDER ?=
preflight = $(PY) -m preflight --stack '$(STACK)' --pulumi '$(PULUMI)' --prog '$(MAKE_COMMAND) $(or $(firstword $(MAKECMDGOALS)),$@)'

.PHONY: stack-select bench-program
stack-select: venv
	@$(preflight) $(if $(call flag,$(CREATE)),--create) $(if $(SECRETS_PROVIDER),--secrets-provider '$(SECRETS_PROVIDER)')

# The pack runs with the project's venv first on PATH: the CLI starts a Python policy pack with
# the `python` it finds there, and that one has pulumi-policy installed at the pinned version.
POLICY_PACK ?= policies
preview: stack-select
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PULUMI) preview --stack $(STACK) --diff --policy-pack $(POLICY_PACK)

up: stack-select
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PULUMI) up --stack $(STACK) --policy-pack $(POLICY_PACK) $(if $(call flag,$(YES)),--yes)

# Never creates: a stack to destroy must exist.
destroy: venv
	@$(preflight)
	$(PULUMI) destroy --stack $(STACK) $(if $(call flag,$(YES)),--yes)

# Program build time under mocks for 4, 100 and 1,000 operations, and the AWS resource count
# (must not grow with the operations). Target: under 2 s at 1,000 operations. Then a
# Stripe-sized 4 MB spec as YAML and JSON: parse, program build and `make report` times.
bench-program: venv
	PYTHONPATH=$(CURDIR) $(PY) bench/program_build.py

# What a change does to access: the report of $(STACK) at git ref BASE (built in a temporary
# worktree, removed afterwards) against this checkout's. FORMAT=table|markdown|json, as for
# `make report` (the diff's old `terminal` is still accepted, with a deprecation warning).
# Exit 1 (make: 2) when this checkout adds a mandatory violation; `.venv/bin/python -m report
# diff --base-ref REF` keeps the 1.
.PHONY: report-diff
BASE ?= main
report-diff: venv
	@$(PY) -m report --prog '$(MAKE_COMMAND) report-diff' diff --base-ref '$(BASE)' --stack $(STACK) --format $(FORMAT)

# The policy pack over a `pulumi stack export` file, in the call shape of `pulumi policy
# analyze --file`, offline: every secret is redacted to '[secret]' as the CLI does when it
# cannot decrypt. EXPORT=<file> [POLICY_CONFIG=<policy config JSON, the CLI's format>]. make turns a
# mandatory violation (exit 1) into 2; `.venv/bin/python -m offline_engine.audit` keeps it.
.PHONY: audit
EXPORT ?=
POLICY_CONFIG ?=
audit: venv
	@test -n '$(EXPORT)' || { echo "error: set EXPORT=<file written by pulumi stack export>" >&2; exit 2; }
	@$(PY) -m offline_engine.audit --prog '$(MAKE_COMMAND) audit' '$(EXPORT)' $(if $(POLICY_CONFIG),--policy-pack-config '$(POLICY_CONFIG)')
