#!/usr/bin/env bash
# Creates .venv from one hash-locked requirement file, .github/requirements/<name>.txt, for a
# job that holds a secret or a cloud role. Every file's hash is checked (--require-hashes), only
# wheels are accepted (no setup.py runs), nothing outside the file is installed (--no-deps),
# and `pip check` proves the file complete. The workflow installs ./policies in its own step.
# Usage: .github/scripts/install_locked.sh deploy|publish|integration
set -euo pipefail
name="${1:?usage: install_locked.sh deploy|publish|integration}"
lock=".github/requirements/${name}.txt"
[ -f "$lock" ] || { echo "error: $lock not found" >&2; exit 2; }
python -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  --require-hashes --only-binary :all: --no-deps -r "$lock"
.venv/bin/python -m pip check
